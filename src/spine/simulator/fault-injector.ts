import { type Rng, seededRng } from './seeded-rng.ts';

/**
 * Transmission faults the simulator can inject on the MHS route:
 * `drop` loses the message (no response, the connection is cut later); `duplicate` delivers it twice;
 * `delay` holds it before delivery; `reorder` holds it until the next message to the same practice has gone;
 * `reset` delivers it then cuts the connection before the ack; `error5xx` refuses it with a transient error.
 */
export type FaultKind = 'drop' | 'duplicate' | 'delay' | 'reorder' | 'reset' | 'error5xx';

/** Every fault kind, in the order rates are drawn. */
export const FAULT_KINDS: readonly FaultKind[] = [
  'drop',
  'duplicate',
  'delay',
  'reorder',
  'reset',
  'error5xx',
];

/** How faults are chosen. */
export interface FaultPlan {
  /** RNG seed; the same seed and traffic give the same faults. */
  readonly seed?: number;
  /** Probability of each fault per message; they must add up to at most 1. */
  readonly rates?: Partial<Record<FaultKind, number>>;
  /** Bounds of an injected delay, in milliseconds (default 50–250). */
  readonly delayMs?: { readonly min: number; readonly max: number };
  /** Longest a reordered message waits for a successor, in milliseconds (default 500). */
  readonly reorderHoldMs?: number;
  /** How long a dropped message's connection is held before being cut, in milliseconds (default 2000). */
  readonly dropHoldMs?: number;
  /** Only messages with these ebXML actions are faulted (default: all). */
  readonly actions?: readonly string[];
}

/** Counts of faults injected so far. */
export type FaultCounts = Record<FaultKind, number>;

/**
 * Chooses faults per message: first from a queue filled on demand ({@link inject}), then at random from the
 * plan's rates with a seeded RNG.
 */
export class FaultInjector {
  private plan: FaultPlan;
  private rng: Rng;
  private readonly queue: FaultKind[] = [];
  private readonly counts: FaultCounts = {
    drop: 0,
    duplicate: 0,
    delay: 0,
    reorder: 0,
    reset: 0,
    error5xx: 0,
  };

  constructor(plan: FaultPlan = {}) {
    this.plan = validPlan(plan);
    this.rng = seededRng(plan.seed ?? 1);
  }

  /** Replaces the plan (and reseeds); queued faults stay queued. */
  configure(plan: FaultPlan): void {
    this.plan = validPlan(plan);
    this.rng = seededRng(plan.seed ?? 1);
  }

  /** Queues `kind` for the next `count` eligible messages, ahead of any random choice. */
  inject(kind: FaultKind, count = 1): void {
    if (!FAULT_KINDS.includes(kind)) throw new RangeError(`unknown fault "${String(kind)}"`);
    if (!Number.isInteger(count) || count < 0 || count > 10_000)
      throw new RangeError('count must be 0..10000');
    for (let i = 0; i < count; i++) this.queue.push(kind);
  }

  /** The fault for a message with this action, or undefined for clean delivery. */
  next(action: string): FaultKind | undefined {
    if (this.plan.actions && !this.plan.actions.includes(action)) return undefined;
    const queued = this.queue.shift();
    if (queued) return this.count(queued);
    const rates = this.plan.rates;
    if (!rates) return undefined;
    const r = this.rng();
    let edge = 0;
    for (const kind of FAULT_KINDS) {
      edge += rates[kind] ?? 0;
      if (r < edge) return this.count(kind);
    }
    return undefined;
  }

  /** A delay drawn from the plan's bounds. */
  delayMs(): number {
    const { min, max } = this.plan.delayMs ?? { min: 50, max: 250 };
    return Math.round(min + this.rng() * Math.max(0, max - min));
  }

  get reorderHoldMs(): number {
    return this.plan.reorderHoldMs ?? 500;
  }

  get dropHoldMs(): number {
    return this.plan.dropHoldMs ?? 2000;
  }

  /** Faults injected so far, by kind. */
  stats(): FaultCounts {
    return { ...this.counts };
  }

  private count(kind: FaultKind): FaultKind {
    this.counts[kind]++;
    return kind;
  }
}

function validPlan(plan: FaultPlan): FaultPlan {
  let total = 0;
  for (const [kind, rate] of Object.entries(plan.rates ?? {})) {
    if (!FAULT_KINDS.includes(kind as FaultKind)) throw new RangeError(`unknown fault "${kind}"`);
    if (typeof rate !== 'number' || rate < 0 || rate > 1)
      throw new RangeError(`fault rate for ${kind} must be 0..1`);
    total += rate;
  }
  if (total > 1 + 1e-9) throw new RangeError(`fault rates add up to ${total}, more than 1`);
  if (plan.delayMs && (plan.delayMs.min < 0 || plan.delayMs.max < plan.delayMs.min))
    throw new RangeError('delayMs needs 0 <= min <= max');
  return plan;
}

/** A plan spreading `rate` evenly over every fault kind, as `--faults RATE` asks for. */
export function evenFaultPlan(rate: number, seed: number): FaultPlan {
  const each = Math.min(1, Math.max(0, rate)) / FAULT_KINDS.length;
  return { seed, rates: Object.fromEntries(FAULT_KINDS.map((k) => [k, each])) };
}
