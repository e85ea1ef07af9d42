import { sql } from 'drizzle-orm';
import type { Database } from '../database.ts';

/**
 * Unpublished uploads: what writes hold in the database until they publish or are discarded (0 when no write
 * is in flight and none was left behind).
 *
 * @example
 * assert.equal(await unpublishedUploads(store.db), 0);
 */
export async function unpublishedUploads(db: Database): Promise<number> {
  const { rows } = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from document_uploads u
    where not exists (select 1 from documents d where d.upload_id = u.id)`);
  return rows[0]?.n ?? 0;
}

/**
 * Chunk rows of unpublished uploads (what a writer in flight, or one that died, has written).
 *
 * @example
 * assert.equal(await unpublishedChunkRows(store.db), 0);
 */
export async function unpublishedChunkRows(db: Database): Promise<number> {
  const { rows } = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from document_chunks c
    where not exists (select 1 from documents d where d.upload_id = c.upload_id)`);
  return rows[0]?.n ?? 0;
}

/**
 * Chunk rows holding one document's bytes.
 *
 * @example
 * assert.equal(await documentChunkRows(store.db, id), 3);
 */
export async function documentChunkRows(db: Database, documentId: string): Promise<number> {
  const { rows } = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from document_chunks c
    join documents d on d.upload_id = c.upload_id where d.id = ${documentId}`);
  return rows[0]?.n ?? 0;
}
