import type { XmlElement, XmlNode } from '../../xml/index.ts';

/** Shortest substring V8 makes as a slice of its parent string (shorter ones are copied). */
const SLICE_MIN = 13;

/** An element as the parser built it: mutable, so its strings can be replaced by copies. */
interface BuiltElement {
  name: string;
  local: string;
  ns: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}

/**
 * Gives a finished element strings of its own. The parser's names, attribute values and texts are slices of the
 * text chunk they were read from, and V8 keeps a slice's whole parent string alive: an id kept in the output
 * would pin its 64 KB chunk, so a streamed extract would stay in memory after all, chunk by chunk.
 */
export class OwnStrings {
  /** Element names and namespaces: few and repeated, so one copy each. */
  private readonly names = new Map<string, string>();

  /** Replaces the element's own names, attribute values and texts (not its children's) with copies. */
  own(element: XmlElement): void {
    const b = element as BuiltElement;
    b.name = this.name(b.name);
    b.local = this.name(b.local);
    b.ns = this.name(b.ns);
    for (const key in b.attrs) b.attrs[key] = copy(b.attrs[key] as string);
    const kids = b.children;
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i];
      if (typeof k === 'string') kids[i] = copy(k);
    }
  }

  private name(s: string): string {
    let known = this.names.get(s);
    if (known === undefined) {
      known = copy(s);
      this.names.set(known, known);
    }
    return known;
  }
}

/** A copy of `s` that shares no memory with the string it was sliced from. */
function copy(s: string): string {
  // Concatenating then slicing makes V8 flatten the pair into a new string: the old parent is let go.
  return s.length < SLICE_MIN ? s : ` ${s}`.slice(1);
}
