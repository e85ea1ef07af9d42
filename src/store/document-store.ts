import type { Readable } from 'node:stream';

/** A stored document: its id (the SHA-256 of its bytes, lower-case hex) and its length. */
export interface StoredDocument {
  readonly id: string;
  readonly bytes: number;
}

/** Bytes to store: a stream (an HTTP request, a file) or chunks produced on the fly. */
export type DocumentSource = Readable | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** The outcome of {@link DocumentStore.put}: stored, or refused for size (nothing is kept). */
export type PutOutcome =
  | { readonly ok: true; readonly document: StoredDocument }
  | { readonly ok: false; readonly reason: 'too-large'; readonly limit: number };

/** The outcome of {@link DocumentStore.read}: a stream of the bytes, or why there is none. */
export type ReadOutcome =
  | { readonly ok: true; readonly bytes: number; readonly stream: Readable }
  | { readonly ok: false; readonly reason: 'not-found' | 'bad-id' | 'bad-range' };

/** A byte range to read, both ends inclusive (as in HTTP Range and fs.createReadStream). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Attachment bytes, kept outside the database and never whole in memory: written from a stream, read as a
 * stream (or a range of one, to cut large-message fragments). Content-addressed, so a retried write stores nothing
 * twice and an id names exactly one content. Deleting is the owner's decision: the same bytes may back two records.
 *
 * @example
 * const put = await store.documents.put(request);   // any Readable or AsyncIterable<Uint8Array>
 * if (put.ok) { const r = await store.documents.read(put.document.id); if (r.ok) r.stream.pipe(res); }
 */
export interface DocumentStore {
  /** Stores the bytes of `source`; refuses (and keeps nothing) past `maxBytes` or the store's limit. */
  put(source: DocumentSource, options?: { readonly maxBytes?: number }): Promise<PutOutcome>;
  /** Streams a document, or the bytes `range` selects. */
  read(id: string, range?: ByteRange): Promise<ReadOutcome>;
  /** The document's length, or undefined where there is no such document. */
  stat(id: string): Promise<StoredDocument | undefined>;
  /** Removes a document; false where there was none. */
  delete(id: string): Promise<boolean>;
  /** Waits for writes in flight, then refuses new ones. */
  close(): Promise<void>;
  /** Removes what crashed writers left behind (unfinished uploads past their staleness); how many went. */
  prune?(): Promise<number>;
}
