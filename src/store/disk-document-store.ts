import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DEFAULT_MAX_DOCUMENT_BYTES, isDocumentId, isRangeWithin, WritesInFlight } from './document-rules.ts';
import type {
  ByteRange,
  DocumentSource,
  DocumentStore,
  PutOutcome,
  ReadOutcome,
  StoredDocument,
} from './document-store.ts';

/** Options for {@link DiskDocumentStore.open}. */
export interface DiskDocumentOptions {
  /** Largest document accepted, in bytes (default 1 GiB: the largest whole records seen are ~930 MB). */
  readonly maxBytes?: number;
  /** Unfinished writes older than this are removed on open, in ms (default 24 h); a crash leaves them behind. */
  readonly sweepTempOlderThanMs?: number;
}

/** Raised inside the write pipeline to stop it; turned into a typed outcome, never seen by callers. */
class TooLarge extends Error {}

/**
 * {@link DocumentStore} in a folder: `sha256/ab/<64 hex>` for documents, `tmp/` for writes in flight. A write
 * streams to a temporary file while hashing, is flushed to disk, then renamed into place (atomic: readers see the
 * whole document or none). Ids are checked to be 64 hex digits, so no id can name a path outside the folder.
 *
 * @example
 * const docs = await DiskDocumentStore.open('data/documents', { maxBytes: 100 * 1024 * 1024 });
 * await docs.close();
 */
export class DiskDocumentStore implements DocumentStore {
  readonly dir: string;
  private readonly maxBytes: number;
  private readonly writes = new WritesInFlight();

  private constructor(dir: string, maxBytes: number) {
    this.dir = dir;
    this.maxBytes = maxBytes;
  }

  /** Creates the folder layout if needed and clears writes a crash left unfinished. */
  static async open(dir: string, options: DiskDocumentOptions = {}): Promise<DiskDocumentStore> {
    const store = new DiskDocumentStore(dir, options.maxBytes ?? DEFAULT_MAX_DOCUMENT_BYTES);
    await mkdir(join(dir, 'sha256'), { recursive: true });
    await mkdir(join(dir, 'tmp'), { recursive: true });
    await store.sweepTemp(options.sweepTempOlderThanMs ?? 24 * 3600_000);
    return store;
  }

  put(source: DocumentSource, options: { readonly maxBytes?: number } = {}): Promise<PutOutcome> {
    const limit = Math.min(options.maxBytes ?? this.maxBytes, this.maxBytes);
    return this.writes.run(() => this.write(source, limit));
  }

  async read(id: string, range?: ByteRange): Promise<ReadOutcome> {
    if (!isDocumentId(id)) return { ok: false, reason: 'bad-id' };
    const found = await this.stat(id);
    if (!found) return { ok: false, reason: 'not-found' };
    if (!range) return { ok: true, bytes: found.bytes, stream: createReadStream(this.pathOf(id)) };
    if (!isRangeWithin(range, found.bytes)) return { ok: false, reason: 'bad-range' };
    const { start, end } = range;
    return { ok: true, bytes: end - start + 1, stream: createReadStream(this.pathOf(id), { start, end }) };
  }

  async stat(id: string): Promise<StoredDocument | undefined> {
    if (!isDocumentId(id)) return undefined;
    const s = await stat(this.pathOf(id)).catch(() => undefined);
    return s?.isFile() ? { id, bytes: s.size } : undefined;
  }

  async delete(id: string): Promise<boolean> {
    if (!isDocumentId(id)) return false;
    try {
      await rm(this.pathOf(id));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.writes.close();
  }

  private async write(source: DocumentSource, limit: number): Promise<PutOutcome> {
    const tmp = join(this.dir, 'tmp', `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
        bytes += chunk.length;
        if (bytes > limit) {
          done(new TooLarge());
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      // flush: fsync before close, so a document renamed into place survives a power cut whole.
      await pipeline(source, meter, createWriteStream(tmp, { flags: 'wx', flush: true }));
    } catch (e) {
      await rm(tmp, { force: true });
      if (e instanceof TooLarge) return { ok: false, reason: 'too-large', limit };
      throw e;
    }
    const id = hash.digest('hex');
    const target = this.pathOf(id);
    await mkdir(join(target, '..'), { recursive: true });
    await rename(tmp, target); // same bytes if it already existed: replacing is harmless and atomic
    return { ok: true, document: { id, bytes } };
  }

  private pathOf(id: string): string {
    return join(this.dir, 'sha256', id.slice(0, 2), id);
  }

  /** Removes temporary files older than `olderThanMs` (another instance may be writing the younger ones). */
  private async sweepTemp(olderThanMs: number): Promise<void> {
    const tmpDir = join(this.dir, 'tmp');
    const cutoff = Date.now() - olderThanMs;
    for (const name of await readdir(tmpDir)) {
      const p = join(tmpDir, name);
      const s = await stat(p).catch(() => undefined);
      if (s && s.mtimeMs < cutoff) await rm(p, { force: true });
    }
  }
}
