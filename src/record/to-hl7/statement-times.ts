import type { Period } from 'fhir/r3.js';
import type { XmlSpec } from '../../xml/index.ts';
import { effectiveTime } from './datatypes.ts';
import { hl7Time } from './hl7-time.ts';

/** The effectiveTime for a FHIR `effective[x]`/`occurrence[x]` style pair. */
export function effectiveFrom(dateTime: string | undefined, period: Period | undefined): XmlSpec {
  if (dateTime !== undefined) return effectiveTime(hl7Time(dateTime));
  const low = hl7Time(period?.start);
  const high = hl7Time(period?.end);
  return high ? effectiveTime(low, high) : effectiveTime(low);
}

/** The first FHIR time that converts, as an HL7 TS. */
export function firstTime(...values: (string | undefined)[]): string | undefined {
  for (const v of values) {
    const t = hl7Time(v);
    if (t) return t;
  }
  return undefined;
}
