import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { eq, sql } from 'drizzle-orm';
import type { Database } from './database.ts';
import { DEFAULT_MAX_DOCUMENT_BYTES, isDocumentId, isRangeWithin, WritesInFlight } from './document-rules.ts';
import type {
  ByteRange,
  DocumentSource,
  DocumentStore,
  PutOutcome,
  ReadOutcome,
  StoredDocument,
} from './document-store.ts';
import { documents, documentUploads } from './schema.ts';

/** Options for {@link DatabaseDocumentStore.open}. */
export interface DatabaseDocumentOptions {
  /** Largest document accepted, in bytes (default 1 GiB). */
  readonly maxBytes?: number;
  /** Bytes per stored chunk (default 1 MiB): a write or a read holds a chunk or two in memory at a time. */
  readonly chunkBytes?: number;
  /**
   * An unpublished upload untouched this long was abandoned (its writer died), in ms (default 1 h). A live writer
   * touches its upload with every chunk, so only a source stalled this long between chunks is mistaken for dead.
   */
  readonly staleUploadMs?: number;
}

/** Options for {@link DatabaseDocumentStore.prune}. */
export interface PruneOptions {
  /** Remove unpublished uploads untouched this long, in ms (default: the store's `staleUploadMs`). */
  readonly olderThanMs?: number;
  /** Most uploads removed by one call (default 100). */
  readonly limit?: number;
}

const DEFAULT_CHUNK_BYTES = 1024 * 1024;
const MAX_CHUNK_BYTES = 64 * 1024 * 1024;
const DEFAULT_STALE_UPLOAD_MS = 3600_000;
const PRUNE_LIMIT = 100;

/** Where a document's bytes are: the upload holding its chunks, its length and its chunk size. */
interface Located {
  readonly id: string;
  readonly uploadId: string;
  readonly bytes: number;
  readonly chunkBytes: number;
}

/**
 * {@link DocumentStore} in the database, so every engine process sharing one PostgreSQL reads what any of them
 * wrote. A write streams the source into `document_chunks` under an upload of its own (`document_uploads`) while
 * hashing and counting, then publishes it in one transaction by inserting the `documents` row that names the
 * upload: readers see the whole document or none. Identical bytes written twice (even at once, from two
 * processes) keep the first upload and drop the other. Reads fetch one chunk at a time as the consumer pulls,
 * and only the chunks a range touches. A writer that dies leaves an unpublished upload, removed by
 * {@link prune} once stale (and on open).
 *
 * @example
 * const docs = await DatabaseDocumentStore.open(store.db, { chunkBytes: 1024 * 1024 });
 * const put = await docs.put(request);
 * const head = put.ok ? await docs.read(put.document.id, { start: 0, end: 99 }) : undefined;
 * setInterval(() => void docs.prune(), 600_000); // abandoned uploads of writers that crashed
 */
export class DatabaseDocumentStore implements DocumentStore {
  private readonly db: Database;
  private readonly maxBytes: number;
  private readonly chunkBytes: number;
  private readonly staleUploadMs: number;
  private readonly writes = new WritesInFlight();

  private constructor(db: Database, options: DatabaseDocumentOptions) {
    this.db = db;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
    this.chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
    this.staleUploadMs = options.staleUploadMs ?? DEFAULT_STALE_UPLOAD_MS;
    if (!Number.isSafeInteger(this.chunkBytes) || this.chunkBytes < 1 || this.chunkBytes > MAX_CHUNK_BYTES) {
      throw new RangeError(`chunkBytes must be a whole number from 1 to ${MAX_CHUNK_BYTES}`);
    }
  }

  /** A store over the migrated database `db`; removes stale uploads that crashed writers left. */
  static async open(db: Database, options: DatabaseDocumentOptions = {}): Promise<DatabaseDocumentStore> {
    const store = new DatabaseDocumentStore(db, options);
    while ((await store.prune()) === PRUNE_LIMIT) {
      // more remain
    }
    return store;
  }

  put(source: DocumentSource, options: { readonly maxBytes?: number } = {}): Promise<PutOutcome> {
    const limit = Math.min(options.maxBytes ?? this.maxBytes, this.maxBytes);
    return this.writes.run(() => this.write(source, limit));
  }

