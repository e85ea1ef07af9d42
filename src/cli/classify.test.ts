import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { REPO_ROOT } from '../common/testing/shared-corpus.ts';
import { spineLogCsv, TransferScript } from '../reporting/testing/transfer-script.ts';

const GP2GP = join(REPO_ROOT, 'bin', 'gp2gp');
const dir = mkdtempSync(join(tmpdir(), 'gp2gp-classify-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function classify(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(GP2GP, ['classify', ...args], { encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const DAY = 86_400_000;

describe('gp2gp classify', () => {
  test('prints a JSON array of transfers in NHS England wording, across files', () => {
    const ok = new TransferScript('C-OK', Date.UTC(2024, 4, 31, 22)).integrated(DAY).entries;
    const late = new TransferScript('C-LATE', Date.UTC(2024, 5, 2)).integrated(10 * DAY).entries;
    const may = file('may.csv', spineLogCsv([...ok.slice(0, 3), ...late.slice(0, 2)]));
    const june = file('june.csv', spineLogCsv([...ok.slice(3), ...late.slice(2)]));
    const r = classify('--cutoff-days', '14', may, june);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.deepEqual(
      out.map((t) => [t.conversation_id, t.status, t.failure_reason, t.sla_duration, t.reporting_month]),
      [
        ['C-OK', 'Integrated on time', null, 86_400, '2024-05'],
        ['C-LATE', 'Process failure', 'Integrated late', 864_000, '2024-06'],
      ],
    );
    assert.equal(out[0]!.date_requested, '2024-05-31T22:00:00.000Z');
    assert.equal(out[0]!.date_completed, '2024-06-01T22:01:00.000Z');
    for (const key of [
      'conversation_id',
      'status',
      'failure_reason',
      'sla_duration',
      'date_requested',
      'date_completed',
    ])
      assert.ok(key in out[0]!, key);
    const june24 = JSON.parse(classify('--month', '2024-06', may, june).stdout) as {
      conversation_id: string;
    }[];
    assert.deepEqual(
      june24.map((t) => t.conversation_id),
      ['C-LATE'],
    );
  });

  test('the default cutoff is 14 days; 0 turns it off', () => {
    const f = file('slow.csv', spineLogCsv(new TransferScript('C-SLOW').integrated(15 * DAY).entries));
    assert.equal(JSON.parse(classify(f).stdout)[0].failure_reason, 'Transferred, not integrated');
    assert.equal(JSON.parse(classify('--cutoff-days=0', f).stdout)[0].failure_reason, 'Integrated late');
  });

  test('an empty log gives an empty array', () => {
    const r = classify(file('empty-log.csv', spineLogCsv([])));
    assert.equal(r.status, 0);
    assert.deepEqual(JSON.parse(r.stdout), []);
  });

  const bad: [string, string, RegExp][] = [
    [
      'a malformed CSV',
      `${spineLogCsv([])}"2024-01-01,C\n`,
      /bad1\.csv: line 2: a quoted field is never closed/,
    ],
    ['not a Spine log', 'a,b\n1,2\n', /bad2\.csv: line 1: not a Spine log export/],
    [
      'a bad time',
      `${spineLogCsv([])}never,C,G,I,1,2,NotProvided,NONE,,\n`,
      /bad3\.csv: line 2: _time "never" is not a date and time/,
    ],
    [
      'a row over the 64 KiB limit',
      `${spineLogCsv([])}2024-01-01T00:00:00Z,${'C'.repeat(70_000)},G,I,1,2,NotProvided,NONE,,\n`,
      /bad4\.csv: line 2: a row is longer than 65536 bytes/,
    ],
  ];
  bad.forEach(([what, text, message], i) => {
    test(`${what}: exit 2 with one line naming file and line`, () => {
      const r = classify(file(`bad${i + 1}.csv`, text));
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, message);
    });
  });

  test('usage errors and a missing file: exit 2', () => {
    assert.equal(classify().status, 2);
    assert.equal(classify('--cutoff-days', 'two', 'x.csv').status, 2);
    assert.equal(classify('--month', '2024-13', 'x.csv').status, 2);
    const missing = classify(join(dir, 'nope.csv'));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read .*nope\.csv: ENOENT/);
  });
});
