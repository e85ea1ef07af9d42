import { readFileSync } from 'node:fs';
import { isSnomedConceptId } from './snomed-id.ts';

/**
 * The immunisation code list (`data/immunisation-codes.tsv`, with its sources and date): SNOMED CT concepts for
 * vaccine products, vaccinations given and not given and immunisation status, and the Read v2 and CTV3
 * immunisation codes. Loaded once, on first use; updated by editing the file, not the code.
 */

/** The codes of the list, by scheme. */
export interface ImmunisationCodeList {
  /** SNOMED CT concept ids. */
  readonly snomed: ReadonlySet<string>;
  /** Read v2 and CTV3 concepts: the first five characters of the code. */
  readonly read: ReadonlySet<string>;
}

const DATA_FILE = new URL('./data/immunisation-codes.tsv', import.meta.url);
let loaded: ImmunisationCodeList | undefined;

/**
 * Parses the list's text: `scheme<TAB>code<TAB>term` lines, `#` comments. A SNOMED CT code that is no concept id
 * (a description id, a typo) is an error in the file, not a code.
 *
 * @example
 * parseImmunisationCodes('snomed\t86198006\tInfluenza vaccination\nread2\t65E..00\tInfluenza vaccination').read.has('65E..') // true
 */
export function parseImmunisationCodes(text: string): ImmunisationCodeList {
  const snomed = new Set<string>();
  const read = new Set<string>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const [scheme, code] = line.split('\t').map((p) => p.trim());
    if (scheme === 'snomed' && isSnomedConceptId(code)) snomed.add(code!);
    else if ((scheme === 'read2' || scheme === 'ctv3') && code && code.length >= 5)
      read.add(code.slice(0, 5));
    else throw new Error(`immunisation code list, line ${i + 1}: not a ${scheme ?? 'scheme'} code: ${line}`);
  });
  return { snomed, read };
}

/** The list, read from its file on first use. */
export function immunisationCodes(): ImmunisationCodeList {
  loaded ??= parseImmunisationCodes(readFileSync(DATA_FILE, 'utf8'));
  return loaded;
}

const READ_SYSTEMS = new Set([
  '2.16.840.1.113883.2.1.6.2',
  '2.16.840.1.113883.2.1.3.2.4.14',
  'http://read.info/readv2',
  'http://read.info/ctv3',
]);

/**
 * True where a code is on the immunisation list, whatever system the supplier declared (real extracts mistype
 * the OID): a SNOMED CT concept id is looked up as one, a Read v2 or CTV3 code (five characters, or seven with
 * its term code) by its concept.
 *
 * @example
 * isImmunisationCode('86198006', '2.16.840.1.113883.2.1.6.2') // true: SNOMED CT influenza vaccination, OID mistyped
 * isImmunisationCode('65E..00', undefined) // true: Read v2 influenza vaccination
 */
export function isImmunisationCode(code: string | undefined, system?: string): boolean {
  const value = code?.trim();
  if (!value) return false;
  const list = immunisationCodes();
  if (list.snomed.has(value)) return true;
  if (value.length !== 5 && value.length !== 7) return false;
  // An all-digit Read code (6572000) is read as Read only where it cannot be a SNOMED CT concept id, or was
  // declared Read: a seven-digit SNOMED id must not match a Read concept by its first digits.
  const readLike = /\D/.test(value) || !isSnomedConceptId(value) || READ_SYSTEMS.has(system ?? '');
  return readLike && list.read.has(value.slice(0, 5));
}
