import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TlsIdentity } from '../spine/index.ts';
import type { EnginePractice } from '../transfer/index.ts';
import { CliError } from './command.ts';

/**
 * A comma-separated list of ODS codes from an option, upper-cased; refuses anything that is not one.
 *
 * @example
 * odsCodes('a12345, B67890', '--ods') // ['A12345', 'B67890']
 */
export function odsCodes(text: string, option: string): string[] {
  const codes = text
    .split(',')
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
  const bad = codes.find((c) => !/^[A-Z0-9]{3,10}$/.test(c));
  if (bad) throw new CliError(`${option}: "${bad}" is not an ODS code`);
  return codes;
}

/** The options `gp2gp practice` and `gp2gp web` share to name their practices and reach Spine. */
export interface PracticeOptions {
  readonly ods?: string | undefined;
  readonly spine?: string | undefined;
  readonly certs?: string | undefined;
}

/**
 * The practices an engine hosts, each with its certificate when Spine is reached over TLS, from `--ods`,
 * `--spine` and `--certs`.
 *
 * @example
 * const { practices, spineBase } = enginePractices({ ods: 'A12345' }, 'practice');
 */
export function enginePractices(
  values: PracticeOptions,
  command: string,
): { practices: EnginePractice[]; spineBase: string; certs: string } {
  const codes = odsCodes(values.ods ?? '', '--ods');
  if (codes.length === 0) throw new CliError(`--ods is required (see gp2gp ${command} --help)`);
  const spineBase = values.spine ?? 'https://127.0.0.1:8443';
  const certs = resolve(values.certs ?? '.data/spine/certs');
  const tls = spineBase.startsWith('https://');
  const practices = codes.map((ods) => ({ ods, identity: tls ? readIdentityFiles(certs, ods) : undefined }));
  return { practices, spineBase, certs };
}

/**
 * A practice's key, certificate and the CA, as the files `gp2gp spine` writes into `dir` (never creating any).
 *
 * @example
 * readIdentityFiles('.data/spine/certs', 'A12345').certPem // '-----BEGIN CERTIFICATE-----…'
 */
export function readIdentityFiles(dir: string, ods: string): TlsIdentity {
  const read = (name: string): string => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch {
      throw new CliError(`no ${name} in ${dir} (gp2gp spine makes the certificates on its first run)`);
    }
  };
  return {
    name: ods,
    keyPem: read(`${ods}.key.pem`),
    certPem: read(`${ods}.cert.pem`),
    caPem: read('ca.cert.pem'),
  };
}
