import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '../testing/fixtures.ts';
import { evenFaultPlan, FaultInjector } from './fault-injector.ts';
import { samplePatients, samplePractices } from './sample-network.ts';
import { seededRng } from './seeded-rng.ts';
import { parseSimulatorConfig } from './simulator-config.ts';
import { logHeaderProblem, neutraliseCsvField } from './spine-log-safety.ts';
import {
  csvField,
  formatLogLine,
  formatLogTime,
  SPINE_LOG_COLUMNS,
  SpineMessageLog,
} from './spine-message-log.ts';

const tmp = tempDir();
after(() => tmp.remove());

test('seeded RNG: same seed, same sequence; values in [0, 1)', () => {
  const a = seededRng(42);
  const b = seededRng(42);
  const xs = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(
    xs.slice(0, 5),
    Array.from({ length: 5 }, () => b()),
  );
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.05);
});

test('faults: queued ones first, then seeded random at the configured rates', () => {
  const pick = (seed: number) => {
    const f = new FaultInjector(evenFaultPlan(0.6, seed));
    return Array.from({ length: 500 }, () => f.next('RCMR_IN030000UK06') ?? 'none');
  };
  assert.deepEqual(pick(3), pick(3));
  const none = pick(3).filter((k) => k === 'none').length;
  assert.ok(none > 150 && none < 250, `about 40% clean, got ${none}/500`);
  const f = new FaultInjector({});
  f.inject('reset', 2);
  assert.deepEqual([f.next('X'), f.next('X'), f.next('X')], ['reset', 'reset', undefined]);
  assert.equal(f.stats().reset, 2);
  assert.equal(
    new FaultInjector({ rates: { drop: 1 }, actions: ['COPC_IN000001UK01'] }).next('RCMR_IN010000UK05'),
    undefined,
  );
  assert.throws(() => new FaultInjector({ rates: { drop: 0.7, delay: 0.7 } }), RangeError);
  assert.throws(() => f.inject('explode' as never), RangeError);
});

test('log line: the export columns, Splunk time, NotProvided and NONE for absent values, CSV quoting', () => {
  assert.equal(
    formatLogTime(new Date(Date.UTC(2019, 11, 1, 8, 41, 48, 337))),
    '2019-12-01T08:41:48.337+0000',
  );
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  const line = formatLogLine({
    time: new Date(Date.UTC(2021, 1, 6, 18, 2, 29, 985)),
    conversationId: 'cde',
    guid: 'cde',
    interactionId: 'urn:nhs:names:services:gp2gp/RCMR_IN010000UK05',
    messageSender: '123456789123',
    messageRecipient: '003456789123',
    toSystem: 'SupplierB',
    fromSystem: 'Supplier, A',
  });
  assert.equal(
    line,
    '2021-02-06T18:02:29.985+0000,cde,cde,urn:nhs:names:services:gp2gp/RCMR_IN010000UK05,123456789123,003456789123,NotProvided,NONE,SupplierB,"Supplier, A"\n',
  );
});

test('log file: header once, appended across restarts', async () => {
  const file = join(tmp.dir, 'logs', 'spine.csv');
  const entry = {
    time: new Date(),
    conversationId: '0C000000-0000-4000-8000-000000000001',
    guid: '0A000000-0000-4000-8000-000000000001',
    interactionId: 'urn:nhs:names:services:gp2gp/MCCI_IN010000UK13',
    messageSender: '1',
    messageRecipient: '2',
    messageRef: 'r',
    jdiEvent: '12',
  };
  for (let i = 0; i < 2; i++) {
    const log = SpineMessageLog.open(file);
    await log.append(entry);
    await log.close();
  }
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  assert.equal(lines[0], SPINE_LOG_COLUMNS.join(','));
  assert.equal(lines.length, 3);
  assert.match(lines[1]!, /,r,12,,$/);
});

test('log line: a field a spreadsheet would run as a formula is neutralised', () => {
  for (const bad of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\t=1', '\r=1'])
    assert.equal(neutraliseCsvField(bad), `'${bad}`, JSON.stringify(bad));
  assert.equal(neutraliseCsvField('SupplierA'), 'SupplierA');
  const line = formatLogLine({
    time: new Date(Date.UTC(2021, 1, 6, 18, 2, 29, 985)),
    conversationId: '0C000000-0000-4000-8000-000000000001',
    guid: '0A000000-0000-4000-8000-000000000001',
    interactionId: 'urn:nhs:names:services:gp2gp/RCMR_IN010000UK05',
    messageSender: '123456789123',
    messageRecipient: '003456789123',
    toSystem: '=HYPERLINK("http://example.invalid","x")',
    fromSystem: '@SUM(1)',
  });
  assert.ok(line.endsWith(`,"'=HYPERLINK(""http://example.invalid"",""x"")",'@SUM(1)\n`), line);
});

test('log header: MessageId and ConversationId are UUIDs, the service GP2GP, the action an interaction', () => {
  const good = {
    messageId: '0a000000-0000-4000-8000-000000000001',
    conversationId: '0C000000-0000-4000-8000-000000000001',
    service: 'urn:nhs:names:services:gp2gp',
    action: 'RCMR_IN030000UK06',
  };
  assert.equal(logHeaderProblem(good), undefined);
  for (const [field, value] of [
    ['messageId', '=cmd|calc'],
    ['conversationId', 'C1'],
    ['service', 'urn:nhs:names:services:other'],
    ['action', 'RCMR_IN030000UK06,evil'],
  ] as const)
    assert.match(logHeaderProblem({ ...good, [field]: value }) ?? '', /is not/, field);
});

test('log file: an entry with a malformed id is refused, not written', async () => {
  const file = join(tmp.dir, 'refused.csv');
  const log = SpineMessageLog.open(file);
  await assert.rejects(
    log.append({
      time: new Date(),
      conversationId: '=HYPERLINK("x")',
      guid: '0A000000-0000-4000-8000-000000000001',
      interactionId: 'urn:nhs:names:services:gp2gp/RCMR_IN010000UK05',
      messageSender: '1',
      messageRecipient: '2',
    }),
    /ConversationId/,
  );
  await log.close();
  assert.equal(readFileSync(file, 'utf8'), `${SPINE_LOG_COLUMNS.join(',')}\n`);
});

test('simulator config: sample network validates; errors are collected', () => {
  const ok = parseSimulatorConfig({
    port: 0,
    sds: { practices: samplePractices() },
    pds: { patients: samplePatients() },
    faults: { seed: 1, rates: { drop: 0.1 } },
  });
  assert.ok(ok.ok, JSON.stringify(!ok.ok && ok.errors));
  const bad = parseSimulatorConfig({
    port: 70000,
    tls: 'maybe',
    sds: { practices: [{}] },
    pds: { patients: [{ nhsNumber: '1' }] },
    faults: { rates: { drop: 2 } },
  });
  assert.equal(bad.ok, false);
  if (!bad.ok) assert.ok(bad.errors.length >= 5, bad.errors.join('\n'));
});
