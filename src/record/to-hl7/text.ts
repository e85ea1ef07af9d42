/** Text clean-up for HL7 output: every string that reaches the XML passes through here. */

/** The string with characters XML cannot carry removed, trimmed; undefined when nothing is left. */
export function cleanText(value: string | undefined | null): string | undefined {
  if (typeof value !== 'string') return undefined;
  const out = withoutIllegalChars(value).trim();
  return out === '' ? undefined : out;
}

/**
 * Free text kept as it was written (laid-out pathology comments line up with leading spaces): only characters
 * XML cannot carry are removed; undefined when nothing but whitespace is left.
 */
export function keptText(value: string | undefined | null): string | undefined {
  if (typeof value !== 'string') return undefined;
  const out = withoutIllegalChars(value);
  return out.trim() === '' ? undefined : out;
}

/** Joins the present parts line by line, each kept as written (`keptText`), or undefined when none are. */
export function joinKeptLines(parts: readonly (string | undefined | false)[]): string | undefined {
  const present = parts
    .map((p) => (p === false ? undefined : keptText(p)))
    .filter((p): p is string => p !== undefined);
  return present.length > 0 ? present.join('\n') : undefined;
}

/**
 * Notes less the lines that restate what is written beside them: a field GP2GP has no element for travels as a
 * labelled line ("Status: active"), which a reader keeps in the notes; sent again, the field would be written
 * twice, and once more at each further transfer. A note left with no lines is dropped.
 *
 * @example
 * notRestated(['Status: active'], ['Status: active\nReaction: Rash']) // ['Reaction: Rash']
 */
export function notRestated(
  restated: readonly (string | undefined)[],
  notes: readonly (string | undefined)[],
): string[] {
  const written = new Set(restated.map(cleanText).filter((l) => l !== undefined));
  const out: string[] = [];
  for (const note of notes) {
    if (typeof note !== 'string') continue;
    const lines = note.split('\n');
    const kept = lines.filter((l) => !written.has(cleanText(l) ?? ''));
    if (kept.length === lines.length) out.push(note);
    else if (kept.some((l) => cleanText(l) !== undefined)) out.push(kept.join('\n'));
  }
  return out;
}

/** A value usable as an HL7 `cs` token (no whitespace), or undefined. */
export function cleanToken(value: string | undefined | null): string | undefined {
  const text = cleanText(value);
  return text !== undefined && !/\s/.test(text) ? text : undefined;
}

/** Joins the present parts with a separator, or undefined when none are present. */
export function joinText(parts: readonly (string | undefined)[], separator = ' '): string | undefined {
  const present = parts.map(cleanText).filter((p): p is string => p !== undefined);
  return present.length > 0 ? present.join(separator) : undefined;
}

// XML 1.0 forbids most C0 controls, U+FFFE/U+FFFF and unpaired surrogates; supplier free text does carry them.
function withoutIllegalChars(value: string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    } else if (
      !(c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) &&
      !(c >= 0xdc00 && c <= 0xdfff) &&
      c !== 0xfffe &&
      c !== 0xffff
    ) {
      continue;
    }
    out += value.slice(start, i);
    start = i + 1;
  }
  return start === 0 ? value : out + value.slice(start);
}
