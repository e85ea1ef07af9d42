import { createHash } from 'node:crypto';
import { buildCommonContent, type PracticeAddress } from '../../hl7/index.ts';
import type { PlannedCopcMessage } from './outgoing-types.ts';

const BODY_ID = /(<pertinentPayloadBody\b[^>]*>\s*<code\b[^>]*\/>\s*<id root=")[0-9A-Fa-f-]{36}(")/g;

/**
 * The HL7 payload of a planned COPC message. `buildCommonContent` gives each payload body a fresh random id;
 * a re-sent message must be the same bytes, so those ids are replaced by ones derived from the message id.
 *
 * @example
 * copcPayload(plan.copcMessages[0], { from, to, creationTime })
 */
export function copcPayload(
  planned: PlannedCopcMessage,
  context: { readonly from: PracticeAddress; readonly to: PracticeAddress; readonly creationTime: Date },
): string {
  const xml = buildCommonContent({
    messageId: planned.messageId,
    creationTime: context.creationTime,
    kind: 'attachment',
    from: { asid: context.from.asid, ods: context.from.ods },
    to: { asid: context.to.asid, ods: context.to.ods },
    subject: planned.subject,
    references: planned.references,
  });
  let n = 0;
  const fixed = xml.replace(BODY_ID, (_m, before: string, after: string) => {
    return `${before}${derivedUuid(`${planned.messageId}/${n++}`)}${after}`;
  });
  if (n !== planned.references.length)
    throw new Error(
      `COPC payload has ${n} payload body ids where ${planned.references.length} were expected`,
    );
  return fixed;
}

/** An upper-case UUID (version 5 layout) made from a SHA-256 of `seed`: the same seed, the same id. */
function derivedUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
