import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TlsIdentity } from '../spine/index.ts';
import { CliError } from './command.ts';

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
