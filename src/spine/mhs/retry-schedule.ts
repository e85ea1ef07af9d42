import type { InteractionReliability } from '../sds/sds-types.ts';

/**
 * The wait before retry number `retry` (1 = first retry): the SDS retry interval doubled each time, with
 * ±20% jitter so many senders recovering together do not retry in lockstep, capped at `maxMs`.
 *
 * @example
 * backoffMs(1, 1000, 60_000, () => 0.5) // 1000
 * backoffMs(3, 1000, 60_000, () => 0.5) // 4000
 */
export function backoffMs(retry: number, intervalMs: number, maxMs: number, random: () => number): number {
  const base = intervalMs * 2 ** Math.max(0, retry - 1);
  const jitter = 0.8 + random() * 0.4;
  return Math.min(maxMs, Math.round(base * jitter));
}

/** When a send must stop: after `retries` retries, or once the persist duration has passed. */
export interface RetryBudget {
  readonly maxAttempts: number;
  readonly deadline: number;
  readonly intervalMs: number;
}

/** The budget for one message from its interaction's reliability settings, starting at `startedAt`. */
export function retryBudget(r: InteractionReliability, startedAt: number): RetryBudget {
  return {
    maxAttempts: 1 + r.retries,
    deadline: startedAt + r.persistDurationSeconds * 1000,
    intervalMs: r.retryIntervalSeconds * 1000,
  };
}
