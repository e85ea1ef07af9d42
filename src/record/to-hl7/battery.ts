import type { Observation } from 'fhir/r3.js';
import { type XmlSpec, x } from '../../xml/index.ts';
import type { BundleIndex } from './bundle-index.ts';
import { conceptText } from './coded.ts';
import type { TranslationContext } from './context.ts';
import { component } from './datatypes.ts';
import { hl7Time } from './hl7-time.ts';
import { pmipNarrative } from './lab-results.ts';
import { observationAvailability, observationHead, performer } from './observation.ts';
import { joinKeptLines } from './text.ts';

/**
 * A GP Connect Observation that groups others with `has-member` (tobacco consumption and its cigarette count, a
 * full blood count and its results) is GP2GP's BATTERY: a CompoundStatement with the header's code and time and
 * the members inside it. The NHS sending adaptor writes such headers and members as loose statements, which loses
 * which results belong together; a BATTERY keeps it, and GP2GP readers (the NHS requesting adaptor too) read a
 * battery back as a header with members.
 */

/** The member Observations of a header, in order (only those in the bundle). */
export function batteryMembers(index: BundleIndex, obs: Observation): Observation[] {
  const related = Array.isArray(obs.related) ? obs.related : [];
  return related
    .filter((r) => r?.type === 'has-member')
    .map((r) => index.resolve(r.target))
    .filter((m): m is Observation => m?.resourceType === 'Observation' && m !== obs);
}

/**
 * True where the Observation is a battery header a CompoundStatement can carry whole: it has members and nothing
 * a CompoundStatement has no element for (a value, range or components), so writing it as a battery loses
 * nothing. Its comment and interpretation travel in a narrative inside the battery (`batteryStatement`).
 */
export function isBattery(index: BundleIndex, obs: Observation): boolean {
  // Laboratory batteries are written with their report (lab-results.ts).
  if (hasCategory(obs, 'laboratory') || reportResults(index).has(obs)) return false;
  if (batteryMembers(index, obs).length === 0) return false;
  const r = obs as unknown as Record<string, unknown>;
  const carried = Object.keys(r).some((k) => k.startsWith('value') && r[k] !== undefined);
  return (
    !carried &&
    !obs.dataAbsentReason &&
    !obs.bodySite &&
    !obs.method &&
    !(Array.isArray(obs.referenceRange) && obs.referenceRange.length > 0) &&
    !(Array.isArray(obs.component) && obs.component.length > 0)
  );
}

function hasCategory(obs: Observation, code: string): boolean {
  const categories = Array.isArray(obs.category) ? obs.category : [];
  return categories.some((c) => Array.isArray(c?.coding) && c.coding.some((k) => k?.code === code));
}

const results = new WeakMap<BundleIndex, Set<unknown>>();

/** The Observations some DiagnosticReport lists as its results. */
function reportResults(index: BundleIndex): Set<unknown> {
  let found = results.get(index);
  if (!found) {
    found = new Set(
      index
        .ofType('DiagnosticReport')
        .flatMap((r) => (Array.isArray(r.result) ? r.result.map((ref) => index.resolve(ref)) : [])),
    );
    results.set(index, found);
  }
  return found;
}

const headers = new WeakMap<BundleIndex, Map<Observation, Observation>>();

/** The battery header a member belongs to, if any (so a member met first is written inside its battery). */
export function batteryHeaderOf(index: BundleIndex, member: Observation): Observation | undefined {
  let byMember = headers.get(index);
  if (!byMember) {
    byMember = new Map();
    for (const r of index.ofType('Observation')) {
      if (!isBattery(index, r)) continue;
      for (const m of batteryMembers(index, r)) if (!byMember.has(m)) byMember.set(m, r);
    }
    headers.set(index, byMember);
  }
  return byMember.get(member);
}

/**
 * The BATTERY CompoundStatement for a header whose members' statements are given. A CompoundStatement has no
 * annotation, so the header's own comment and interpretation go first inside it as a PMIP "AGGREGATE COMMENT
 * SET" narrative, as the NHS sending adaptor writes a test group header's; readers take it back to the header.
 */
export function batteryStatement(ctx: TranslationContext, obs: Observation, members: XmlSpec[]): XmlSpec {
  const head = observationHead(ctx, obs);
  const own = joinKeptLines([
    conceptText(obs.interpretation) && `Interpretation: ${conceptText(obs.interpretation)}`,
    obs.comment,
  ]);
  const date = hl7Time(obs.effectiveDateTime ?? obs.effectivePeriod?.start);
  const notes = own
    ? [pmipNarrative(ctx, own, 'AGGREGATE COMMENT SET', date, obs, observationAvailability(obs))]
    : [];
  return x(
    'CompoundStatement',
    { classCode: 'BATTERY', moodCode: 'EVN' },
    ...head,
    ...[...notes, ...members].map(component),
    performer(ctx, obs),
  );
}
