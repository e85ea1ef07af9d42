import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ManualClock } from '../../common/clock.ts';
import { spineAgent } from '../http/agents.ts';
import { httpExchange } from '../http/http-io.ts';
import { samplePractices } from '../simulator/sample-network.ts';
import { SpineSimulator } from '../simulator/spine-simulator.ts';
import { tempDir } from '../testing/fixtures.ts';
import { SdsClient } from './sds-client.ts';

const tmp = tempDir();
let spine: SpineSimulator;
let agent: ReturnType<typeof spineAgent>;

before(async () => {
  spine = await SpineSimulator.start({ dataDir: tmp.dir, practices: samplePractices(), logFile: false });
  agent = spineAgent(spine.identityFor('SIMA01'));
});

after(async () => {
  agent.destroy();
  await spine.stop();
  tmp.remove();
});

test('SDS client finds practices by ODS code, party key and ASID', async () => {
  const sds = new SdsClient({ baseUrl: spine.urls.sds, agent });
  const byOds = await sds.byOds('SIMC03');
  assert.equal(byOds.kind, 'found');
  if (byOds.kind !== 'found') return;
  assert.equal(byOds.entry.largeMessageCompliant, false);
  assert.equal(byOds.entry.interactions.RCMR_IN030000UK06?.persistDurationSeconds, 300);
  const byParty = await sds.byPartyKey(byOds.entry.partyKey);
  assert.deepEqual(byParty, byOds);
  assert.deepEqual(await sds.byAsid(byOds.entry.asid), byOds);
  assert.deepEqual(await sds.byOds('NOPE01'), { kind: 'not-found' });
  assert.deepEqual(await sds.byPartyKey('NOPE01-000000'), { kind: 'not-found' });
});

test('SDS client answers from its cache until the cache time has passed on its clock', async () => {
  const clock = new ManualClock();
  const sds = new SdsClient({ baseUrl: spine.urls.sds, agent, cacheMs: 60_000, clock });
  const endpointOf = async () => {
    const r = await sds.byOds('SIMC03');
    assert.equal(r.kind, 'found');
    return r.kind === 'found' ? r.entry.endpoint : undefined;
  };
  const before = await endpointOf();
  const moved = 'https://127.0.0.1:9555/reliablemessaging/forwardreliable';
  assert.ok(spine.directory.setEndpoint('SIMC03', moved));
  await clock.advance(59_999);
  assert.equal(await endpointOf(), before, 'still the cached answer');
  await clock.advance(1);
  assert.equal(await endpointOf(), moved, 'asked SDS again once the cache time had passed');
});

test('a practice registers its own endpoint, and no other', async () => {
  const put = (ods: string) =>
    fetchJson(`${spine.url}/_admin/practices/${ods}/endpoint`, {
      endpoint: 'https://127.0.0.1:9443/reliablemessaging/forwardreliable',
    });
  assert.equal((await put('SIMA01')).status, 200);
  assert.equal(
    spine.directory.odsSync('SIMA01')?.endpoint,
    'https://127.0.0.1:9443/reliablemessaging/forwardreliable',
  );
  assert.equal((await put('SIMB02')).status, 403);
});

test('under mutual TLS an http:// endpoint is refused (Spine could not reach it)', async () => {
  const before = spine.directory.odsSync('SIMA01')?.endpoint;
  const r = await fetchJson(`${spine.url}/_admin/practices/SIMA01/endpoint`, {
    endpoint: 'http://127.0.0.1:9443/reliablemessaging/forwardreliable',
  });
  assert.equal(r.status, 400);
  assert.equal(spine.directory.odsSync('SIMA01')?.endpoint, before);
});

test('a malformed percent-escape in a directory path is a 400, not a 500', async () => {
  const out = await httpExchange({
    url: new URL(`${spine.urls.sds}/practices/SIM%E0%A4%A`),
    method: 'GET',
    agent,
    timeoutMs: 60_000,
  });
  assert.ok(out.ok);
  assert.equal(out.ok && out.response.status, 400);
});

async function fetchJson(url: string, body: unknown): Promise<{ status: number }> {
  const out = await httpExchange({
    url: new URL(url),
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(body)),
    agent,
    timeoutMs: 60_000,
  });
  assert.ok(out.ok);
  return { status: out.ok ? out.response.status : 0 };
}
