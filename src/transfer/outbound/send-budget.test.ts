import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SendBudget } from './send-budget.ts';

test('messages wait in order until their bytes fit, and one larger than the budget goes alone', async () => {
  const budget = new SendBudget(10);
  const first = await budget.acquire(6);
  const order: string[] = [];
  const second = budget.acquire(6).then((release) => {
    order.push('second');
    return release;
  });
  const third = budget.acquire(2).then((release) => {
    order.push('third');
    return release;
  });
  await Promise.resolve();
  assert.deepEqual(order, [], 'the second does not fit, and the third waits behind it');
  first();
  const releaseSecond = await second;
  const releaseThird = await third;
  assert.deepEqual(order, ['second', 'third']);
  assert.equal(budget.inUse, 8);
  releaseSecond();
  releaseThird();
  releaseThird();
  assert.equal(budget.inUse, 0, 'a release given twice gives back once');
  const huge = await budget.acquire(50);
  assert.equal(budget.inUse, 50);
  huge();
});
