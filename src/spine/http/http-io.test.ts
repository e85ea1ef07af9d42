import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { readBody } from './http-io.ts';
import { ByteBudget } from './server-limits.ts';

/** A request body stream with the few fields readBody reads. */
function fakeRequest(headers: Record<string, string> = {}): PassThrough & IncomingMessage {
  return Object.assign(new PassThrough(), {
    headers,
    complete: false,
    socket: { destroy: () => undefined },
  }) as unknown as PassThrough & IncomingMessage;
}

test('readBody takes a declared length from the budget up front, and refuses what does not fit', async () => {
  const budget = new ByteBudget(100);
  const first = budget.lease();
  const req = fakeRequest({ 'content-length': '60' });
  const reading = readBody(req, 1_000, { lease: first });
  assert.equal(budget.inUse, 60, 'reserved before a byte is read');
  const second = budget.lease();
  assert.deepEqual(await readBody(fakeRequest({ 'content-length': '41' }), 1_000, { lease: second }), {
    ok: false,
    reason: 'over-budget',
  });
  req.end(Buffer.alloc(60, 1));
  const read = await reading;
  assert.ok(read.ok && read.body.length === 60);
  first.release();
  first.release();
  second.release();
  assert.equal(budget.inUse, 0);
});

test('readBody without a declared length takes the budget chunk by chunk', async () => {
  const budget = new ByteBudget(100);
  const lease = budget.lease();
  const req = fakeRequest();
  const reading = readBody(req, 1_000, { lease });
  req.write(Buffer.alloc(60));
  req.write(Buffer.alloc(60));
  assert.deepEqual(await reading, { ok: false, reason: 'over-budget' });
  assert.equal(budget.inUse, 60, 'the chunk that did not fit was not taken');
  lease.release();
  assert.equal(budget.inUse, 0);
});

test('readBody refuses a body over the size limit, declared or not', async () => {
  assert.deepEqual(await readBody(fakeRequest({ 'content-length': '11' }), 10), {
    ok: false,
    reason: 'too-large',
  });
  const req = fakeRequest();
  const reading = readBody(req, 10);
  req.write(Buffer.alloc(11));
  assert.deepEqual(await reading, { ok: false, reason: 'too-large' });
});
