/** Bounds applied to every untrusted document before and while it is parsed. */
export interface XmlLimits {
  /** Largest document accepted, in bytes (UTF-8). */
  readonly maxBytes: number;
  /** Deepest element nesting accepted. */
  readonly maxDepth: number;
  /** Most attributes on one element, namespace declarations included. */
  readonly maxAttributes: number;
}

/** Defaults sized for GP2GP: an extract core is rarely over 50 MB, and HL7v3 nests about 40 deep. */
export const DEFAULT_XML_LIMITS: XmlLimits = {
  maxBytes: 512 * 1024 * 1024,
  maxDepth: 200,
  maxAttributes: 64,
};
