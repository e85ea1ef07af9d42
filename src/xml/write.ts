/** An element to be written: a name, attributes (undefined ones are left out) and children. */
export interface XmlSpec {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string | number | undefined>>;
  readonly children: readonly XmlChild[];
}

/** What an element may contain; null, undefined and false are skipped so builders can use `cond && x(...)`. */
export type XmlChild = XmlSpec | string | null | undefined | false | readonly XmlChild[];

/**
 * Describes an element for {@link serializeXml}.
 *
 * @example
 * serializeXml(x('id', { root: '2.16.840.1.113883.2.1.4.1', extension: '9990000018' }))
 * // '<id root="2.16.840.1.113883.2.1.4.1" extension="9990000018"/>'
 */
export function x(
  name: string,
  attrs: Readonly<Record<string, string | number | undefined>> = {},
  ...children: XmlChild[]
): XmlSpec {
  return { name, attrs, children };
}

/** Escapes text content. */
export function escapeText(s: string): string {
  // A raw CR would be read back as LF (XML end-of-line handling), so it is written as a reference.
  return xmlChars(s).replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c] ?? c);
}

/**
 * Drops characters XML 1.0 cannot carry at all, even as references (most C0 controls, U+FFFE/U+FFFF, lone
 * surrogates). Free text pasted into clinical systems does contain them; writing them would make the whole
 * message malformed, so they go, and everything else is kept.
 */
export function xmlChars(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c >= 0xd800) return slowXmlChars(s);
  }
  return s;
}

function slowXmlChars(s: string): string {
  let out = '';
  for (const character of s) {
    const c = character.codePointAt(0)!;
    const valid =
      c === 0x09 ||
      c === 0x0a ||
      c === 0x0d ||
      (c >= 0x20 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) ||
      c >= 0x10000;
    if (valid) out += character;
  }
  return out;
}

const TEXT_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\r': '&#13;',
};

/** Escapes an attribute value for double quotes (tabs and newlines kept as character references). */
export function escapeAttr(s: string): string {
  return xmlChars(s).replace(/[&<>"\t\n\r]/g, (c) => ATTR_ESCAPES[c] ?? c);
}

const ATTR_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** Options for {@link serializeXml}. */
export interface SerializeOptions {
  /** Prefix the `<?xml version="1.0" encoding="UTF-8"?>` declaration. */
  readonly declaration?: boolean;
  /** Indent nested elements (elements with text children are kept on one line). */
  readonly indent?: string;
}

/** Writes an element tree as XML text. */
export function serializeXml(spec: XmlSpec, options: SerializeOptions = {}): string {
  const out: string[] = [];
  if (options.declaration) out.push('<?xml version="1.0" encoding="UTF-8"?>', options.indent ? '\n' : '');
  write(spec, out, options.indent, 0);
  return out.join('');
}

function write(spec: XmlSpec, out: string[], indent: string | undefined, depth: number): void {
  out.push('<', spec.name);
  for (const key in spec.attrs) {
    const v = spec.attrs[key];
    if (v !== undefined) out.push(' ', key, '="', escapeAttr(String(v)), '"');
  }
  const kids = flatten(spec.children);
  if (kids.length === 0) {
    out.push('/>');
    return;
  }
  out.push('>');
  const pretty = indent !== undefined && kids.every((k) => typeof k !== 'string');
  for (const k of kids) {
    if (pretty) out.push('\n', indent.repeat(depth + 1));
    if (typeof k === 'string') out.push(escapeText(k));
    else write(k, out, indent, depth + 1);
  }
  if (pretty) out.push('\n', indent.repeat(depth));
  out.push('</', spec.name, '>');
}

function flatten(children: readonly XmlChild[], acc: (XmlSpec | string)[] = []): (XmlSpec | string)[] {
  for (const c of children) {
    if (c === null || c === undefined || c === false || c === '') continue;
    if (Array.isArray(c)) flatten(c, acc);
    else acc.push(c as XmlSpec | string);
  }
  return acc;
}
