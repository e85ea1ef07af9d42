import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DiskDocumentStore } from './disk-document-store.ts';
import { tempFolder } from './testing/test-databases.ts';

// The behaviour every document store shares is in document-stores.int.test.ts; this is what only the folder does.

let tmp: Awaited<ReturnType<typeof tempFolder>>;
before(async () => {
  tmp = await tempFolder('documents-');
});
after(async () => {
  await tmp.remove();
});

test('documents: open clears unfinished writes a crash left, but only old ones (another may be writing)', async () => {
  const dir = join(tmp.path, 'sweep');
  await (await DiskDocumentStore.open(dir)).close();
  await writeFile(join(dir, 'tmp', 'crashed.part'), 'x');
  const young = await DiskDocumentStore.open(dir);
  await young.close();
  assert.deepEqual(await readdir(join(dir, 'tmp')), ['crashed.part']);
  const swept = await DiskDocumentStore.open(dir, { sweepTempOlderThanMs: -1 });
  await swept.close();
  assert.deepEqual(await readdir(join(dir, 'tmp')), []);
});
