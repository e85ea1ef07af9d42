import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The dependency rule of docs/ARCHITECTURE.md, checked: each folder of src/ may import only the folders listed
 * for it. Tests and `testing/` helpers may reach across (integration tests do), production code may not.
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  common: [],
  xml: ['common'],
  hl7: ['xml', 'common'],
  ebxml: ['xml', 'common'],
  record: ['hl7', 'xml', 'common'],
  spine: ['store', 'ebxml', 'hl7', 'xml', 'common'],
  store: ['common'],
  reporting: ['hl7', 'common'],
  transfer: ['record', 'spine', 'store', 'hl7', 'ebxml', 'xml', 'common'],
  practice: ['transfer', 'record', 'spine', 'store', 'hl7', 'ebxml', 'xml', 'common'],
  web: ['practice', 'reporting', 'transfer', 'record', 'spine', 'store', 'hl7', 'ebxml', 'xml', 'common'],
  demo: ['practice', 'web', 'transfer', 'record', 'spine', 'store', 'hl7', 'ebxml', 'xml', 'common'],
  cli: [
    'demo',
    'web',
    'practice',
    'reporting',
    'transfer',
    'record',
    'spine',
    'store',
    'hl7',
    'ebxml',
    'xml',
    'common',
  ],
};

const SRC = dirname(fileURLToPath(import.meta.url));
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function productionFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'testing' ? [] : productionFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

function folderOf(file: string): string {
  return relative(SRC, file).split('/')[0] ?? '';
}

test('every src folder imports only the folders below it (docs/ARCHITECTURE.md)', () => {
  const violations: string[] = [];
  for (const file of productionFiles(SRC)) {
    const from = folderOf(file);
    if (!file.includes('/', SRC.length + 1)) continue; // files directly in src/ (this test) belong to no layer
    const allowed = ALLOWED[from];
    assert.ok(
      allowed,
      `src/${from}/ is not in the architecture table: add it to docs/ARCHITECTURE.md and here`,
    );
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const to = folderOf(resolve(dirname(file), m[1] ?? m[2] ?? ''));
      if (to !== from && !allowed.includes(to)) violations.push(`${relative(SRC, file)} imports src/${to}/`);
    }
  }
  assert.deepEqual(violations, []);
});
