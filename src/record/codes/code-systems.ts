/**
 * Clinical code systems GP2GP carries, with their HL7v3 OIDs and GP Connect (FHIR STU3) system URIs.
 * Sources: GP2GP 2.2 MIM vocabulary, the NHS requesting adaptor's expected bundles (corpus), and the
 * GP Connect 1.6 CodeSystem/NamingSystem registry.
 */

/** One code system as both sides of the translation name it. */
export interface CodeSystem {
  /** Short name used in warnings and docs. */
  readonly name: string;
  /** The HL7v3 `codeSystem` OID. */
  readonly oid: string;
  /** The FHIR `Coding.system` URI. */
  readonly url: string;
}

/** Keys of the systems we know, so callers can write `CODE_SYSTEMS.snomed.oid`. */
export type CodeSystemKey =
  | 'snomed'
  | 'readV2'
  | 'ctv3'
  | 'emisLocal'
  | 'emisDrug'
  | 'emisDrugFhir'
  | 'hl7NullFlavor';

/** The known code systems. SNOMED CT is the target; the others are carried as translations. */
export const CODE_SYSTEMS: Readonly<Record<CodeSystemKey, CodeSystem>> = {
  snomed: { name: 'SNOMED CT', oid: '2.16.840.1.113883.2.1.3.2.4.15', url: 'http://snomed.info/sct' },
  readV2: { name: 'Read v2', oid: '2.16.840.1.113883.2.1.6.2', url: 'http://read.info/readv2' },
  ctv3: { name: 'CTV3', oid: '2.16.840.1.113883.2.1.3.2.4.14', url: 'http://read.info/ctv3' },
  // EMIS local ("Egton") codes such as EMISNQAD2.
  emisLocal: {
    name: 'EMIS local',
    oid: '2.16.840.1.113883.2.1.6.3',
    url: 'https://fhir.hl7.org.uk/Id/egton-codes',
  },
  // EMIS drug codes such as CITA6845: the requesting adaptor writes them as a urn:oid system.
  emisDrug: { name: 'EMIS drug', oid: '2.16.840.1.113883.2.1.6.9', url: 'urn:oid:2.16.840.1.113883.2.1.6.9' },
  // The same EMIS drug codes as EMIS Web's own GP Connect server names them (read direction only).
  emisDrugFhir: {
    name: 'EMIS drug',
    oid: '2.16.840.1.113883.2.1.6.9',
    url: 'https://fhir.hl7.org.uk/Id/emis-drug-codes',
  },
  hl7NullFlavor: {
    name: 'HL7 null flavor',
    oid: '2.16.840.1.113883.5.1008',
    url: 'http://hl7.org/fhir/v3/NullFlavor',
  },
};

const BY_OID = new Map<string, CodeSystem>();
const BY_URL = new Map<string, CodeSystem>();
for (const system of Object.values(CODE_SYSTEMS)) {
  // First entry wins for an OID, so emisDrug (the adaptor's spelling) is what HL7 → FHIR writes.
  if (!BY_OID.has(system.oid)) BY_OID.set(system.oid, system);
  BY_URL.set(system.url, system);
}

/** The known system for an HL7 OID, if any. */
export function codeSystemByOid(oid: string | undefined): CodeSystem | undefined {
  return oid === undefined ? undefined : BY_OID.get(oid);
}

/** The known system for a FHIR system URI, if any. */
export function codeSystemByUrl(url: string | undefined): CodeSystem | undefined {
  return url === undefined ? undefined : BY_URL.get(url);
}

/** FHIR system URI for an HL7 OID: the known one, else `urn:oid:…` so nothing is lost. */
export function systemUrlForOid(oid: string): string {
  return BY_OID.get(oid)?.url ?? `urn:oid:${oid}`;
}

/** HL7 OID for a FHIR system URI: the known one, a `urn:oid:` suffix, else undefined. */
export function oidForSystemUrl(url: string): string | undefined {
  const known = BY_URL.get(url);
  if (known) return known.oid;
  return url.startsWith('urn:oid:') ? url.slice('urn:oid:'.length) : undefined;
}

/** True where the OID or URI is SNOMED CT. */
export function isSnomed(systemOidOrUrl: string | undefined): boolean {
  return systemOidOrUrl === CODE_SYSTEMS.snomed.oid || systemOidOrUrl === CODE_SYSTEMS.snomed.url;
}
