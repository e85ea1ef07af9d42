import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedPath } from './shared-corpus.ts';

/** Result of a schema check: valid, or the first lines xmllint printed. */
export type XsdResult = { readonly valid: true } | { readonly valid: false; readonly errors: string };

/** Why an XSD check cannot run here (no ../shared schemas or no xmllint), or undefined when it can. */
export function xsdUnavailable(): string | undefined {
  if (!sharedPath('schemas/schema')) return '../shared/schemas is absent: XSD validation skipped';
  const probe = spawnSync('xmllint', ['--version']);
  if (probe.error) return 'xmllint is not installed (apt-get install libxml2-utils): XSD validation skipped';
  return undefined;
}

/**
 * Some shipped MIM files include siblings by a path from the repository they were taken from
 * (`../../../../../schema/src/main/resources/dt/…`); a private copy with those paths made relative
 * compiles, and leaves ../shared untouched.
 */
const BROKEN_INCLUDE_PREFIX = '../../../../../schema/src/main/resources/';
let schemaCopy: string | undefined;

function schemaRoot(): string {
  if (schemaCopy) return schemaCopy;
  const src = sharedPath('schemas');
  if (!src) throw new Error('../shared/schemas is absent');
  const dir = mkdtempSync(join(tmpdir(), 'gp2gp-schemas-'));
  cpSync(src, dir, { recursive: true });
  const patch = (folder: string): void => {
    for (const name of readdirSync(folder)) {
      const p = join(folder, name);
      if (statSync(p).isDirectory()) patch(p);
      else if (name.endsWith('.xsd')) {
        const text = readFileSync(p, 'utf8');
        if (text.includes(BROKEN_INCLUDE_PREFIX))
          writeFileSync(p, text.replaceAll(BROKEN_INCLUDE_PREFIX, '../'));
      }
    }
  };
  patch(dir);
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  schemaCopy = dir;
  return dir;
}

/**
 * Validates XML text against a MIM schema in ../shared/schemas/schema with xmllint.
 *
 * @example
 * validateXsd(xml, 'MCCI_IN010000UK13') // { valid: true }
 */
export function validateXsd(xml: string, schema: string): XsdResult {
  const xsd = join(schemaRoot(), 'schema', `${schema}.xsd`);
  const dir = mkdtempSync(join(tmpdir(), 'gp2gp-xsd-'));
  try {
    const file = join(dir, 'message.xml');
    writeFileSync(file, xml);
    const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', xsd, file], { encoding: 'utf8' });
    if (r.status === 0) return { valid: true };
    return { valid: false, errors: (r.stderr || r.stdout).split('\n').slice(0, 15).join('\n') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
