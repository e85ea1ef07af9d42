import type {
  Address,
  CodeableConcept,
  ContactPoint,
  HumanName,
  Organization,
  Practitioner,
  PractitionerRole,
} from 'fhir/r3.js';
import { type XmlChild, type XmlSpec, x } from '../../xml/index.ts';
import { oidForSystemUrl } from '../codes/code-systems.ts';
import { keyOf } from './bundle-index.ts';
import { conceptText } from './coded.ts';
import type { TranslationContext } from './context.ts';
import { idElement } from './datatypes.ts';
import { cleanText, cleanToken } from './text.ts';

/**
 * Registers every Practitioner and Organization in the bundle as an agent (so statements can point at them)
 * and picks the default agent: the patient's practice, else the first organisation, else a stand-in.
 * Call before any statement is built.
 */
export function registerAgents(ctx: TranslationContext): void {
  for (const r of [...ctx.index.ofType('Practitioner'), ...ctx.index.ofType('Organization')]) {
    const key = keyOf(r);
    if (key) ctx.registerAgent(key, ctx.idFor(key));
  }
  const patient = ctx.index.ofType('Patient')[0];
  const practice = ctx.index.resolve(patient?.managingOrganization);
  const fallback = practice?.resourceType === 'Organization' ? practice : ctx.index.ofType('Organization')[0];
  const fallbackKey = fallback ? keyOf(fallback) : undefined;
  ctx.defaultAgentId = fallbackKey ? ctx.idFor(fallbackKey) : ctx.idFor('gp2gp:unknown-agent');
}

/** The `agentDirectory` element listing every agent in the bundle (and the stand-in agent when it was needed). */
export function agentDirectoryElement(ctx: TranslationContext): XmlSpec {
  const parts: XmlSpec[] = [];
  const roles = ctx.index.ofType('PractitionerRole');
  for (const practitioner of ctx.index.ofType('Practitioner')) {
    const key = keyOf(practitioner);
    if (!key) continue;
    const role = roles.find((r) => ctx.index.resolveKey(r.practitioner) === key);
    const org = ctx.index.resolve(role?.organization);
    parts.push(
      practitionerAgent(
        ctx.idFor(key),
        practitioner,
        role,
        org?.resourceType === 'Organization' ? org : undefined,
      ),
    );
  }
  for (const organization of ctx.index.ofType('Organization')) {
    const key = keyOf(organization);
    if (key) parts.push(organizationAgent(ctx.idFor(key), organization));
  }
  if (ctx.defaultAgentId === ctx.idFor('gp2gp:unknown-agent')) {
    parts.push(
      agent(
        ctx.defaultAgentId,
        uncoded('Unknown'),
        x('agentOrganization', { classCode: 'ORG', determinerCode: 'INSTANCE' }, x('name', {}, 'Unknown')),
      ),
    );
  }
  return x('agentDirectory', { classCode: 'AGNT' }, ...parts.map((p) => x('part', { typeCode: 'PART' }, p)));
}

function practitionerAgent(
  id: string,
  p: Practitioner,
  role: PractitionerRole | undefined,
  org: Organization | undefined,
): XmlSpec {
  const roleConcept = Array.isArray(role?.code) ? role.code.find((c) => conceptText(c)) : undefined;
  const name = Array.isArray(p.name) ? p.name[0] : undefined;
  return agent(
    id,
    roleCode(roleConcept),
    x('agentPerson', { classCode: 'PSN', determinerCode: 'INSTANCE' }, personName(name)),
    org &&
      x(
        'representedOrganization',
        { classCode: 'ORG', determinerCode: 'INSTANCE' },
        ...organizationDetails(org),
      ),
  );
}

function organizationAgent(id: string, org: Organization): XmlSpec {
  const type = Array.isArray(org.type) ? org.type.map(conceptText).find((t) => t !== undefined) : undefined;
  return agent(
    id,
    uncoded(type ?? 'Organisation'),
    x('agentOrganization', { classCode: 'ORG', determinerCode: 'INSTANCE' }, ...organizationDetails(org)),
  );
}

function agent(id: string, code: XmlSpec, ...children: XmlChild[]): XmlSpec {
  return x('Agent', { classCode: 'AGNT' }, idElement(id), code, ...children);
}

function uncoded(text: string): XmlSpec {
  return x('code', { nullFlavor: 'UNK' }, x('originalText', {}, text));
}

// The Agent code is a CV: a role coding whose system has an HL7 OID travels as a code, any other as its text.
function roleCode(concept: CodeableConcept | undefined): XmlSpec {
  const text = conceptText(concept) ?? 'Unknown';
  const codings = Array.isArray(concept?.coding) ? concept.coding : [];
  for (const c of codings) {
    const system = typeof c?.system === 'string' ? oidForSystemUrl(c.system) : undefined;
    const code = cleanToken(c?.code);
    if (!system || !code) continue;
    const display = cleanText(c.display);
    const original = cleanText(concept?.text);
    return x(
      'code',
      { code, codeSystem: system, displayName: display },
      original && original !== display ? x('originalText', {}, original) : undefined,
    );
  }
  return uncoded(text);
}

function organizationDetails(org: Organization): XmlChild[] {
  const ods = Array.isArray(org.identifier)
    ? org.identifier.find((i) => i?.system === 'https://fhir.nhs.uk/Id/ods-organization-code')?.value
    : undefined;
  const odsCode = cleanText(ods);
  const telecoms = (Array.isArray(org.telecom) ? org.telecom : [])
    .map(telecom)
    .filter((t) => t !== undefined)
    .slice(0, 5);
  const address = Array.isArray(org.address) ? org.address[0] : undefined;
  return [
    odsCode && x('id', { root: '2.16.840.1.113883.2.1.4.3', extension: odsCode }),
    x('name', {}, cleanText(org.name) ?? 'Unknown'),
    ...telecoms,
    address && postalAddress(address),
  ];
}

function personName(name: HumanName | undefined): XmlSpec | undefined {
  if (!name) return undefined;
  const prefixes = (Array.isArray(name.prefix) ? name.prefix : [])
    .map(cleanText)
    .filter((s) => s !== undefined);
  const givens = (Array.isArray(name.given) ? name.given : []).map(cleanText).filter((s) => s !== undefined);
  const family = cleanText(name.family);
  const text = cleanText(name.text);
  if (prefixes.length + givens.length === 0 && !family) return text ? x('name', {}, text) : undefined;
  return x(
    'name',
    {},
    ...prefixes.map((p) => x('prefix', {}, p)),
    ...givens.map((g) => x('given', {}, g)),
    family && x('family', {}, family),
  );
}

function telecom(contact: ContactPoint | undefined): XmlSpec | undefined {
  const value = cleanText(contact?.value)?.replace(/\s+/g, '');
  if (!value) return undefined;
  const scheme = contact?.system === 'email' ? 'mailto:' : contact?.system === 'fax' ? 'fax:' : 'tel:';
  return x('telecom', { value: `${scheme}${value}`, use: 'WP' });
}

function postalAddress(address: Address): XmlSpec | undefined {
  const lines = (Array.isArray(address.line) ? address.line : [])
    .map(cleanText)
    .filter((s) => s !== undefined);
  const city = cleanText(address.city);
  const district = cleanText(address.district);
  const postcode = cleanText(address.postalCode);
  if (lines.length === 0 && !city && !postcode) return undefined;
  return x(
    'addr',
    { use: 'WP' },
    ...lines.map((l) => x('streetAddressLine', {}, l)),
    city && x('streetAddressLine', {}, city),
    district && x('streetAddressLine', {}, district),
    postcode && x('postalCode', {}, postcode),
  );
}
