import type { Coding, Meta, Reference, Resource } from 'fhir/r3.js';
import type { XmlElement } from '../../xml/index.ts';
import { DEGRADED_TAG } from '../codes/index.ts';
import { type DegradeReason, FidelityLedger, type SkipReason, StatementAccount } from '../fidelity.ts';
import { fhirId } from './fhir-id.ts';

/** The v3 ActCode for "no disclosure to patient": how GP Connect marks records the patient must not see. */
export const NOPAT_SECURITY: Readonly<Coding> = {
  system: 'http://hl7.org/fhir/v3/ActCode',
  code: 'NOPAT',
  display: "no disclosure to patient, family or caregivers without attending provider's authorization",
};

/** GP Connect 1.6 profile URL for a resource type's profile name. */
export function profileUrl(name: string): string {
  return `https://fhir.nhs.uk/STU3/StructureDefinition/${name}`;
}

/** Why a concept degraded: a SNOMED CT description id was all that was sent, or no SNOMED CT at all. */
export function conceptDegradeReason(concept: { readonly descriptionOnly?: boolean }): DegradeReason {
  return concept.descriptionOnly ? 'SNOMED CT description id only' : 'no SNOMED CT code';
}

/** A statement to account for: its element while its composition is walked, or the account kept for it. */
export type Statement = XmlElement | StatementAccount;

/** State shared by every mapper while one extract is translated: output, indexes and warnings. */
export class MappingContext {
  /** Resources made so far, in output order. */
  readonly resources: Resource[] = [];
  /** What went wrong but was tolerated: one line per degraded or skipped entry. */
  readonly warnings: string[] = [];
  /** What became of every statement (docs/record-translation.md#fidelity). */
  readonly fidelity = new FidelityLedger();
  /** Statement id (`id/@root`) → the resource made from it, for List entries and problem links. */
  readonly madeFrom = new Map<string, Reference>();
  /** Agent ids (agentDirectory) → Practitioner/Organization reference. */
  readonly agents = new Map<string, Reference>();
  readonly patientRef: Reference;
  /** `Identifier.system` for ids minted by the losing practice. */
  readonly identifierSystem: string;
  /** EhrExtract availabilityTime (or author time): the fallback for `issued`. */
  readonly extractTime: string | undefined;
  private readonly byKey = new Map<string, Resource>();

  constructor(options: { patientId: string; odsCode: string; extractTime: string | undefined }) {
    this.patientRef = { reference: `Patient/${options.patientId}` };
    this.identifierSystem = `https://gp2gp.nhs.example/Id/${options.odsCode || 'unknown'}`;
    this.extractTime = options.extractTime;
  }

  /** Records a tolerated problem. */
  warn(message: string): void {
    this.warnings.push(message);
  }

  /**
   * Adds a resource unless its type/id is taken (a repeated id would break references): then warns. Where the
   * statement it is made from is given, that statement is accounted mapped (or skipped for its duplicate id).
   */
  add<R extends Resource>(resource: R, sourceId?: string, statement?: Statement): R | undefined {
    const key = `${resource.resourceType}/${resource.id}`;
    if (this.byKey.has(key)) {
      if (statement)
        this.skip(statement, 'duplicate id', `${key}: duplicate id in the extract, second entry skipped`);
      else this.warn(`${key}: duplicate id in the extract, second entry skipped`);
      return undefined;
    }
    if (statement) this.accountOf(statement).record({ kind: 'mapped' });
    this.byKey.set(key, resource);
    this.resources.push(resource);
    if (sourceId !== undefined && !this.madeFrom.has(sourceId))
      this.madeFrom.set(sourceId, { reference: key });
    return resource;
  }

  /** The fidelity account of a statement (an element of the composition being walked, or a kept account). */
  accountOf(statement: Statement): StatementAccount {
    return statement instanceof StatementAccount ? statement : this.fidelity.account(statement);
  }

  /** Accounts a statement whose content went into another resource (a note, a field, a List) as mapped. */
  fold(statement: Statement): void {
    this.accountOf(statement).record({ kind: 'mapped' });
  }

  /** Warns, and accounts the statement degraded for the reason. */
  degrade(statement: Statement, reason: DegradeReason, message: string): void {
    this.warn(message);
    this.accountOf(statement).record({ kind: 'degraded', reason });
  }

  /** Warns, and accounts the statement skipped for the reason. */
  skip(statement: Statement, reason: SkipReason, message: string): void {
    this.warn(message);
    this.accountOf(statement).record({ kind: 'skipped', reason });
  }

  /** A resource made earlier, by its `Type/id` reference (for mappers that enrich what another made). */
  made(ref: Reference | undefined): Resource | undefined {
    return ref?.reference === undefined ? undefined : this.byKey.get(ref.reference);
  }

  /** The Practitioner (or Organization) for an agent id, if the directory has it. */
  agentRef(id: string | undefined): Reference | undefined {
    const key = fhirId(id);
    return key === undefined ? undefined : this.agents.get(key);
  }

  /** The business identifier list for an id from the extract. */
  identifier(value: string): { system: string; value: string }[] {
    return [{ system: this.identifierSystem, value }];
  }
}

/** Builds `meta`: the profile, NOPAT security where confidential, and the degraded tag where degraded. */
export function metaFor(profile: string, flags: { nopat?: boolean; degraded?: boolean } = {}): Meta {
  const meta: Meta = { profile: [profileUrl(profile)] };
  if (flags.nopat) meta.security = [{ ...NOPAT_SECURITY }];
  if (flags.degraded) meta.tag = [{ ...DEGRADED_TAG }];
  return meta;
}
