import { SaxesParser, type SaxesTag } from 'saxes';
import { XmlError } from '../../xml/index.ts';

/** Where an element sits in a text: `xml.slice(start, end)` is the element, tags included. */
export interface ElementSpan {
  /** Qualified name as written (`component`, `hl7:component`). */
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/** A start tag as the scanner sees it. */
export interface ScannedTag {
  readonly local: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Local names of the enclosing elements, the root first. */
  readonly ancestors: readonly string[];
}

/** Which span a start tag selects: its own element's, or its parent's. */
export type SpanChoice = 'self' | 'parent' | undefined;

interface Open {
  readonly name: string;
  readonly start: number;
  picked: boolean;
}

/**
 * Finds the spans of the elements `choose` selects, in document order of their end tags, scanning the text
 * once and keeping only the open elements in memory. Splicing text by span (rather than rewriting a tree)
 * leaves every other byte of a large extract as it was. A DOCTYPE is refused, as everywhere else.
 *
 * @example
 * elementSpans('<a><b/></a>', (t) => (t.local === 'b' ? 'self' : undefined)) // [{ name: 'b', start: 3, end: 7 }]
 */
export function elementSpans(xml: string, choose: (tag: ScannedTag) => SpanChoice): ElementSpan[] {
  const parser = new SaxesParser({ position: true });
  const stack: Open[] = [];
  const ancestors: string[] = [];
  const spans: ElementSpan[] = [];
  parser.on('doctype', () => {
    throw new XmlError('forbidden', 'a DOCTYPE is not accepted');
  });
  parser.on('error', (e) => {
    throw new XmlError('malformed', `malformed XML: ${e.message}`);
  });
  parser.on('opentag', (tag: SaxesTag) => {
    // The position is just past the start tag's '>'; '<' cannot occur inside it, so the last one before is its start.
    const start = xml.lastIndexOf('<', parser.position - 1);
    const local = tag.name.slice(tag.name.indexOf(':') + 1);
    const choice = choose({ local, attributes: tag.attributes as Record<string, string>, ancestors });
    if (choice === 'parent' && stack.length > 0) stack[stack.length - 1]!.picked = true;
    stack.push({ name: tag.name, start, picked: choice === 'self' });
    ancestors.push(local);
  });
  parser.on('closetag', () => {
    const open = stack.pop()!;
    ancestors.pop();
    if (open.picked) spans.push({ name: open.name, start: open.start, end: parser.position });
  });
  parser.write(xml).close();
  return spans;
}
