import type { SeededRandom } from './random.ts';

/**
 * How many attachments a record has and how large they are, fitted to NHS England's GP2GP figures: the
 * median record carries 47 attachments totalling about 10 MB, the mean total is 21.5 MB, and the largest
 * carry 1,484 attachments or 929 MB (docs/synthetic-records.md has the fit).
 *
 * - count: lognormal, median 47, σ 0.8 (so about one record in 100,000 passes 1,400), at most 1,500;
 * - size: lognormal around a median of 107 kB per attachment, with a record-level factor (σ 0.92: one
 *   practice scans in colour, another in black and white) and a per-attachment spread (σ 1.2), each at least
 *   1 kB and at most 500 MB, a record at most 950 MB.
 *
 * Sizes are in bytes; MB means 10⁶ bytes.
 */
export const ATTACHMENT_DISTRIBUTION = {
  countMedian: 47,
  countSigma: 0.8,
  countMax: 1_500,
  sizeMedian: 107_000,
  recordSigma: 0.92,
  attachmentSigma: 1.2,
  minBytes: 1_000,
  maxBytes: 500_000_000,
  maxRecordBytes: 950_000_000,
} as const;

const D = ATTACHMENT_DISTRIBUTION;

/** A draw from the distribution: the attachment sizes, and how far the count sits from the median (z). */
export interface AttachmentDraw {
  readonly sizes: number[];
  /** The count's standard normal deviate: other record dimensions follow it (a big record is big overall). */
  readonly countZ: number;
}

/**
 * One record's attachment sizes drawn from {@link ATTACHMENT_DISTRIBUTION}.
 *
 * @example
 * drawAttachmentSizes(new SeededRandom(1)).sizes.length // around 47, the same for seed 1 every time
 */
export function drawAttachmentSizes(random: SeededRandom): AttachmentDraw {
  const countZ = random.normal();
  const count = Math.max(
    1,
    Math.min(D.countMax, Math.round(D.countMedian * Math.exp(D.countSigma * countZ))),
  );
  const recordMedian = random.lognormal(D.sizeMedian, D.recordSigma);
  const sizes = Array.from({ length: count }, () =>
    clampSize(random.lognormal(recordMedian, D.attachmentSigma)),
  );
  const total = sizes.reduce((sum, s) => sum + s, 0);
  return { sizes: total > D.maxRecordBytes ? scaledTo(sizes, D.maxRecordBytes) : sizes, countZ };
}

/**
 * `count` attachment sizes spread as the distribution spreads them within a record, adding up to exactly
 * `total` bytes: the fixed median and large profiles.
 */
export function sizesSummingTo(random: SeededRandom, count: number, total: number): number[] {
  const weights = Array.from({ length: count }, () => random.lognormal(D.sizeMedian, D.attachmentSigma));
  return scaledTo(weights, total);
}

function clampSize(bytes: number): number {
  return Math.round(Math.min(D.maxBytes, Math.max(D.minBytes, bytes)));
}

/** Whole byte counts in proportion to `weights`, adding up to exactly `total`. */
function scaledTo(weights: readonly number[], total: number): number[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((s, w) => s + w, 0);
  const sizes = weights.map((w) => Math.floor((w / sum) * total));
  let left = total - sizes.reduce((s, b) => s + b, 0);
  for (let i = 0; left > 0; i = (i + 1) % sizes.length, left--) sizes[i] = (sizes[i] ?? 0) + 1;
  return sizes;
}
