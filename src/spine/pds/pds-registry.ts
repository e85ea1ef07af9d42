import { isValidNhsNumber } from '../../common/nhs-number.ts';
import type { DemographicQuery, GpRegistration, PdsPatientRecord } from './pds-types.ts';

/** The result of a lookup in the registry, before redaction. */
export type RegistryTrace =
  | { readonly kind: 'match'; readonly record: PdsPatientRecord }
  | { readonly kind: 'no-match' }
  | { readonly kind: 'multiple-matches' };

/** The result of recording a new registration (`changed` false: the practice was already the patient's GP). */
export type RegistryUpdate =
  | { readonly kind: 'registered'; readonly record: PdsPatientRecord; readonly changed: boolean }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'deceased' }
  | { readonly kind: 'version-mismatch'; readonly currentVersion: number };

/**
 * The simulator's population: patients by NHS number, the trace rules and registration changes.
 * Matching is exact (case and spacing aside) because a GP2GP request made for the wrong person is
 * a clinical-safety incident: a trace that finds two candidates finds nobody.
 */
export class PdsRegistry {
  private readonly patients = new Map<string, PdsPatientRecord>();

  /** Adds or replaces patients; refuses an invalid NHS number. */
  load(records: readonly PdsPatientRecord[]): void {
    for (const r of records) {
      if (!isValidNhsNumber(r.nhsNumber)) throw new RangeError(`invalid NHS number ${r.nhsNumber}`);
      this.patients.set(r.nhsNumber, r);
    }
  }

  /** How many patients are held. */
  get size(): number {
    return this.patients.size;
  }

  /** The record for an NHS number, if any. */
  get(nhsNumber: string): PdsPatientRecord | undefined {
    return this.patients.get(nhsNumber);
  }

  /** Finds the one patient matching all five demographics; two or more is `multiple-matches`. */
  trace(query: DemographicQuery): RegistryTrace {
    const want = {
      family: fold(query.family),
      given: fold(query.given),
      postalCode: postcode(query.postalCode),
    };
    let found: PdsPatientRecord | undefined;
    for (const p of this.patients.values()) {
      if (p.birthDate !== query.birthDate || p.gender !== query.gender) continue;
      if (fold(p.family) !== want.family) continue;
      if (!p.given.some((g) => fold(g) === want.given)) continue;
      if (!p.address || postcode(p.address.postalCode) !== want.postalCode) continue;
      if (found) return { kind: 'multiple-matches' };
      found = p;
    }
    return found ? { kind: 'match', record: found } : { kind: 'no-match' };
  }

  /**
   * Records that `ods` accepted the patient on `date`: the previous registration ends that day and the new
   * practice becomes current. `expectedVersion` guards against two practices racing on one record.
   */
  register(nhsNumber: string, ods: string, date: string, expectedVersion: number): RegistryUpdate {
    const update = this.planRegistration(nhsNumber, ods, date, expectedVersion);
    if (update.kind === 'registered' && update.changed) this.apply(update.record);
    return update;
  }

  /**
   * What {@link register} would do, without doing it: for a caller that must save the change durably first,
   * then {@link apply} it.
   */
  planRegistration(nhsNumber: string, ods: string, date: string, expectedVersion: number): RegistryUpdate {
    const record = this.patients.get(nhsNumber);
    if (!record) return { kind: 'not-found' };
    if (record.deceasedDateTime) return { kind: 'deceased' };
    const current = versionOf(record);
    if (expectedVersion !== current) return { kind: 'version-mismatch', currentVersion: current };
    const last = record.registrations[record.registrations.length - 1];
    if (last && last.end === undefined && last.ods === ods)
      return { kind: 'registered', record, changed: false };
    const closed: GpRegistration[] = record.registrations.map((r, i, all) =>
      i === all.length - 1 && r.end === undefined ? { ...r, end: date } : r,
    );
    const updated: PdsPatientRecord = { ...record, registrations: [...closed, { ods, start: date }] };
    return { kind: 'registered', record: updated, changed: true };
  }

  /** Makes a planned change current, unless a newer version is already there (false then). */
  apply(record: PdsPatientRecord): boolean {
    const current = this.patients.get(record.nhsNumber);
    if (!current || versionOf(current) >= versionOf(record)) return false;
    this.patients.set(record.nhsNumber, record);
    return true;
  }

  /** Replaces a known patient's registration history (a saved change, on restart); false for an unknown one. */
  restoreRegistrations(nhsNumber: string, registrations: readonly GpRegistration[]): boolean {
    const current = this.patients.get(nhsNumber);
    if (!current || registrations.length === 0) return false;
    this.patients.set(nhsNumber, { ...current, registrations: [...registrations] });
    return true;
  }
}

/** The resource version: one, plus one for every registration change after the first. */
export function versionOf(record: PdsPatientRecord): number {
  return Math.max(1, record.registrations.length);
}

function fold(s: string): string {
  return s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLocaleUpperCase('en-GB');
}

function postcode(s: string): string {
  return s.replace(/\s+/g, '').toUpperCase();
}
