import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock, systemClock } from './clock.ts';

test('a manual clock wakes sleepers in time order only when advanced far enough', async () => {
  const clock = new ManualClock(1_000);
  const woke: string[] = [];
  const late = clock.sleep(300).then(() => woke.push(`late@${clock.now()}`));
  const early = clock.sleep(100).then(() => woke.push(`early@${clock.now()}`));
  await clock.advance(99);
  assert.deepEqual(woke, []);
  assert.equal(clock.pending, 2);
  assert.equal(clock.nextWake, 1_100);
  await clock.advance(500);
  await Promise.all([late, early]);
  assert.deepEqual(woke, ['early@1100', 'late@1300']);
  assert.equal(clock.now(), 1_599);
});

test('a sleeper woken by advance can sleep again within the same advance', async () => {
  const clock = new ManualClock(0);
  const times: number[] = [];
  const loop = (async () => {
    for (let i = 0; i < 3; i++) {
      await clock.sleep(10);
      times.push(clock.now());
    }
  })();
  await clock.advance(100);
  await loop;
  assert.deepEqual(times, [10, 20, 30]);
});

test('aborting a sleep rejects it and removes the sleeper', async () => {
  const clock = new ManualClock(0);
  const ac = new AbortController();
  const p = clock.sleep(1_000, ac.signal);
  ac.abort(new Error('stop'));
  await assert.rejects(p, /stop/);
  assert.equal(clock.pending, 0);
  await assert.rejects(systemClock.sleep(10_000, AbortSignal.abort(new Error('gone'))), /gone/);
});
