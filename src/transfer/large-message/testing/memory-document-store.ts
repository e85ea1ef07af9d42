import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type {
  ByteRange,
  DocumentSource,
  DocumentStore,
  PutOutcome,
  ReadOutcome,
  StoredDocument,
} from '../../../store/index.ts';

const DEFAULT_MAX_BYTES = 1024 * 1024 * 1024;

/**
 * The DocumentStore contract kept in memory (content-addressed by SHA-256, ranges as the disk store reads them),
 * for tests that move thousands of small parts, where the disk store's fsync per document would dominate.
 *
 * @example
 * const documents = new MemoryDocumentStore();
 */
export class MemoryDocumentStore implements DocumentStore {
  private readonly docs = new Map<string, Buffer>();
  private readonly maxBytes: number;

  constructor(maxBytes = DEFAULT_MAX_BYTES) {
    this.maxBytes = maxBytes;
  }

  async put(source: DocumentSource, options: { readonly maxBytes?: number } = {}): Promise<PutOutcome> {
    const limit = Math.min(options.maxBytes ?? this.maxBytes, this.maxBytes);
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of source as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      if (bytes > limit) return { ok: false, reason: 'too-large', limit };
      chunks.push(Buffer.from(chunk));
    }
    const body = Buffer.concat(chunks);
    const id = createHash('sha256').update(body).digest('hex');
    this.docs.set(id, body);
    return { ok: true, document: { id, bytes } };
  }

  async read(id: string, range?: ByteRange): Promise<ReadOutcome> {
    if (!/^[0-9a-f]{64}$/.test(id)) return { ok: false, reason: 'bad-id' };
    const body = this.docs.get(id);
    if (!body) return { ok: false, reason: 'not-found' };
    if (!range) return { ok: true, bytes: body.length, stream: Readable.from([body]) };
    if (range.start < 0 || range.end < range.start || range.end >= body.length)
      return { ok: false, reason: 'bad-range' };
    return {
      ok: true,
      bytes: range.end - range.start + 1,
      stream: Readable.from([body.subarray(range.start, range.end + 1)]),
    };
  }

  async stat(id: string): Promise<StoredDocument | undefined> {
    const body = this.docs.get(id);
    return body ? { id, bytes: body.length } : undefined;
  }

  async delete(id: string): Promise<boolean> {
    return this.docs.delete(id);
  }

  async close(): Promise<void> {}
}
