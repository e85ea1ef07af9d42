import { type SaxesAttributeNS, SaxesParser, type SaxesTagNS } from 'saxes';
import { decodeXmlChunks, ENCODING_HEAD_BYTES, XmlTextDecoder, xmlEncoding } from './decode.ts';
import type { XmlElement, XmlNode } from './element.ts';
import { DEFAULT_XML_LIMITS, type XmlLimits } from './limits.ts';
import { XmlError } from './xml-error.ts';

/** A parsed document: its root element and what was off but tolerated. */
export interface XmlDocument {
  readonly root: XmlElement;
  readonly warnings: readonly string[];
}

interface Building {
  name: string;
  local: string;
  ns: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}

const UNBOUND_PREFIX_NS = 'urn:gp2gp:unbound-prefix';
/** Distinct undeclared prefixes named in warnings; past this, one more warning says there are more. */
const MAX_UNBOUND_PREFIX_WARNINGS = 20;

/** Options for {@link parseXml} and {@link parseXmlStream}. */
export interface ParseOptions {
  readonly limits?: Partial<XmlLimits>;
  /** Keep whitespace-only text between elements (off: HL7 never gives it meaning). */
  readonly keepWhitespace?: boolean;
  /**
   * Called at every start tag with its local name and depth (root = 0). Returning true leaves the element
   * and everything inside it out of the tree, which keeps memory flat when only counts are wanted.
   */
  readonly prune?: (local: string, depth: number) => boolean;
  /** Called for each start tag inside a pruned subtree, with its local name and depth. */
  readonly onPruned?: (local: string, depth: number) => void;
  /**
   * Called when an element (kept in the tree) is complete, with its depth (root = 0). Returning true takes it
   * out of its parent again: a caller that has used a finished subtree (one ehrComposition, say) lets it go,
   * so a large document is never held whole.
   */
  readonly release?: (el: XmlElement, depth: number) => boolean;
}

/**
 * Parses untrusted XML into an element tree. DTDs (and so entity declarations and external references) are
 * refused outright; size, depth and attribute-count limits hold; an unbound namespace prefix is tolerated
 * with a warning, because real supplier messages carry them.
 *
 * @example
 * const { root } = parseXml('<a xmlns="urn:hl7-org:v3"><b c="1"/></a>');
 * root.local; // 'a'
 */
export function parseXml(input: string | Uint8Array, options: ParseOptions = {}): XmlDocument {
  const builder = new XmlTreeBuilder(options);
  const size = typeof input === 'string' ? input.length : input.byteLength;
  builder.count(size);
  // Bytes are decoded a piece at a time, so a document refused early is never turned into text whole.
  if (typeof input === 'string') builder.write(input);
  else for (const text of decodeXmlChunks(input)) builder.write(text);
  return builder.close();
}

/**
 * Parses XML arriving in chunks (a file or socket), so the raw text is never held whole. The encoding is found
 * as {@link parseXml} finds it (BOM, declaration, else UTF-8) from the first bytes.
 *
 * @example
 * const doc = await parseXmlStream(createReadStream('extract.xml'), { prune: (n) => n === 'component' });
 */
export async function parseXmlStream(
  chunks: AsyncIterable<Uint8Array>,
  options: ParseOptions = {},
): Promise<XmlDocument> {
  const builder = new XmlTreeBuilder(options);
  let decoder: XmlTextDecoder | undefined;
  let head: Buffer[] = [];
  let headBytes = 0;
  const start = (): XmlTextDecoder => {
    const bytes = Buffer.concat(head);
    head = [];
    const encoding = xmlEncoding(bytes);
    const started = new XmlTextDecoder(encoding);
    builder.write(started.decode(bytes.subarray(encoding.start)));
    return started;
  };
  for await (const chunk of chunks) {
    builder.count(chunk.byteLength);
    if (decoder) {
      builder.write(decoder.decode(chunk));
      continue;
    }
    // The first bytes are held until they can tell the encoding.
    head.push(Buffer.from(chunk));
    headBytes += chunk.byteLength;
    if (headBytes >= ENCODING_HEAD_BYTES) decoder = start();
  }
  builder.write((decoder ?? start()).decode());
  return builder.close();
}

/** Incremental tree builder over saxes; one instance per document. */
class XmlTreeBuilder {
  private readonly limits: XmlLimits;
  private readonly options: ParseOptions;
  private readonly parser: SaxesParser<{ xmlns: true }>;
  private readonly warnings: string[] = [];
  private readonly stack: Building[] = [];
  private root: Building | undefined;
  private failure: XmlError | undefined;
  private bytes = 0;
  private depth = 0;
  /** Attributes and namespace declarations read so far in the start tag being read, and its name. */
  private attributesInTag = 0;
  private tagName = '';
  /** Depth at which pruning began, or -1 while building. */
  private prunedAt = -1;

