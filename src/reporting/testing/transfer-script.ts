import {
  formatLogLine,
  SPINE_LOG_COLUMNS,
  type SpineLogEntry,
} from '../../spine/simulator/spine-message-log.ts';

/** Synthetic ASIDs of the two practices in test logs (the simulator's made-up numbering, no real practice). */
export const REQUESTER_ASID = '999000000001';
export const SENDER_ASID = '999000000002';

const SERVICE = 'urn:nhs:names:services:gp2gp';
const DAY = 86_400_000;

/** A reason code as a log carries it: a number, or text such as `06`. */
type Code = number | string;

/**
 * Writes the Spine log rows of one synthetic transfer, step by step, with times as offsets from the request.
 * GUIDs are `<conversation>-<n>`, so scripts are deterministic.
 *
 * @example
 * const s = new TransferScript('C1', Date.UTC(2024, 0, 1));
 * s.request(); s.requestAck(60_000); const x = s.extract(120_000); s.extractAck(x, 3_600_000);
 * spineLogCsv(s.entries)
 */
export class TransferScript {
  readonly conversationId: string;
  readonly start: number;
  readonly entries: SpineLogEntry[] = [];
  private n = 0;
  private requestGuid = '';

  constructor(conversationId: string, start: number = Date.UTC(2024, 0, 15, 9, 0, 0)) {
    this.conversationId = conversationId;
    this.start = start;
  }

  private add(
    at: number,
    action: string,
    from: string,
    to: string,
    extra: { ref?: string; code?: Code; guid?: string } = {},
  ): string {
    const guid = extra.guid ?? `${this.conversationId}-${++this.n}`;
    this.entries.push({
      time: new Date(this.start + at),
      conversationId: this.conversationId,
      guid,
      interactionId: `${SERVICE}/${action}`,
      messageSender: from,
      messageRecipient: to,
      ...(extra.ref ? { messageRef: extra.ref } : {}),
      ...(extra.code !== undefined ? { jdiEvent: String(extra.code) } : {}),
      toSystem: from === REQUESTER_ASID ? 'SupplierB' : 'SupplierA',
      fromSystem: from === REQUESTER_ASID ? 'SupplierA' : 'SupplierB',
    });
    return guid;
  }

  /** The EHR request, from the requesting practice. */
  request(at = 0, guid?: string): string {
    this.requestGuid = this.add(at, 'RCMR_IN010000UK05', REQUESTER_ASID, SENDER_ASID, guid ? { guid } : {});
    return this.requestGuid;
  }

  /** The sending practice's ack of the request, with a reason code for an AE/AR. */
  requestAck(at: number, code?: Code): string {
    return this.add(at, 'MCCI_IN010000UK13', SENDER_ASID, REQUESTER_ASID, { ref: this.requestGuid, code });
  }

  /** An EHR extract (UK06) from the sending practice; pass a GUID to log the same message again. */
  extract(at: number, guid?: string): string {
    return this.add(at, 'RCMR_IN030000UK06', SENDER_ASID, REQUESTER_ASID, guid ? { guid } : {});
  }

  /** The requesting practice's final ack of an extract. */
  extractAck(extractGuid: string, at: number, code?: Code): string {
    return this.add(at, 'MCCI_IN010000UK13', REQUESTER_ASID, SENDER_ASID, { ref: extractGuid, code });
  }

  /** The requester's large-message "Continue". */
  copcContinue(at: number): string {
    return this.add(at, 'COPC_IN000001UK01', REQUESTER_ASID, SENDER_ASID);
  }

  /** A fragment (or fragment index) from the sending practice. */
  copcFragment(at: number): string {
    return this.add(at, 'COPC_IN000001UK01', SENDER_ASID, REQUESTER_ASID);
  }

  /** The requester's ack of a fragment. */
  fragmentAck(fragmentGuid: string, at: number, code?: Code): string {
    return this.add(at, 'MCCI_IN010000UK13', REQUESTER_ASID, SENDER_ASID, { ref: fragmentGuid, code });
  }

  /** The common happy path: request, ack, extract after a minute, AA after `ackAfter` ms. */
  integrated(ackAfter = DAY): this {
    this.request();
    this.requestAck(30_000);
    const x = this.extract(60_000);
    this.extractAck(x, 60_000 + ackAfter);
    return this;
  }
}

/**
 * A Spine log CSV (header + rows) written exactly as the simulator writes its log.
 *
 * @example
 * spineLogCsv(new TransferScript('C1').integrated().entries)
 */
export function spineLogCsv(entries: readonly SpineLogEntry[]): string {
  return `${SPINE_LOG_COLUMNS.join(',')}\n${entries.map(formatLogLine).join('')}`;
}
