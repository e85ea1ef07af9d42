import { createReadStream } from 'node:fs';
import { type ReceivedMessage, readMessageBytes } from '../ebxml/index.ts';
import { type Hl7Message, readHl7, readHl7Stream } from '../hl7/index.ts';
import { readMessageInput } from './input-file.ts';

/** One side of a message: MHS endpoint (ASID), practice (ODS) and ebXML party, each null where not stated. */
export interface PartySummary {
  readonly asid: string | null;
  readonly ods: string | null;
  readonly partyId: string | null;
}

/** An attachment named in the ebXML manifest. */
export interface AttachmentSummary {
  readonly filename: string | null;
  readonly contentType: string | null;
  readonly compressed: boolean | null;
  readonly largeAttachment: boolean | null;
  readonly originalBase64: boolean | null;
  readonly length: number | null;
  /** `cid:` for inline parts, `mid:` for attachments sent as separate messages. */
  readonly href: string;
}

/** What `gp2gp inspect` prints (docs/protocol.md#commands-that-outside-checks-call). */
export interface MessageSummary {
  readonly form: ReceivedMessage['form'];
  readonly interactionId: string;
  readonly messageId: string;
  readonly conversationId: string | null;
  readonly sender: PartySummary;
  readonly receiver: PartySummary;
  readonly nhsNumber: string | null;
  readonly attachments: readonly AttachmentSummary[];
  readonly ack: {
    readonly typeCode: string;
    readonly reasonCode: string | null;
    readonly reasonText: string | null;
  } | null;
  readonly counts: Readonly<Record<string, number>> | null;
  readonly warnings: readonly string[];
}

/**
 * Reads any GP2GP message (bare HL7, bare SOAP envelope, ebXML MIME with or without HTTP headers) and
 * summarises it. An extract's record is counted as it streams past, not held.
 *
 * @example
 * summarizeMessage(readFileSync('RCMR_IN010000UK05.xml')).nhsNumber // '9692294935'
 */
export function summarizeMessage(bytes: Uint8Array): MessageSummary {
  const received = readMessageBytes(bytes);
  return summarize(
    received,
    received.hl7 !== undefined ? readHl7(received.hl7, { countOnly: true }) : undefined,
  );
}

/**
 * Summarises a message file. A bare HL7 file (the usual form of a large extract) is streamed, so memory stays
 * flat however large it is; other forms are read whole, within the input size limit.
 *
 * @example
 * await summarizeFile('PWTP2.xml') // { interactionId: 'RCMR_IN030000UK06', counts: {...}, ... }
 */
export async function summarizeFile(file: string): Promise<MessageSummary> {
  const input = await readMessageInput(file);
  if (input.kind === 'whole') return summarizeMessage(input.bytes);
  const hl7 = await readHl7Stream(createReadStream(input.path, { start: input.start }), { countOnly: true });
  return summarize({ form: 'hl7', warnings: [] }, hl7);
}

function summarize(received: ReceivedMessage, hl7: Hl7Message | undefined): MessageSummary {
  const header = received.envelope?.header;
  const parties = hl7 ? partiesOf(hl7) : undefined;
  const contentTypes = new Map(
    received.ebxml?.attachments.map((a) => [a.contentId.toLowerCase(), a.contentType]),
  );
  const attachments = (received.envelope?.manifest ?? [])
    .filter((r) => !r.isPayload)
    .map((r): AttachmentSummary => {
      const d = r.attachment;
      const inlineType = contentTypes.get(r.href.replace(/^cid:/i, '').toLowerCase());
      return {
        filename: d?.filename ?? null,
        contentType: d?.contentType ?? inlineType ?? null,
        compressed: d?.compressed ?? null,
        largeAttachment: d?.largeAttachment ?? null,
        originalBase64: d?.originalBase64 ?? null,
        length: d?.length ?? null,
        href: r.href,
      };
    });
  return {
    form: received.form,
    interactionId: hl7?.interactionId ?? header?.action ?? 'unknown',
    messageId: header?.messageId ?? (hl7 ? messageIdOf(hl7) : ''),
    conversationId: header?.conversationId ?? null,
    sender: {
      asid: parties?.senderAsid || null,
      ods: parties?.senderOds || null,
      partyId: header?.fromPartyId ?? null,
    },
    receiver: {
      asid: parties?.receiverAsid || null,
      ods: parties?.receiverOds || null,
      partyId: header?.toPartyId ?? null,
    },
    nhsNumber:
      hl7?.kind === 'ehr-request'
        ? hl7.request.nhsNumber
        : hl7?.kind === 'ehr-extract'
          ? hl7.envelope.nhsNumber
          : null,
    attachments,
    ack:
      hl7?.kind === 'ack'
        ? {
            typeCode: hl7.ack.typeCode,
            reasonCode: hl7.ack.reasonCode ?? null,
            reasonText: hl7.ack.reasonText ?? null,
          }
        : null,
    counts: hl7?.kind === 'ehr-extract' ? hl7.counts : null,
    warnings: [...received.warnings, ...(hl7?.warnings ?? [])],
  };
}

interface Parties {
  readonly senderAsid?: string;
  readonly senderOds?: string;
  readonly receiverAsid?: string;
  readonly receiverOds?: string;
}

function partiesOf(m: Hl7Message): Parties {
  switch (m.kind) {
    case 'ehr-request':
      return {
        senderAsid: m.request.requestingPractice.asid,
        senderOds: m.request.requestingPractice.ods,
        receiverAsid: m.request.sendingPractice.asid,
        receiverOds: m.request.sendingPractice.ods,
      };
    case 'ehr-extract':
      return {
        senderAsid: m.envelope.sendingPractice.asid,
        senderOds: m.envelope.sendingPractice.ods,
        receiverAsid: m.envelope.requestingPractice.asid,
        receiverOds: m.envelope.requestingPractice.ods,
      };
    case 'common-content':
      return {
        senderAsid: m.content.from.asid,
        senderOds: m.content.from.ods,
        receiverAsid: m.content.to.asid,
        receiverOds: m.content.to.ods,
      };
    case 'ack':
      return {
        ...(m.ack.senderAsid ? { senderAsid: m.ack.senderAsid } : {}),
        ...(m.ack.receiverAsid ? { receiverAsid: m.ack.receiverAsid } : {}),
      };
    case 'other':
      return {
        ...(m.header.senderAsid ? { senderAsid: m.header.senderAsid } : {}),
        ...(m.header.receiverAsid ? { receiverAsid: m.header.receiverAsid } : {}),
      };
  }
}

function messageIdOf(m: Hl7Message): string {
  switch (m.kind) {
    case 'ehr-request':
      return m.request.messageId;
    case 'ehr-extract':
      return m.envelope.messageId;
    case 'common-content':
      return m.content.messageId;
    case 'ack':
      return m.ack.messageId;
    case 'other':
      return m.header.messageId;
  }
}
