import type { Period } from 'fhir/r3.js';
import type { XmlSpec } from '../../xml/index.ts';
import { effectivePeriod, effectiveTime } from './datatypes.ts';
import { hl7Time } from './hl7-time.ts';

/**
 * The effectiveTime for a FHIR `effective[x]`/`occurrence[x]` style pair: a point is a center, a period its
 * bounds (a period with only a start stays an open interval, `low`, so it is read back as a period, not a point).
 */
export function effectiveFrom(dateTime: string | undefined, period: Period | undefined): XmlSpec {
  if (dateTime !== undefined) return effectiveTime(hl7Time(dateTime));
  const low = hl7Time(period?.start);
  const high = hl7Time(period?.end);
  return low || high ? effectivePeriod(low, high) : effectiveTime(undefined);
}

/** The first FHIR time that converts, as an HL7 TS. */
export function firstTime(...values: (string | undefined)[]): string | undefined {
  for (const v of values) {
    const t = hl7Time(v);
    if (t) return t;
  }
  return undefined;
}
