/**
 * When a part of a transfer stops travelling inline (docs/large-messages.md#thresholds). All sizes are bytes;
 * "wire" sizes are what a part takes in the MIME body (base64 with 76-character lines), which is what Spine's
 * message size limit counts.
 */
export interface LargeMessagePolicy {
  /** Largest extract (UTF-8 bytes) sent as the core message's payload; a larger one goes as a skeleton. */
  readonly maxExtractInlineBytes: number;
  /** Largest document (raw bytes) carried inline (`cid:`) in the core message; 0 sends every one as a COPC. */
  readonly maxAttachmentInlineBytes: number;
  /** Largest core message on the wire (envelope, payload and inline attachments together). */
  readonly maxCoreMessageBytes: number;
  /** Raw bytes in one fragment; a document larger than this is cut into fragments behind a fragment index. */
  readonly fragmentBytes: number;
}

/** The limit the NHS adaptors apply to one message part (4,500,000 bytes), in wire bytes. */
const NHS_PART_LIMIT = 4_500_000;

/**
 * The defaults: 4,500,000 bytes for the extract and the core message, as the NHS adaptors use, and fragments of
 * 3,288,444 raw bytes, the largest multiple of 57 (one 76-character base64 line) whose encoding with CRLF line
 * breaks is at most 4,500,000 bytes, so every fragment's part stays within the same limit on the wire.
 *
 * @example
 * planOutgoingTransfer({ ...input, policy: { ...DEFAULT_POLICY, maxAttachmentInlineBytes: 0 } }, stored)
 */
export const DEFAULT_POLICY: LargeMessagePolicy = {
  maxExtractInlineBytes: NHS_PART_LIMIT,
  maxAttachmentInlineBytes: NHS_PART_LIMIT,
  maxCoreMessageBytes: NHS_PART_LIMIT,
  fragmentBytes: 3_288_444,
};

/**
 * Bytes that `raw` bytes take as a base64 MIME body: 4 characters per 3 bytes, CRLF after every 76.
 *
 * @example
 * base64WireBytes(57) // 78
 */
export function base64WireBytes(raw: number): number {
  const text = 4 * Math.ceil(raw / 3);
  return text + 2 * Math.floor(text / 76);
}

/** Checks a policy makes sense (positive fragment size, non-negative limits), naming the first bad field. */
export function checkPolicy(policy: LargeMessagePolicy): LargeMessagePolicy {
  for (const [name, value] of Object.entries(policy)) {
    if (!Number.isSafeInteger(value) || value < 0)
      throw new RangeError(`policy ${name} must be a whole number ≥ 0`);
  }
  if (policy.fragmentBytes < 1) throw new RangeError('policy fragmentBytes must be at least 1');
  return policy;
}
