/** A parsed element: namespace-resolved name, attributes by local name, and ordered children. */
export interface XmlElement {
  /** The name as written, prefix included (`eb:MessageHeader`). */
  readonly name: string;
  /** The local part of the name (`MessageHeader`). */
  readonly local: string;
  /** The namespace URI, or '' where none applies. */
  readonly ns: string;
  /** Attribute values keyed by local name (`eb:id` is `id`, `xlink:href` is `href`). */
  readonly attrs: Readonly<Record<string, string>>;
  /** Child elements and text, in document order. */
  readonly children: readonly XmlNode[];
}

/** A child of an element: another element or a run of character data. */
export type XmlNode = XmlElement | string;

/** True where the node is an element rather than text. */
export function isElement(node: XmlNode | undefined): node is XmlElement {
  return typeof node === 'object';
}

/** Child elements, optionally only those with the given local name. */
export function childElements(element: XmlElement, local?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of element.children) {
    if (typeof c === 'object' && (local === undefined || c.local === local)) out.push(c);
  }
  return out;
}

/** The first child element with the given local name, if any. */
export function child(element: XmlElement | undefined, local: string): XmlElement | undefined {
  if (!element) return undefined;
  for (const c of element.children) {
    if (typeof c === 'object' && c.local === local) return c;
  }
  return undefined;
}

/**
 * Follows a slash-separated path of local names from `element`, taking the first match at each step.
 *
 * @example
 * path(message, 'ControlActEvent/subject/EhrExtract') // the extract element, or undefined
 */
export function path(element: XmlElement | undefined, steps: string): XmlElement | undefined {
  let cur = element;
  for (const step of steps.split('/')) {
    cur = child(cur, step);
    if (!cur) return undefined;
  }
  return cur;
}

/** The attribute's value at the end of an optional path, or undefined. */
export function attr(element: XmlElement | undefined, name: string, at?: string): string | undefined {
  const target = at === undefined ? element : path(element, at);
  return target?.attrs[name];
}

/** All text below the element, concatenated in document order. */
export function textOf(element: XmlElement | undefined): string {
  if (!element) return '';
  let out = '';
  for (const c of element.children) out += typeof c === 'string' ? c : textOf(c);
  return out;
}

/** Descendant elements (depth first, document order) with the given local name. */
export function descendants(element: XmlElement, local: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (typeof c === 'object') {
        if (c.local === local) out.push(c);
        walk(c);
      }
    }
  };
  walk(element);
  return out;
}
