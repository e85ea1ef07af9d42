import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { syntheticNhsNumber } from '../../common/nhs-number.ts';
import { REPO_ROOT } from '../../common/testing/shared-corpus.ts';
import { spineAgent } from '../http/agents.ts';
import { httpExchange } from '../http/http-io.ts';
import { InMemorySeenMessageIds } from '../mhs/in-memory-seen-message-ids.ts';
import { MhsInboundEndpoint } from '../mhs/mhs-inbound.ts';
import { buildOutboundMessage, MhsOutboundClient } from '../mhs/mhs-outbound.ts';
import { PdsClient } from '../pds/pds-client.ts';
import { SdsClient } from '../sds/sds-client.ts';
import { SdsDirectory } from '../sds/sds-directory.ts';
import { ehrRequestMessage, tempDir } from '../testing/fixtures.ts';
import type { TlsIdentity } from '../tls/tls-identity.ts';
import { samplePractices } from './sample-network.ts';

interface Running {
  readonly child: ChildProcess;
  readonly info: { url: string; pds: string; sds: string; mhs: string; certificates: string; log: string };
}

/** Starts `gp2gp spine` on `dataDir` (PGlite there: DATABASE_URL is left out) and waits for its JSON line. */
function startSpine(dataDir: string): Promise<Running> {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const child = spawn(
    join(REPO_ROOT, 'bin/gp2gp'),
    ['spine', '--port', '0', '--json', '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve({ child, info: JSON.parse(line) as Running['info'] });
    });
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.once('exit', (code) => reject(new Error(`spine exited early (${code}): ${err}`)));
  });
}

function exited(child: ChildProcess): Promise<unknown> {
  return new Promise((resolve) => child.once('exit', resolve));
}

test('a simulator killed with SIGKILL restarts with its endpoints, PDS changes and logged message ids', {
  timeout: 300_000, // a safety net only: two process starts, the first initialising its database
}, async () => {
  const tmp = tempDir('gp2gp-spine-restart-');
  const dataDir = join(tmp.dir, 'spine');
  const practices = new SdsDirectory(samplePractices());
  const [a, b] = [practices.odsSync('SIMA01'), practices.odsSync('SIMB02')];
  assert.ok(a && b);
  const patient = syntheticNhsNumber(0); // registered at SIMA01 in the sample network
  let spine = await startSpine(dataDir);
  const certs = spine.info.certificates;
  const identity = (name: string): TlsIdentity => ({
    name,
    keyPem: readFileSync(join(certs, `${name}.key.pem`), 'utf8'),
    certPem: readFileSync(join(certs, `${name}.cert.pem`), 'utf8'),
    caPem: readFileSync(join(certs, 'ca.cert.pem'), 'utf8'),
  });
  const agents = { a: spineAgent(identity('SIMA01')), b: spineAgent(identity('SIMB02')) };
  const delivered: string[] = [];
  const endpoint = await MhsInboundEndpoint.start({
    party: { ods: b.ods, partyKey: b.partyKey, asid: b.asid },
    identity: identity('SIMB02'),
    seen: new InMemorySeenMessageIds(),
    directory: practices,
    onMessage: async (d) => void delivered.push(d.message.header.messageId),
  });
  try {
    // 1. SIMB02 registers its endpoint, 2. takes the patient on in PDS, 3. SIMA01 sends it a message (logged)
    const put = await httpExchange({
      url: new URL(`${spine.info.url}/_admin/practices/SIMB02/endpoint`),
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify({ endpoint: endpoint.url })),
      agent: agents.b,
      timeoutMs: 60_000,
    });
    assert.equal(put.ok && put.response.status, 200);
    const pds = () => new PdsClient({ baseUrl: spine.info.pds, agent: agents.b });
    const traced = await pds().getPatient(patient);
    assert.ok(traced.kind === 'match' && traced.patient.generalPractitionerOds === 'SIMA01');
    const moved = await pds().register(patient, 'SIMB02', traced.patient.versionId);
    assert.equal(moved.kind, 'registered');
    const message = ehrRequestMessage(a, b);
    const messageId = message.messageId ?? '';
    const built = buildOutboundMessage(a.partyKey, { ...message, messageId, timestamp: new Date() });
    const sender = () =>
      new MhsOutboundClient({ spineUrl: spine.info.mhs, agent: agents.a, fromPartyKey: a.partyKey });
    assert.deepEqual(await sender().attempt(messageId, built), { kind: 'acknowledged' });

    // a crash: nothing is flushed or closed
    const killed = exited(spine.child);
    spine.child.kill('SIGKILL');
    await killed;
    spine = await startSpine(dataDir);

    const sds = new SdsClient({ baseUrl: spine.info.sds, agent: agents.a });
    const entry = await sds.byOds('SIMB02');
    assert.equal(entry.kind === 'found' && entry.entry.endpoint, endpoint.url, 'the endpoint survived');
    const after = await pds().getPatient(patient);
    assert.ok(after.kind === 'match');
    assert.equal(after.patient.generalPractitionerOds, 'SIMB02', 'the PDS change survived');
    assert.equal(after.patient.versionId, traced.patient.versionId + 1);
    // the sender never heard (say): it sends the same message again through the restarted Spine
    assert.deepEqual(await sender().attempt(messageId, built), { kind: 'acknowledged' });
    assert.deepEqual(delivered, [messageId], 'delivered once (the endpoint eliminated the copy)');

    const stopped = exited(spine.child);
    spine.child.kill('SIGTERM');
    await stopped;
    const rows = readFileSync(spine.info.log, 'utf8').trimEnd().split('\n').slice(1);
    assert.deepEqual(
      rows.map((r) => r.split(',')[2]),
      [messageId],
      'logged once, though routed before and after the crash',
    );
  } finally {
    spine.child.kill('SIGKILL');
    await endpoint.close();
    agents.a.destroy();
    agents.b.destroy();
    tmp.remove();
  }
});