  async read(id: string, range?: ByteRange): Promise<ReadOutcome> {
    if (!isDocumentId(id)) return { ok: false, reason: 'bad-id' };
    const found = await this.locate(id);
    if (!found) return { ok: false, reason: 'not-found' };
    if (range && !isRangeWithin(range, found.bytes)) return { ok: false, reason: 'bad-range' };
    const { start, end } = range ?? { start: 0, end: found.bytes - 1 };
    // Not object mode: the stream stops pulling while a chunk waits in its buffer (backpressure).
    const stream = Readable.from(this.chunks(found, start, end), { objectMode: false });
    return { ok: true, bytes: end - start + 1, stream };
  }

  async stat(id: string): Promise<StoredDocument | undefined> {
    const found = isDocumentId(id) ? await this.locate(id) : undefined;
    return found && { id, bytes: found.bytes };
  }

  async delete(id: string): Promise<boolean> {
    if (!isDocumentId(id)) return false;
    return this.db.transaction(async (tx) => {
      const [gone] = await tx
        .delete(documents)
        .where(eq(documents.id, id))
        .returning({ uploadId: documents.uploadId });
      if (!gone) return false;
      await tx.delete(documentUploads).where(eq(documentUploads.id, gone.uploadId)); // its chunks cascade
      return true;
    });
  }

  async close(): Promise<void> {
    await this.writes.close();
  }

  /**
   * Deletes unpublished uploads untouched for `olderThanMs` with their chunks (what writers that crashed left);
   * returns how many. Bounded so it never holds long locks: call again while it returns the limit. Safe beside
   * live writers on any instance: a writer touches its upload with each chunk and when it publishes, and the
   * staleness is re-checked on the locked row.
   */
  async prune(options: PruneOptions = {}): Promise<number> {
    const olderThanMs = options.olderThanMs ?? this.staleUploadMs;
    const limit = options.limit ?? PRUNE_LIMIT;
    // Server time: the one clock every instance sharing the database agrees on.
    const cutoff = sql`now() - ${olderThanMs}::double precision * interval '1 millisecond'`;
    const gone = await this.db.execute<{ id: string }>(sql`
      delete from document_uploads
      where touched_at <= ${cutoff}
        and id in (
          select u.id from document_uploads u
          where u.touched_at <= ${cutoff}
            and not exists (select 1 from documents d where d.upload_id = u.id)
          order by u.touched_at
          limit ${limit}::int)
      returning id`);
    return gone.rows.length;
  }

  private async locate(id: string): Promise<Located | undefined> {
    const [row] = await this.db
      .select({ uploadId: documents.uploadId, bytes: documents.bytes, chunkBytes: documents.chunkBytes })
      .from(documents)
      .where(eq(documents.id, id));
    return row && { id, ...row };
  }

  /** The bytes `start`..`end` (inclusive), fetched a chunk at a time as the stream asks for more. */
  private async *chunks(found: Located, start: number, end: number): AsyncGenerator<Buffer> {
    if (end < start) return; // an empty document
    const first = Math.floor(start / found.chunkBytes);
    const last = Math.floor(end / found.chunkBytes);
    for (let seq = first; seq <= last; seq++) {
      const chunk = await this.fetchChunk(found, seq);
      const offset = seq * found.chunkBytes;
      yield chunk.subarray(Math.max(start - offset, 0), Math.min(end - offset + 1, chunk.length));
    }
  }

  private async fetchChunk(found: Located, seq: number): Promise<Buffer> {
    const { rows } = await this.db.execute<{ data: string }>(sql`
      select encode(data, 'base64') as data from document_chunks
      where upload_id = ${found.uploadId} and seq = ${seq}`);
    const data = rows[0]?.data;
    if (data === undefined) {
      throw new Error(
        `document ${found.id}: chunk ${seq} is gone (the document was deleted while being read)`,
      );
    }
    const chunk = Buffer.from(data, 'base64');
    const expected = Math.min(found.chunkBytes, found.bytes - seq * found.chunkBytes);
    if (chunk.length !== expected) {
      throw new Error(`document ${found.id}: chunk ${seq} holds ${chunk.length} bytes, not ${expected}`);
    }
    return chunk;
  }

