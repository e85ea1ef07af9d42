import type { XmlElement } from '../../xml/index.ts';

/**
 * An HL7v3 coded value (CD/CV): the code the sender chose, its translations into other systems, and the text
 * the clinician saw. This is the neutral shape both translation directions go through.
 */
export interface Hl7Code {
  readonly code?: string;
  /** The `codeSystem` OID. */
  readonly codeSystem?: string;
  readonly displayName?: string;
  /** The text the clinician saw, where it differs from the display name. */
  readonly originalText?: string;
  /** Set where the code is absent (`UNK`, `NI`…). */
  readonly nullFlavor?: string;
  /** The same concept in other systems, in document order. */
  readonly translations: readonly Hl7Translation[];
}

/** One `<translation>` of a code. */
export interface Hl7Translation {
  readonly code: string;
  readonly codeSystem: string;
  readonly displayName?: string;
}

/** Reads a `<code>`-like element (code, value xsi:type CD, interpretationCode…) without scanning below it. */
export function readHl7Code(element: XmlElement): Hl7Code {
  const a = element.attrs;
  const translations: Hl7Translation[] = [];
  let originalText: string | undefined;
  for (const c of element.children) {
    if (typeof c !== 'object') continue;
    if (c.local === 'translation') {
      const code = c.attrs.code;
      const codeSystem = c.attrs.codeSystem;
      if (code && codeSystem) translations.push(withDisplay({ code, codeSystem }, c.attrs.displayName));
    } else if (c.local === 'originalText') {
      originalText = directText(c);
    }
  }
  const out: { -readonly [K in keyof Hl7Code]: Hl7Code[K] } = { translations };
  if (a.code) out.code = a.code;
  if (a.codeSystem) out.codeSystem = a.codeSystem;
  if (a.displayName) out.displayName = a.displayName;
  if (originalText) out.originalText = originalText;
  if (a.nullFlavor) out.nullFlavor = a.nullFlavor;
  return out;
}

function withDisplay(
  t: { code: string; codeSystem: string },
  displayName: string | undefined,
): Hl7Translation {
  return displayName ? { ...t, displayName } : t;
}

function directText(element: XmlElement): string {
  let s = '';
  for (const c of element.children) if (typeof c === 'string') s += c;
  return s.trim();
}

/** Every (system, code) pair the coded value carries, main code first. */
export function allCodes(code: Hl7Code): Hl7Translation[] {
  const out: Hl7Translation[] = [];
  if (code.code && code.codeSystem)
    out.push(withDisplay({ code: code.code, codeSystem: code.codeSystem }, code.displayName));
  out.push(...code.translations);
  return out;
}
