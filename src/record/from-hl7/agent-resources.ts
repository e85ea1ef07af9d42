import type {
  Address,
  CodeableConcept,
  ContactPoint,
  HumanName,
  Organization,
  Practitioner,
  PractitionerRole,
} from 'fhir/r3.js';
import { attr, child, childElements, textOf, type XmlElement } from '../../xml/index.ts';
import { readHl7Code, toFhirCodeableConcept } from '../codes/index.ts';
import { metaFor } from './context.ts';

/** OID of GMP (GP) numbers on a person agent. */
const GMP_OID = '2.16.840.1.113883.2.1.4.2';
/**
 * Organisation ids: the MIM's ODS code root, and the SDS organisation root some senders use instead. Both
 * carry the ODS code.
 */
const ORG_ID_ROOTS = new Set(['2.16.840.1.113883.2.1.4.3', '2.16.840.1.113883.2.1.3.2.4.19']);
const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';

/** agentPerson → Practitioner (name, GMP number). */
export function practitionerOf(agent: XmlElement, person: XmlElement, id: string): Practitioner {
  const practitioner: Practitioner = {
    resourceType: 'Practitioner',
    id,
    meta: metaFor('CareConnect-GPC-Practitioner-1'),
  };
  const gmp = childElements(agent, 'id').find((i) => i.attrs.root === GMP_OID)?.attrs.extension;
  if (gmp) practitioner.identifier = [{ system: 'https://fhir.hl7.org.uk/Id/gmp-number', value: gmp }];
  const name = humanName(child(person, 'name'));
  if (name) practitioner.name = [name];
  return practitioner;
}

/** agentOrganization / representedOrganization → Organization (ODS code, name, first telecom and address). */
export function organizationOf(org: XmlElement, id: string, type?: CodeableConcept): Organization {
  const organization: Organization = {
    resourceType: 'Organization',
    id,
    meta: metaFor('CareConnect-GPC-Organization-1'),
  };
  const ods = childElements(org, 'id').find((i) => ORG_ID_ROOTS.has(i.attrs.root ?? ''))?.attrs.extension;
  if (ods) organization.identifier = [{ system: ODS_SYSTEM, value: ods }];
  const name = textOf(child(org, 'name')).trim();
  if (name) organization.name = name;
  if (type) organization.type = [type];
  const telecom = childElements(org, 'telecom')
    .map(contactPoint)
    .filter((t) => t !== undefined);
  if (telecom.length > 0) organization.telecom = telecom;
  const address = postalAddress(child(org, 'addr'));
  if (address) organization.address = [address];
  return organization;
}

/** The ODS code of an Organization we made, for matching a represented organisation to a known one. */
export function odsCodeOf(org: Organization): string | undefined {
  return org.identifier?.find((i) => i.system === ODS_SYSTEM)?.value;
}

/** A person's role in their organisation → PractitionerRole linking the two (GP Connect's agent role). */
export function practitionerRoleOf(
  id: string,
  practitionerId: string,
  organizationId: string | undefined,
  role: CodeableConcept | undefined,
): PractitionerRole {
  return {
    resourceType: 'PractitionerRole',
    id,
    meta: metaFor('CareConnect-GPC-PractitionerRole-1'),
    practitioner: { reference: `Practitioner/${practitionerId}` },
    ...(organizationId ? { organization: { reference: `Organization/${organizationId}` } } : {}),
    ...(role ? { code: [role] } : {}),
  };
}

/**
 * The Agent's `code` as a concept, or undefined where it says nothing (no code, and no text but "Unknown",
 * the stand-in senders write for a missing role).
 */
export function agentRole(agent: XmlElement): CodeableConcept | undefined {
  const element = child(agent, 'code');
  if (!element) return undefined;
  const code = readHl7Code(element);
  const text = code.originalText ?? code.displayName;
  if (!code.code && (!text || text === 'Unknown' || text === 'Organisation')) return undefined;
  return toFhirCodeableConcept(code).concept;
}

function humanName(element: XmlElement | undefined): HumanName | undefined {
  if (!element) return undefined;
  const name: HumanName = { use: 'official' };
  const family = textOf(child(element, 'family')).trim();
  const given = childElements(element, 'given')
    .map((g) => textOf(g).trim())
    .filter(Boolean);
  const prefix = childElements(element, 'prefix')
    .map((p) => textOf(p).trim())
    .filter(Boolean);
  if (family) name.family = family;
  if (given.length > 0) name.given = given;
  if (prefix.length > 0) name.prefix = prefix;
  if (!family && given.length === 0) {
    const text = textOf(element).trim();
    if (!text) return undefined;
    name.text = text;
  }
  return name;
}

const TELECOM_SCHEMES: Readonly<Record<string, ContactPoint['system']>> = {
  'tel:': 'phone',
  'fax:': 'fax',
  'mailto:': 'email',
};

function contactPoint(tel: XmlElement): ContactPoint | undefined {
  const value = attr(tel, 'value');
  if (!value) return undefined;
  const scheme = Object.keys(TELECOM_SCHEMES).find((s) => value.startsWith(s));
  return {
    system: scheme ? TELECOM_SCHEMES[scheme] : 'other',
    value: scheme ? value.slice(scheme.length) : value,
    use: 'work',
  };
}

function postalAddress(addr: XmlElement | undefined): Address | undefined {
  if (!addr) return undefined;
  const lines = childElements(addr, 'streetAddressLine')
    .map((l) => textOf(l).trim())
    .filter(Boolean);
  const postalCode = textOf(child(addr, 'postalCode')).trim();
  if (lines.length === 0 && !postalCode) return undefined;
  return { use: 'work', ...(lines.length > 0 ? { line: lines } : {}), ...(postalCode ? { postalCode } : {}) };
}