  private async write(source: DocumentSource, limit: number): Promise<PutOutcome> {
    const uploadId = randomUUID();
    await this.db.insert(documentUploads).values({ id: uploadId });
    let outcome: PutOutcome;
    try {
      outcome = await this.upload(uploadId, source, limit);
    } catch (e) {
      // If the database is what failed, this fails too and prune removes the upload once stale.
      await this.discard(uploadId).catch(() => undefined);
      throw e;
    }
    if (!outcome.ok) await this.discard(uploadId);
    return outcome;
  }

  /** Streams `source` into chunks of the upload, then publishes it; too-large stops early (the caller discards). */
  private async upload(uploadId: string, source: DocumentSource, limit: number): Promise<PutOutcome> {
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(this.chunkBytes);
    let bytes = 0;
    let filled = 0;
    let seq = 0;
    // Leaving the loop early (too large, or a failed insert) destroys a Readable source. Each full chunk is
    // stored before the source is asked for more: that wait is the backpressure.
    for await (const item of source as AsyncIterable<unknown>) {
      const piece = asBytes(item);
      bytes += piece.length;
      if (bytes > limit) return { ok: false, reason: 'too-large', limit };
      hash.update(piece);
      for (let used = 0; used < piece.length; ) {
        const n = Math.min(piece.length - used, buffer.length - filled);
        buffer.set(piece.subarray(used, used + n), filled);
        filled += n;
        used += n;
        if (filled === buffer.length) {
          await this.storeChunk(uploadId, seq++, buffer);
          filled = 0;
        }
      }
    }
    if (filled > 0) await this.storeChunk(uploadId, seq, buffer.subarray(0, filled));
    const id = hash.digest('hex');
    await this.publish(uploadId, id, bytes);
    return { ok: true, document: { id, bytes } };
  }

  /** Writes one chunk and touches its upload in one statement; nothing is written if the upload was pruned. */
  private async storeChunk(uploadId: string, seq: number, data: Buffer): Promise<void> {
    // base64 text both ways: the same on both drivers, and PGlite's own bytea conversion is byte by byte.
    const encoded = data.toString('base64');
    const { rows } = await this.db.execute<{ seq: number }>(sql`
      with upload as (update document_uploads set touched_at = now() where id = ${uploadId} returning id)
      insert into document_chunks (upload_id, seq, data)
      select id, ${seq}::int, decode(${encoded}, 'base64') from upload
      returning seq`);
    if (rows.length !== 1) throw abandoned(uploadId);
  }

  /** Makes the upload visible as document `id`, or drops it where those bytes are already stored. */
  private async publish(uploadId: string, id: string, bytes: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      // Touching first locks the upload, so a concurrent prune re-checks it and finds it fresh.
      const touched = await tx
        .update(documentUploads)
        .set({ touchedAt: sql`now()` })
        .where(eq(documentUploads.id, uploadId))
        .returning({ id: documentUploads.id });
      if (touched.length === 0) throw abandoned(uploadId);
      // A concurrent writer of the same bytes waits here for the first to commit, then inserts nothing.
      const inserted = await tx
        .insert(documents)
        .values({ id, uploadId, bytes, chunkBytes: this.chunkBytes })
        .onConflictDoNothing({ target: documents.id })
        .returning({ id: documents.id });
      if (inserted.length === 0) await tx.delete(documentUploads).where(eq(documentUploads.id, uploadId));
    });
  }

  private async discard(uploadId: string): Promise<void> {
    await this.db.delete(documentUploads).where(eq(documentUploads.id, uploadId));
  }
}

/** A source's item as bytes: object-mode streams may yield strings (taken as UTF-8). */
function asBytes(item: unknown): Uint8Array {
  if (item instanceof Uint8Array) return item;
  if (typeof item === 'string') return Buffer.from(item, 'utf8');
  throw new TypeError(`a document source must yield bytes (Uint8Array) or strings, not ${typeof item}`);
}

function abandoned(uploadId: string): Error {
  return new Error(
    `document upload ${uploadId} was removed as abandoned (untouched past the stale limit) before it finished`,
  );
}
