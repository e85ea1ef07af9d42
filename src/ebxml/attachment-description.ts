/** The GP2GP attachment description carried in an ebXML manifest reference. */
export interface AttachmentDescription {
  readonly filename?: string;
  readonly contentType?: string;
  readonly compressed?: boolean;
  readonly largeAttachment?: boolean;
  readonly originalBase64?: boolean;
  /** Length in bytes of the original document, where the sender stated it. */
  readonly length?: number;
  readonly domainData?: string;
}

const PAIR = /([A-Za-z][A-Za-z0-9]*)\s*=\s*(?:"([^"]*)"|(\S+))/g;

/**
 * Reads `Filename="…" ContentType=… Compressed=Yes|No LargeAttachment=… OriginalBase64=… Length=… DomainData="…"`.
 * Names are matched case-insensitively and any order or spacing is accepted, as suppliers vary.
 *
 * @example
 * parseAttachmentDescription('Filename="a.tif" ContentType=image/tiff Compressed=Yes').compressed // true
 */
export function parseAttachmentDescription(text: string): AttachmentDescription {
  const out: Record<string, string | number | boolean> = {};
  // Some senders leave DomainData unquoted although its value has a space (`DomainData=X-GP2GP-Skeleton: Yes`):
  // it comes last, so an unquoted one runs to the end.
  const unquoted = /DomainData\s*=\s*(?!")(.+)$/is.exec(text);
  if (unquoted) {
    out.domainData = unquoted[1]!.trim();
    text = text.slice(0, unquoted.index);
  }
  for (const m of text.matchAll(PAIR)) {
    const key = m[1]!.toLowerCase();
    const value = m[2] ?? m[3] ?? '';
    switch (key) {
      case 'filename':
        out.filename = value;
        break;
      case 'contenttype':
        out.contentType = value;
        break;
      case 'compressed':
        out.compressed = yes(value);
        break;
      case 'largeattachment':
        out.largeAttachment = yes(value);
        break;
      case 'originalbase64':
        out.originalBase64 = yes(value);
        break;
      case 'length': {
        const n = Number.parseInt(value, 10);
        if (Number.isFinite(n) && n >= 0) out.length = n;
        break;
      }
      case 'domaindata':
        out.domainData = value;
        break;
    }
  }
  return out as AttachmentDescription;
}

/** True when the text looks like a GP2GP attachment description rather than a plain label. */
export function isAttachmentDescription(text: string): boolean {
  return /Filename\s*=/i.test(text);
}

/**
 * Writes a description in the order and spelling the GP2GP specification gives.
 *
 * @example
 * formatAttachmentDescription({ filename: 'a.pdf', contentType: 'application/pdf', compressed: false, largeAttachment: false, originalBase64: true, length: 10 })
 */
export function formatAttachmentDescription(d: AttachmentDescription): string {
  const parts: string[] = [];
  if (d.filename !== undefined) parts.push(`Filename="${d.filename}"`);
  if (d.contentType !== undefined) parts.push(`ContentType=${d.contentType}`);
  if (d.compressed !== undefined) parts.push(`Compressed=${d.compressed ? 'Yes' : 'No'}`);
  if (d.largeAttachment !== undefined) parts.push(`LargeAttachment=${d.largeAttachment ? 'Yes' : 'No'}`);
  if (d.originalBase64 !== undefined) parts.push(`OriginalBase64=${d.originalBase64 ? 'Yes' : 'No'}`);
  if (d.length !== undefined) parts.push(`Length=${d.length}`);
  if (d.domainData !== undefined) parts.push(`DomainData="${d.domainData}"`);
  return parts.join(' ');
}

function yes(v: string): boolean {
  return v.toLowerCase() === 'yes' || v.toLowerCase() === 'true';
}
