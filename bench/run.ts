import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedPath } from '../src/common/testing/shared-corpus.ts';

/**
 * `npm run bench`: every benchmark of docs/BENCHMARKS.md in turn, each in its own process with the V8 flag
 * `bin/gp2gp` uses, printing what each prints. Figures go into docs/BENCHMARKS.md by hand, with the command.
 */
const dir = mkdtempSync(join(tmpdir(), 'gp2gp-bench-'));
const node = process.execPath;
const flags = ['--max-semi-space-size=8'];
const here = import.meta.dirname;

function run(title: string, args: string[]): void {
  process.stdout.write(`\n## ${title}\n`);
  const r = spawnSync(node, [...flags, ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}

try {
  run('Reading a large EHR extract (30 MB)', [join(here, 'parse-extract.ts'), '30', '3']);
  const large = join(dir, 'large-30.xml');
  if (sharedPath('corpus/ehr-extract/PWTP4.xml')) {
    run('Making a 30 MB extract from PWTP4', [join(here, 'make-large-extract.ts'), large, '30']);
  }
  if (existsSync(large)) run('Translating it to FHIR', [join(here, 'translate-extract.ts'), large]);
  else process.stdout.write('\n(translation benchmark skipped: ../shared/corpus is absent)\n');
  run('Spine simulator routing', [join(here, 'spine-routing.ts')]);
  run('MHS duplicate-elimination claims (store)', [join(here, 'store-claims.ts')]);
  run('Classifying a month of Spine log', [join(here, 'classify.ts'), '--runs', '1']);
  run('Large messages: a document in fragments and back (16 MB, 128 MB)', [join(here, 'large-message.ts')]);
  run('Hostile input', [
    join(here, 'hostile-input.ts'),
    ...['xmlns', '4000000', 'gzip', '1024', 'gzip-stream', '1024', 'bundle', '100001', 'csv', '100'],
    ...['csv-unlimited', '100'],
  ]);
  run('Document store: a 200 MB document in and out (disk, PGlite, PostgreSQL)', [
    join(here, 'document-store.ts'),
  ]);
  run('Synthetic records and document bytes', [join(here, 'synthetic-records.ts')]);
  run('Practice web app pages with 10,000 transfers', [join(here, 'web-pages.ts')]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
