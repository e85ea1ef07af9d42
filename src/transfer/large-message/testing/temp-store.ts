import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { DiskDocumentStore } from '../../../store/index.ts';

/**
 * A DiskDocumentStore in a fresh temporary folder, closed and removed when the test file ends.
 *
 * @example
 * const documents = await tempDocumentStore();
 */
export async function tempDocumentStore(): Promise<DiskDocumentStore> {
  const dir = await mkdtemp(join(tmpdir(), 'gp2gp-large-message-'));
  const documents = await DiskDocumentStore.open(dir);
  after(async () => {
    await documents.close();
    await rm(dir, { recursive: true, force: true });
  });
  return documents;
}

/** Stores bytes and returns their id, failing the test if the store refuses them. */
export async function putBytes(documents: DiskDocumentStore, bytes: Uint8Array): Promise<string> {
  const put = await documents.put([bytes]);
  if (!put.ok) throw new Error('store refused the bytes');
  return put.document.id;
}
