import type { Location, Organization, Patient, Reference } from 'fhir/r3.js';
import { attr, child, childElements, path, textOf, type XmlElement } from '../../xml/index.ts';
import {
  agentRole,
  odsCodeOf,
  organizationOf,
  practitionerOf,
  practitionerRoleOf,
} from './agent-resources.ts';
import { type MappingContext, metaFor } from './context.ts';
import { fhirId } from './fhir-id.ts';

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
 * statements can point at them. A person with a represented organisation or a role (the Agent's code) also
 * gets a PractitionerRole (`<agent id>-PR`) linking them to that organisation: the directory's organisation
 * of the same ODS code where there is one, else an Organization of its own (`<agent id>-ORG`), as the NHS
 * requesting adaptor does.
 */
export function mapAgentDirectory(directory: XmlElement | undefined, ctx: MappingContext): void {
  if (!directory) return;
  const agents: { agent: XmlElement; id: string }[] = [];
  for (const part of childElements(directory, 'part')) {
    const agent = child(part, 'Agent');
    const id = fhirId(attr(agent, 'root', 'id'));
    if (!agent || !id) ctx.warn('agentDirectory part without an Agent id skipped');
    else agents.push({ agent, id });
  }
  // Organisations first, so a person's represented organisation can be matched to one of them.
  const organizations: Organization[] = [];
  for (const { agent, id } of agents) {
    const org = child(agent, 'agentOrganization');
    if (child(agent, 'agentPerson') || !org) continue;
    const organization = organizationOf(org, id, agentRole(agent));
    if (ctx.add(organization)) {
      ctx.agents.set(id, { reference: `Organization/${id}` });
      organizations.push(organization);
    }
  }
  for (const { agent, id } of agents) {
    const person = child(agent, 'agentPerson');
    if (!person) {
      if (!child(agent, 'agentOrganization'))
        ctx.warn(`Agent ${id} is neither a person nor an organisation, skipped`);
      continue;
    }
    if (!ctx.add(practitionerOf(agent, person, id))) continue;
    ctx.agents.set(id, { reference: `Practitioner/${id}` });
    const represented = child(agent, 'representedOrganization');
    const role = agentRole(agent);
    if (!represented && !role) continue;
    const orgId = represented ? representedOrganizationId(represented, id, organizations, ctx) : undefined;
    ctx.add(practitionerRoleOf(`${id}-PR`, id, orgId, role));
  }
}

function representedOrganizationId(
  represented: XmlElement,
  agentId: string,
  organizations: Organization[],
  ctx: MappingContext,
): string | undefined {
  const candidate = organizationOf(represented, `${agentId}-ORG`);
  const ods = odsCodeOf(candidate);
  const same = organizations.find((o) =>
    ods ? odsCodeOf(o) === ods : !odsCodeOf(o) && o.name !== undefined && o.name === candidate.name,
  );
  if (same) return same.id;
  if (!ctx.add(candidate)) return undefined;
  organizations.push(candidate);
  return candidate.id;
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
