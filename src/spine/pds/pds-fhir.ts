/// <reference types="fhir" />
import { versionOf } from './pds-registry.ts';
import type { Gender, GpRegistration, PdsContact, PdsPatientRecord, PdsPatientView } from './pds-types.ts';

// FHIR R4 types from @types/fhir (a global namespace: its subpath modules do not resolve under nodenext)
type Bundle = fhir4.Bundle;
type OperationOutcome = fhir4.OperationOutcome;
type Patient = fhir4.Patient;
type Reference = fhir4.Reference;

/** Identifier systems and code systems the PDS FHIR API uses. */
export const PDS_SYSTEMS = {
  nhsNumber: 'https://fhir.nhs.uk/Id/nhs-number',
  odsCode: 'https://fhir.nhs.uk/Id/ods-organization-code',
  confidentiality: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  spineErrors: 'https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode',
} as const;

/**
 * A record as the PDS FHIR API shows it. Restricted (S-flagged) patients lose address, contacts and GP,
 * as PDS does for every reader. `registrations` may be cut short to show an earlier version.
 */
export function toFhirPatient(record: PdsPatientRecord, upTo = record.registrations.length): Patient {
  const registrations = record.registrations.slice(0, upTo);
  const version = upTo === record.registrations.length ? versionOf(record) : Math.max(1, upTo);
  const restricted = record.restricted === true;
  const gp = registrations[registrations.length - 1];
  const patient: Patient = {
    resourceType: 'Patient',
    id: record.nhsNumber,
    meta: {
      versionId: String(version),
      security: [
        restricted
          ? { system: PDS_SYSTEMS.confidentiality, code: 'R', display: 'restricted' }
          : { system: PDS_SYSTEMS.confidentiality, code: 'U', display: 'unrestricted' },
      ],
    },
    identifier: [{ system: PDS_SYSTEMS.nhsNumber, value: record.nhsNumber }],
    name: [
      {
        use: 'usual',
        family: record.family,
        given: [...record.given],
        ...(record.prefix ? { prefix: [record.prefix] } : {}),
      },
    ],
    gender: record.gender,
    birthDate: record.birthDate,
  };
  if (record.deceasedDateTime) patient.deceasedDateTime = record.deceasedDateTime;
  if (restricted) return patient;
  if (record.address)
    patient.address = [
      { use: 'home', line: [...record.address.line], postalCode: record.address.postalCode },
    ];
  if (record.telecom?.length) patient.telecom = record.telecom.map((t) => ({ ...t }));
  if (gp) patient.generalPractitioner = [gpReference(gp)];
  return patient;
}

function gpReference(gp: GpRegistration): Reference {
  return {
    type: 'Organization',
    identifier: {
      system: PDS_SYSTEMS.odsCode,
      value: gp.ods,
      period: gp.end ? { start: gp.start, end: gp.end } : { start: gp.start },
    },
  };
}

/** A client's view of a PDS Patient resource, or undefined where it is not one. */
export function fromFhirPatient(value: unknown): PdsPatientView | undefined {
  if (!isObject(value) || value.resourceType !== 'Patient') return undefined;
  const p = value as unknown as Patient;
  const nhsNumber = p.identifier?.find((i) => i.system === PDS_SYSTEMS.nhsNumber)?.value ?? p.id;
  const name = p.name?.find((n) => n.use === 'usual') ?? p.name?.[0];
  if (!nhsNumber || !name?.family || !p.birthDate || !isGender(p.gender)) return undefined;
  const gp = p.generalPractitioner?.find((g) => g.identifier?.system === PDS_SYSTEMS.odsCode)?.identifier;
  const home = p.address?.find((a) => a.use === 'home') ?? p.address?.[0];
  const telecom = (p.telecom ?? []).flatMap((t): PdsContact[] =>
    (t.system === 'phone' || t.system === 'email') && t.value
      ? [
          {
            system: t.system,
            value: t.value,
            ...(t.use === 'home' || t.use === 'work' || t.use === 'mobile' ? { use: t.use } : {}),
          },
        ]
      : [],
  );
  return {
    nhsNumber,
    family: name.family,
    given: name.given ?? [],
    ...(name.prefix?.[0] ? { prefix: name.prefix[0] } : {}),
    gender: p.gender,
    birthDate: p.birthDate,
    ...(p.deceasedDateTime ? { deceasedDateTime: p.deceasedDateTime } : {}),
    ...(home?.postalCode ? { address: { line: home.line ?? [], postalCode: home.postalCode } } : {}),
    ...(telecom.length ? { telecom } : {}),
    restricted: p.meta?.security?.some((s) => s.code === 'R' || s.code === 'V') === true,
    ...(gp?.value ? { generalPractitionerOds: gp.value } : {}),
    ...(gp?.period?.start ? { registeredSince: gp.period.start } : {}),
    versionId: Number(p.meta?.versionId ?? 1),
  };
}

/** The searchset PDS returns: zero or one patient with a score. */
export function searchBundle(patients: readonly Patient[], baseUrl: string, at: Date): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    timestamp: at.toISOString(),
    total: patients.length,
    entry: patients.map((resource) => ({
      fullUrl: `${baseUrl}/Patient/${resource.id}`,
      search: { score: 1 },
      resource,
    })),
  };
}

/** Every version of the patient, newest first, as FHIR `_history` returns them. */
export function historyBundle(record: PdsPatientRecord): Bundle {
  const count = Math.max(1, record.registrations.length);
  const entry = [];
  for (let n = count; n >= 1; n--) {
    const upTo = record.registrations.length === 0 ? 0 : n;
    // an earlier version's current GP had not left yet when that version was current
    const shown = {
      ...record,
      registrations: record.registrations.slice(0, upTo).map((r, i) => (i === upTo - 1 ? withoutEnd(r) : r)),
    };
    entry.push({ resource: toFhirPatient(shown) });
  }
  return { resourceType: 'Bundle', type: 'history', total: entry.length, entry };
}

function withoutEnd(r: GpRegistration): GpRegistration {
  return { ods: r.ods, start: r.start };
}

/** A PDS-style error: HTTP status, Spine error code and a diagnostic line. */
export function operationOutcome(
  code: string,
  display: string,
  diagnostics: string,
  issueCode: OperationOutcome['issue'][number]['code'] = 'invalid',
): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: issueCode,
        details: { coding: [{ system: PDS_SYSTEMS.spineErrors, version: '1', code, display }] },
        diagnostics,
      },
    ],
  };
}

/** The Spine error code of an OperationOutcome, if the value is one. */
export function outcomeCode(value: unknown): { code: string; diagnostics: string } | undefined {
  if (!isObject(value) || value.resourceType !== 'OperationOutcome') return undefined;
  const issue = (value as unknown as OperationOutcome).issue?.[0];
  const code = issue?.details?.coding?.[0]?.code ?? issue?.code;
  return code ? { code, diagnostics: issue?.diagnostics ?? '' } : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isGender(v: unknown): v is Gender {
  return v === 'male' || v === 'female' || v === 'other' || v === 'unknown';
}
