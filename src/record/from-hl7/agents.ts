import type { HumanName, Location, Organization, Patient, Practitioner, Reference } from 'fhir/r3.js';
import { attr, child, childElements, path, textOf, type XmlElement } from '../../xml/index.ts';
import { type MappingContext, metaFor } from './context.ts';
import { fhirId } from './fhir-id.ts';

/** OID of GMP (GP) numbers and of SDS user ids, as agents carry them. */
const GMP_OID = '2.16.840.1.113883.2.1.4.2';
const ODS_OID = '2.16.840.1.113883.2.1.3.2.4.19';
const NHS_NUMBER_OID = '2.16.840.1.113883.2.1.4.1';

/** EhrExtract recordTarget → Patient (NHS number; GP2GP carries no demographics, PDS is the source of those). */
export function mapPatient(extract: XmlElement, patientId: string, ctx: MappingContext): void {
  const idEl = path(extract, 'recordTarget/patient/id');
  const nhsNumber = attr(idEl, 'extension');
  if (!nhsNumber) ctx.warn('EhrExtract has no recordTarget NHS number');
  if (idEl && attr(idEl, 'root') !== NHS_NUMBER_OID)
    ctx.warn(`patient id root ${attr(idEl, 'root')} is not the NHS number OID`);
  const patient: Patient = {
    resourceType: 'Patient',
    id: patientId,
    meta: metaFor('CareConnect-GPC-Patient-1'),
    ...(nhsNumber ? { identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhsNumber }] } : {}),
  };
  ctx.add(patient);
}

/**
 * agentDirectory → Practitioner (agentPerson) or Organization (agentOrganization), registered by agent id so
 * statements can point at them.
 */
export function mapAgentDirectory(directory: XmlElement | undefined, ctx: MappingContext): void {
  if (!directory) return;
  for (const part of childElements(directory, 'part')) {
    const agent = child(part, 'Agent');
    const id = fhirId(attr(agent, 'root', 'id'));
    if (!agent || !id) {
      ctx.warn('agentDirectory part without an Agent id skipped');
      continue;
    }
    const person = child(agent, 'agentPerson');
    const org = child(agent, 'agentOrganization') ?? child(agent, 'representedOrganization');
    if (person) {
      const practitioner: Practitioner = {
        resourceType: 'Practitioner',
        id,
        meta: metaFor('CareConnect-GPC-Practitioner-1'),
      };
      const gmp = childElements(agent, 'id').find((i) => i.attrs.root === GMP_OID)?.attrs.extension;
      if (gmp) practitioner.identifier = [{ system: 'https://fhir.hl7.org.uk/Id/gmp-number', value: gmp }];
      const name = humanName(child(person, 'name'));
      if (name) practitioner.name = [name];
      if (ctx.add(practitioner)) ctx.agents.set(id, { reference: `Practitioner/${id}` });
    } else if (org) {
      const organization: Organization = {
        resourceType: 'Organization',
        id,
        meta: metaFor('CareConnect-GPC-Organization-1'),
      };
      const ods = childElements(org, 'id').find((i) => i.attrs.root === ODS_OID)?.attrs.extension;
      if (ods)
        organization.identifier = [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: ods }];
      const name = textOf(child(org, 'name')).trim();
      if (name) organization.name = name;
      if (ctx.add(organization)) ctx.agents.set(id, { reference: `Organization/${id}` });
    } else {
      ctx.warn(`Agent ${id} is neither a person nor an organisation, skipped`);
    }
  }
}

function humanName(el: XmlElement | undefined): HumanName | undefined {
  if (!el) return undefined;
  const name: HumanName = { use: 'official' };
  const family = textOf(child(el, 'family')).trim();
  const given = childElements(el, 'given')
    .map((g) => textOf(g).trim())
    .filter(Boolean);
  const prefix = childElements(el, 'prefix')
    .map((p) => textOf(p).trim())
    .filter(Boolean);
  if (family) name.family = family;
  if (given.length > 0) name.given = given;
  if (prefix.length > 0) name.prefix = prefix;
  if (!family && given.length === 0) {
    const text = textOf(el).trim();
    if (!text) return undefined;
    name.text = text;
  }
  return name;
}

/** Locations by name: an extract names the same surgery on every composition, so one Location each. */
export class LocationDirectory {
  private readonly byName = new Map<string, Reference>();
  private readonly ctx: MappingContext;

  constructor(ctx: MappingContext) {
    this.ctx = ctx;
  }

  /** The Location for an ehrComposition's `location`, made on first sight. */
  refFor(composition: XmlElement): Reference | undefined {
    const name = textOf(path(composition, 'location/locatedEntity/locatedPlace/name')).trim();
    if (!name) return undefined;
    const known = this.byName.get(name);
    if (known) return known;
    const id = `LOC-${this.byName.size + 1}`;
    const location: Location = {
      resourceType: 'Location',
      id,
      meta: metaFor('CareConnect-GPC-Location-1'),
      identifier: this.ctx.identifier(id),
      status: 'active',
      name,
    };
    const ref = { reference: `Location/${id}` };
    if (this.ctx.add(location)) this.byName.set(name, ref);
    return ref;
  }
}
