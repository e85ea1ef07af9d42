import { integratedOrSuppressed, isDuplicateEhr } from './ack-codes.ts';
import type { LoggedMessage } from './spine-message.ts';

/** A message and the application acks that name it in `messageRef`, in time order. */
export interface AcknowledgedMessage {
  readonly message: LoggedMessage;
  readonly acks: readonly LoggedMessage[];
}

/** The extract that counts for reporting and the ack that counts for it. */
export interface EffectiveExtract {
  readonly extract: LoggedMessage;
  readonly ack: LoggedMessage;
}

/**
 * A conversation read as a GP2GP transfer: the request, the extracts, the COPC messages each way, with their
 * acks, and the effective extract and final ack.
 *
 * @example
 * const t = readGp2gpConversation('C1', messagesWithinCutoff(conversation, cutoffMs));
 * if (t?.effective) console.log(t.effective.ack.reasonCode);
 */
export interface Gp2gpConversation {
  readonly conversationId: string;
  /** The EHR request (RCMR_IN010000UK05) that opened the conversation, with its acks from the sender. */
  readonly request: AcknowledgedMessage;
  /** Every EHR extract (RCMR_IN030000UK06) in the conversation, including duplicates and resends. */
  readonly extracts: readonly AcknowledgedMessage[];
  /** COPC messages from the requesting practice: the large-message "Continue". */
  readonly copcContinues: readonly LoggedMessage[];
  /** COPC messages from the sending practice: fragments and fragment index. */
  readonly copcFragments: readonly AcknowledgedMessage[];
  readonly effective: EffectiveExtract | undefined;
  /** Requesting practice's ASID (the request's sender). */
  readonly requestingAsid: string;
  /** Sending practice's ASID (the request's recipient). */
  readonly sendingAsid: string;
}

interface Entry {
  message: LoggedMessage;
  acks: LoggedMessage[];
}

/**
 * Reads ordered, cut-off messages (see `messagesWithinCutoff`) as a transfer; undefined when the conversation
 * does not begin with an EHR request (it started before the log, or is not a GP2GP transfer), which NHS England's
 * classifier leaves out too.
 *
 * Pairing follows that classifier: an ack is paired with the message its `messageRef` names when that message
 * was logged before it (an ack of an unknown or later message is dropped); a message logged again under the
 * same GUID replaces the earlier copy, and acks paired with the earlier copy are dropped with it.
 *
 * @example
 * readGp2gpConversation('C1', [request, requestAck, extract, extractAck])?.effective?.ack === extractAck
 */
export function readGp2gpConversation(
  conversationId: string,
  ordered: readonly LoggedMessage[],
): Gp2gpConversation | undefined {
  if (ordered[0]?.kind !== 'request') return undefined;

  // A Map keeps first-insertion order when a key is set again, as the classifier's dict does: a resent
  // message keeps its place but takes the later copy's time.
  const byGuid = new Map<string, Entry>();
  for (const m of ordered) {
    if (m.kind === 'ack') {
      if (m.messageRef !== undefined) byGuid.get(m.messageRef)?.acks.push(m);
    } else {
      byGuid.set(m.guid, { message: m, acks: [] });
    }
  }

  const [request, ...rest] = byGuid.values();
  if (request === undefined) return undefined;
  const requestingAsid = request.message.sender;
  const sendingAsid = request.message.recipient;
  const extracts: Entry[] = [];
  const copcContinues: LoggedMessage[] = [];
  const copcFragments: Entry[] = [];
  for (const e of rest) {
    const m = e.message;
    if (m.kind === 'extract') extracts.push(e);
    else if (m.kind === 'copc' && m.sender === requestingAsid) copcContinues.push(m);
    else if (m.kind === 'copc' && m.sender === sendingAsid) copcFragments.push(e);
    // anything else (a second request, an unknown interaction) has no part in the classification
  }

  return {
    conversationId,
    request,
    extracts,
    copcContinues,
    copcFragments,
    effective: effectiveExtract(extracts),
    requestingAsid,
    sendingAsid,
  };
}

/**
 * The extract and ack that decide the transfer: the first ack (extracts in the order first logged, each one's
 * acks in time order) that integrated or suppressed the record; failing that, the first that is not a
 * "duplicate EHR" rejection; failing that, none. A success anywhere therefore outranks an earlier failure.
 */
function effectiveExtract(extracts: readonly AcknowledgedMessage[]): EffectiveExtract | undefined {
  return (
    firstAck(extracts, (ack) => integratedOrSuppressed(ack.reasonCode)) ??
    firstAck(extracts, (ack) => !isDuplicateEhr(ack.reasonCode))
  );
}

function firstAck(
  extracts: readonly AcknowledgedMessage[],
  accept: (ack: LoggedMessage) => boolean,
): EffectiveExtract | undefined {
  for (const e of extracts) {
    for (const ack of e.acks) if (accept(ack)) return { extract: e.message, ack };
  }
  return undefined;
}
