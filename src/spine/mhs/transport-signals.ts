import type { ServerResponse } from 'node:http';
import {
  buildAcknowledgment,
  buildErrorList,
  type EbxmlFault,
  type MessageHeader,
  parseSoapEnvelope,
} from '../../ebxml/index.ts';
import { parseXml } from '../../xml/index.ts';
import type { BodyRead } from '../http/http-io.ts';

/** An HTTP reply carrying an ebXML signal (Acknowledgment or ErrorList). */
export interface SignalReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const SOAP_XML = 'text/xml; charset=UTF-8';

/**
 * ebXML error codes after which a retry can succeed: the message could not be passed on this time. Every other
 * code (ValueNotRecognized, SecurityFailure, Inconsistent, …) says the message itself is wrong.
 */
const TRANSIENT_CODES: ReadonlySet<string> = new Set(['DeliveryFailure']);

/** The Acknowledgment a forward-reliable receiver returns for a message it has (or already had). */
export function ackReply(of: MessageHeader): SignalReply {
  return { status: 200, contentType: SOAP_XML, body: buildAcknowledgment(of) };
}

/**
 * An ErrorList reply: 503 for a transient failure (sender should retry), 500 for a refusal (it should not).
 *
 * @example
 * errorReply(header, { errorCode: 'ValueNotRecognized', severity: 'Error', location: 'MessageHeader/To/PartyId', description: 'unknown party' })
 */
export function errorReply(of: MessageHeader | undefined, fault: EbxmlFault): SignalReply {
  return {
    status: isTransientFault(fault) ? 503 : 500,
    contentType: SOAP_XML,
    body: buildErrorList(of, [fault]),
  };
}

/** True where the fault means "try again later". */
export function isTransientFault(fault: EbxmlFault): boolean {
  return TRANSIENT_CODES.has(fault.errorCode);
}

/**
 * The ErrorList fault for an MHS body that was not read: too large is a refusal; over the server's memory budget
 * is transient (the sender retries later); undefined where the connection is already gone (stalled or aborted).
 */
export function bodyRefusal(reason: Extract<BodyRead, { ok: false }>['reason']): EbxmlFault | undefined {
  switch (reason) {
    case 'too-large':
      return { errorCode: 'Inconsistent', severity: 'Error', description: 'message too large' };
    case 'over-budget':
      return {
        errorCode: 'DeliveryFailure',
        severity: 'Error',
        description: 'too many messages arriving at once: try again later',
      };
    case 'idle':
    case 'aborted':
      return undefined;
  }
}

/** Writes a signal reply. */
export function sendSignal(res: ServerResponse, reply: SignalReply): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(reply.status, {
    'content-type': reply.contentType,
    'content-length': Buffer.byteLength(reply.body),
  });
  res.end(reply.body);
}

/**
 * What a reliable sender learns from one attempt: acknowledged; refused (do not send again); or transient (no
 * acknowledgement this time: a retry with the same MessageId may succeed).
 */
export type AttemptOutcome =
  | { readonly kind: 'acknowledged' }
  | { readonly kind: 'rejected'; readonly faults: readonly EbxmlFault[] }
  | { readonly kind: 'transient'; readonly reason: string };

/**
 * Classifies a reply to a forward-reliable POST: an Acknowledgment of `messageId` (or a bare 202) is success;
 * an ErrorList is a refusal unless every fault is transient; other 5xx, 408 and 429 are transient.
 */
export function readTransportReply(status: number, body: Buffer, messageId: string): AttemptOutcome {
  let faults: readonly EbxmlFault[] = [];
  let acked = false;
  if (body.length > 0) {
    try {
      const env = parseSoapEnvelope(parseXml(body).root);
      faults = env.errors;
      acked = env.acknowledgment !== undefined && sameId(env.acknowledgment.refToMessageId, messageId);
    } catch {
      // not SOAP: judged by status alone below
    }
  }
  if (faults.length > 0) {
    return faults.every(isTransientFault)
      ? { kind: 'transient', reason: describeFaults(faults) }
      : { kind: 'rejected', faults };
  }
  if (status >= 200 && status < 300 && (acked || status === 202)) return { kind: 'acknowledged' };
  if (status >= 200 && status < 300)
    return { kind: 'transient', reason: `HTTP ${status} without an Acknowledgment of ${messageId}` };
  if (status >= 500 || status === 408 || status === 429)
    return { kind: 'transient', reason: `HTTP ${status}` };
  return {
    kind: 'rejected',
    faults: [{ errorCode: 'Unknown', severity: 'Error', description: `HTTP ${status}` }],
  };
}

function sameId(a: string, b: string): boolean {
  return a.toUpperCase() === b.toUpperCase();
}

/** One line summarising faults, for logs and outcomes. */
export function describeFaults(faults: readonly EbxmlFault[]): string {
  return faults.map((f) => `${f.errorCode}${f.description ? `: ${f.description}` : ''}`).join('; ');
}