  constructor(options: ParseOptions) {
    this.options = options;
    this.limits = { ...DEFAULT_XML_LIMITS, ...options.limits };
    const unbound = new Set<string>();
    this.parser = new SaxesParser({
      xmlns: true,
      position: false,
      resolvePrefix: (prefix: string) => {
        // No prefix and no default namespace: the element is in no namespace, which is not an error.
        if (prefix === '') return '';
        // Bounded, so a document naming millions of distinct prefixes cannot grow the warnings without end.
        if (!unbound.has(prefix) && unbound.size <= MAX_UNBOUND_PREFIX_WARNINGS) {
          unbound.add(prefix);
          this.warnings.push(
            unbound.size > MAX_UNBOUND_PREFIX_WARNINGS
              ? `more than ${MAX_UNBOUND_PREFIX_WARNINGS} namespace prefixes are not declared`
              : `namespace prefix "${prefix}" is not declared`,
          );
        }
        return `${UNBOUND_PREFIX_NS}:${prefix}`;
      },
    });
    this.parser.on('doctype', () =>
      this.fail(new XmlError('forbidden', 'DTDs and entity declarations are not accepted')),
    );
    this.parser.on('processinginstruction', (pi) => {
      this.warnings.push(`processing instruction <?${pi.target}?> ignored`);
    });
    // Counted as each attribute or namespace declaration is read, not once the start tag is whole: a tag of
    // millions of `xmlns:` declarations is refused at the limit instead of being collected first.
    this.parser.on('opentagstart', (tag) => {
      this.attributesInTag = 0;
      this.tagName = tag.name;
    });
    this.parser.on('attribute', () => {
      if (++this.attributesInTag > this.limits.maxAttributes) {
        this.fail(
          new XmlError(
            'limit',
            `element <${this.tagName}> has more than ${this.limits.maxAttributes} attributes and namespace declarations`,
          ),
        );
      }
    });
    this.parser.on('opentag', (tag) => this.open(tag));
    this.parser.on('closetag', (tag) => this.closeTag(tag));
    this.parser.on('text', (t) => this.text(t));
    this.parser.on('cdata', (t) => this.text(t));
  }

  /** Adds to the byte count and enforces the size limit before any parsing work. */
  count(n: number): void {
    this.bytes += n;
    if (this.bytes > this.limits.maxBytes) {
      throw new XmlError('limit', `document is over the ${this.limits.maxBytes}-byte limit`);
    }
  }

  write(text: string): void {
    try {
      this.parser.write(text);
    } catch (e) {
      throw this.failure ?? new XmlError('malformed', `malformed XML: ${firstLine(e)}`);
    }
  }

  close(): XmlDocument {
    try {
      this.parser.close();
    } catch (e) {
      throw this.failure ?? new XmlError('malformed', `malformed XML: ${firstLine(e)}`);
    }
    if (!this.root) throw new XmlError('malformed', 'malformed XML: no root element');
    return { root: this.root, warnings: this.warnings };
  }

  private fail(e: XmlError): never {
    this.failure = e;
    throw e;
  }

  private open(tag: SaxesTagNS): void {
    const depth = this.depth;
    if (depth >= this.limits.maxDepth) {
      this.fail(new XmlError('limit', `elements nest deeper than ${this.limits.maxDepth}`));
    }
    if (!tag.isSelfClosing) this.depth++;
    if (this.prunedAt < 0 && this.options.prune?.(tag.local, depth)) this.prunedAt = depth;
    if (this.prunedAt >= 0) {
      this.options.onPruned?.(tag.local, depth);
      if (tag.isSelfClosing && this.prunedAt === depth) this.prunedAt = -1;
      return;
    }
    const attrs: Record<string, string> = {};
    for (const key in tag.attributes) {
      const a = tag.attributes[key] as SaxesAttributeNS;
      if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
      attrs[a.local] = a.value;
    }
    const el: Building = { name: tag.name, local: tag.local, ns: tag.uri, attrs, children: [] };
    const parent = this.stack[this.stack.length - 1];
    if (parent) parent.children.push(el);
    else this.root = el;
    if (!tag.isSelfClosing) this.stack.push(el);
    else this.completed(el, depth);
  }

  private closeTag(tag: SaxesTagNS): void {
    if (tag.isSelfClosing) return;
    this.depth--;
    if (this.prunedAt >= 0) {
      if (this.depth === this.prunedAt) this.prunedAt = -1;
      return;
    }
    const el = this.stack.pop();
    if (el) this.completed(el, this.depth);
  }

  /** Offers a finished element to `release`; a released one is detached (it is its parent's last child). */
  private completed(el: Building, depth: number): void {
    if (!this.options.release?.(el, depth)) return;
    const siblings = this.stack[this.stack.length - 1]?.children;
    if (siblings && siblings[siblings.length - 1] === el) siblings.pop();
  }

  private text(t: string): void {
    if (this.prunedAt >= 0) return;
    const parent = this.stack[this.stack.length - 1];
    if (!parent) return;
    if (!this.options.keepWhitespace && isBlank(t)) return;
    const last = parent.children[parent.children.length - 1];
    if (typeof last === 'string') parent.children[parent.children.length - 1] = last + t;
    else parent.children.push(t);
  }
}

function isBlank(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return true;
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return (msg.split('\n')[0] ?? msg).replace(/^undefined:/, '').trim();
}
