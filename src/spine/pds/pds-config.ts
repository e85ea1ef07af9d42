import { isValidNhsNumber } from '../../common/nhs-number.ts';
import type { GpRegistration, PdsPatientRecord } from './pds-types.ts';

/** Patients as read from config, or every problem found. */
export type PatientsConfig =
  | { readonly ok: true; readonly patients: readonly PdsPatientRecord[] }
  | { readonly ok: false; readonly errors: readonly string[] };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Validates the `pds.patients` array of a simulator config. Each patient has nhsNumber, family, given
 * (string or array), gender, birthDate, and optionally prefix, deceasedDateTime, address {line, postalCode},
 * telecom, restricted, and `gp` (current ODS code) or `registrations` [{ods, start, end?}].
 */
export function parsePatientsConfig(value: unknown): PatientsConfig {
  if (value === undefined) return { ok: true, patients: [] };
  const root = value as { patients?: unknown };
  if (typeof value !== 'object' || value === null || !Array.isArray(root.patients)) {
    return { ok: false, errors: ['pds: expected an object with a "patients" array'] };
  }
  const errors: string[] = [];
  const patients: PdsPatientRecord[] = [];
  const seen = new Set<string>();
  root.patients.forEach((raw: unknown, i: number) => {
    const at = `pds.patients[${i}]`;
    const p = raw as Record<string, unknown>;
    if (typeof raw !== 'object' || raw === null) {
      errors.push(`${at}: expected an object`);
      return;
    }
    const before = errors.length;
    const nhsNumber = String(p.nhsNumber ?? '');
    if (!isValidNhsNumber(nhsNumber)) errors.push(`${at}.nhsNumber: not a valid NHS number`);
    else if (seen.has(nhsNumber)) errors.push(`${at}.nhsNumber: ${nhsNumber} appears twice`);
    seen.add(nhsNumber);
    if (typeof p.family !== 'string' || !p.family) errors.push(`${at}.family: expected a name`);
    const given =
      typeof p.given === 'string'
        ? [p.given]
        : Array.isArray(p.given)
          ? p.given.filter((g): g is string => typeof g === 'string')
          : [];
    if (given.length === 0) errors.push(`${at}.given: expected a name or names`);
    if (!['male', 'female', 'other', 'unknown'].includes(String(p.gender)))
      errors.push(`${at}.gender: male, female, other or unknown`);
    if (typeof p.birthDate !== 'string' || !DATE.test(p.birthDate))
      errors.push(`${at}.birthDate: YYYY-MM-DD`);
    const address = p.address as { line?: unknown; postalCode?: unknown } | undefined;
    if (address !== undefined && (typeof address !== 'object' || typeof address.postalCode !== 'string'))
      errors.push(`${at}.address: needs postalCode`);
    const registrations = readRegistrations(p, at, errors);
    if (errors.length > before) return;
    patients.push({
      nhsNumber,
      family: p.family as string,
      given,
      ...(typeof p.prefix === 'string' ? { prefix: p.prefix } : {}),
      gender: p.gender as PdsPatientRecord['gender'],
      birthDate: p.birthDate as string,
      ...(typeof p.deceasedDateTime === 'string' ? { deceasedDateTime: p.deceasedDateTime } : {}),
      ...(address
        ? {
            address: {
              line: Array.isArray(address.line) ? address.line.map(String) : [],
              postalCode: address.postalCode as string,
            },
          }
        : {}),
      ...(Array.isArray(p.telecom) ? { telecom: p.telecom as PdsPatientRecord['telecom'] } : {}),
      restricted: p.restricted === true,
      registrations,
    });
  });
  return errors.length ? { ok: false, errors } : { ok: true, patients };
}

function readRegistrations(p: Record<string, unknown>, at: string, errors: string[]): GpRegistration[] {
  if (typeof p.gp === 'string') {
    const start =
      typeof p.registeredSince === 'string' && DATE.test(p.registeredSince)
        ? p.registeredSince
        : '2020-01-01';
    return [{ ods: p.gp, start }];
  }
  if (p.registrations === undefined) return [];
  if (!Array.isArray(p.registrations)) {
    errors.push(`${at}.registrations: expected an array`);
    return [];
  }
  return p.registrations.flatMap((r: unknown, j: number): GpRegistration[] => {
    const reg = r as { ods?: unknown; start?: unknown; end?: unknown };
    if (typeof reg?.ods !== 'string' || typeof reg.start !== 'string' || !DATE.test(reg.start)) {
      errors.push(`${at}.registrations[${j}]: needs ods and start (YYYY-MM-DD)`);
      return [];
    }
    return [{ ods: reg.ods, start: reg.start, ...(typeof reg.end === 'string' ? { end: reg.end } : {}) }];
  });
}
