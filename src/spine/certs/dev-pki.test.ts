import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '../testing/fixtures.ts';
import { oid, smallInteger, time } from './der.ts';
import { DevPki } from './dev-pki.ts';

const tmp = tempDir();
after(() => tmp.remove());

test('DER: object identifiers, integers and times encode as X.690 says', () => {
  assert.equal(oid('2.5.4.3').toString('hex'), '0603550403');
  assert.equal(oid('1.2.840.10045.4.3.2').toString('hex'), '06082a8648ce3d040302');
  assert.equal(smallInteger(0).toString('hex'), '020100');
  assert.equal(smallInteger(128).toString('hex'), '02020080');
  assert.equal(
    time(new Date(Date.UTC(2030, 0, 2, 3, 4, 5)))
      .toString('latin1')
      .slice(2),
    '300102030405Z',
  );
  assert.equal(
    time(new Date(Date.UTC(2051, 0, 2, 3, 4, 5)))
      .toString('latin1')
      .slice(2),
    '20510102030405Z',
  );
});

test('creates a CA on first run and reuses it after', () => {
  const dir = join(tmp.dir, 'pki');
  const first = DevPki.open({ dir });
  const again = DevPki.open({ dir });
  assert.equal(again.caCertPem, first.caCertPem);
  const ca = new X509Certificate(first.caCertPem);
  assert.equal(ca.ca, true);
  assert.equal(statSync(join(dir, 'ca.key.pem')).mode & 0o777, 0o600);
});

test('issues a practice certificate for TLS client and server use, signed by the CA', () => {
  const pki = DevPki.open({ dir: join(tmp.dir, 'pki') });
  const id = pki.identity('SIMA01');
  const cert = new X509Certificate(id.certPem);
  const ca = new X509Certificate(pki.caCertPem);
  assert.match(cert.subject, /CN=SIMA01/);
  assert.ok(cert.checkIssued(ca));
  assert.ok(cert.verify(ca.publicKey));
  assert.equal(cert.ca, false);
  assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
  assert.ok(cert.checkIP('127.0.0.1'));
  assert.ok(cert.checkHost('localhost'));
  // the second request reads the same files back
  assert.equal(pki.identity('SIMA01').certPem, id.certPem);
  assert.equal(readFileSync(join(tmp.dir, 'pki', 'SIMA01.cert.pem'), 'utf8'), id.certPem);
});

test('re-issues a certificate signed by a CA that has since been replaced', () => {
  const other = DevPki.open({ dir: join(tmp.dir, 'other') });
  const stale = other.identity('SIMB02');
  const pki = DevPki.open({ dir: join(tmp.dir, 'pki') });
  // put the other CA's certificate in this folder, as if this CA had been recreated since
  pki.identity('SIMB02');
  writeFileSync(join(tmp.dir, 'pki', 'SIMB02.cert.pem'), stale.certPem);
  const fresh = pki.identity('SIMB02');
  assert.notEqual(fresh.certPem, stale.certPem);
  assert.ok(new X509Certificate(fresh.certPem).checkIssued(new X509Certificate(pki.caCertPem)));
});

test('refuses a name that could escape the folder', () => {
  const pki = DevPki.open({ dir: join(tmp.dir, 'pki') });
  assert.throws(() => pki.identity('../etc'), RangeError);
});
