import type { List, Observation, Reference } from 'fhir/r3.js';
import { childElements, type XmlElement } from '../../xml/index.ts';
import type { LocationDirectory } from './agent-directory.ts';
import { allergyKindOf, mapAllergy } from './allergy.ts';
import { type FoundLinkSet, linkTarget } from './condition.ts';
import { isConsultation, isEmptyComposition, makeList, mapEncounter, setEntries } from './consultation.ts';
import type { MappingContext } from './context.ts';
import { isLabReport, mapDiagnosticReport } from './diagnostic-report.ts';
import { externalDocumentOf, mapDocument } from './document.ts';
import { isImmunisation, mapImmunization } from './immunization.ts';
import { MedicationIndex } from './medication-index.ts';
import { mapNarrativeObservation, mapObservation } from './observation.ts';
import { applyResultNote, liftBatteryFacts } from './observation-notes.ts';
import { mapPlan, mapReferral } from './plan-and-request.ts';
import { COMMENT_TYPES, pmipOf } from './pmip.ts';
import { isTransformedProblemHeader } from './problem-header.ts';
import { codeOf, compositionScope, type StatementScope, statementId } from './statement.ts';

/**
 * One pass over the ehrFolder: each composition becomes an Encounter with its List tree (or no Encounter for
 * non-consultation data), each statement is mapped where it stands, and what needs the whole record
 * (medication supplies, problem LinkSets) is collected for afterwards. Statements are indexed by id as they
 * pass, so nothing is ever searched for twice.
 */
export class ExtractWalker {
  /**
   * Every statement with an id, for LinkSet lookups: only the part a LinkSet reads ({@link linkTarget}), so a
   * composition's tree can be let go once walked.
   */
  readonly statements = new Map<string, XmlElement>();
  /** MedicationStatements, indexed as met and kept for the medication step. */
  readonly medications = new MedicationIndex();
  readonly linkSets: FoundLinkSet[] = [];
  /** List entries standing for a MedicationStatement, filled in once medications are mapped. */
  private readonly medicationEntries = new Map<Reference, string>();
  private readonly ctx: MappingContext;
  private readonly locations: LocationDirectory;

  constructor(ctx: MappingContext, locations: LocationDirectory) {
    this.ctx = ctx;
    this.locations = locations;
  }

  /** Walks one ehrComposition (as the parser completes it); a broken composition costs only itself. */
  walkComposition(composition: XmlElement, folderNopat: boolean): void {
    try {
      this.walkConsultation(composition, folderNopat);
    } catch (e) {
      this.ctx.warn(
        `ehrComposition ${statementId(composition) ?? '(no id)'} skipped: ${(e as Error).message}`,
      );
    }
  }

  private walkConsultation(composition: XmlElement, folderNopat: boolean): void {
    const statements = childElements(composition, 'component').flatMap((c) => childElements(c));
    const id = statementId(composition);
    if (!id || !isConsultation(composition)) {
      const scope = compositionScope(composition, this.ctx, undefined, folderNopat);
      for (const s of statements) this.mapStatement(s, scope);
      return;
    }
    const base = compositionScope(composition, this.ctx, undefined, folderNopat);
    const encounterRef = mapEncounter(composition, id, base, this.locations.refFor(composition), this.ctx);
    // An empty consultation is its Encounter alone: GP Connect gives it no consultation List either.
    if (!encounterRef || isEmptyComposition(statements)) return;
    const scope: StatementScope = { ...base, encounterRef };
    const consultation = makeList(
      'consultation',
      `${id}-CONS`,
      composition,
      encounterRef,
      base.recordedDate,
      this.ctx,
      scope.nopat,
    );
    this.ctx.add(consultation);
    const topics: Reference[] = [];
    let flatTopic: { list: List; entries: Reference[] } | undefined;
    for (const s of statements) {
      if (s.local === 'CompoundStatement' && s.attrs.classCode === 'TOPIC' && statementId(s)) {
        topics.push(this.walkTopic(s, scope, consultation.date));
        continue;
      }
      if (s.local === 'LinkSet' || s.local === 'MedicationStatement' || s.local === 'EhrEmpty') {
        this.mapStatement(s, scope);
        continue;
      }
      // Entries outside any topic are gathered under one made-up topic, as GP Connect does for flat records.
      if (!flatTopic) {
        const list = makeList(
          'topic',
          `${id}-TOPIC`,
          undefined,
          encounterRef,
          consultation.date,
          this.ctx,
          scope.nopat,
        );
        this.ctx.add(list);
        topics.push({ reference: `List/${list.id}` });
        flatTopic = { list, entries: [] };
      }
      flatTopic.entries.push(...this.mapInList(s, scope, consultation.date));
    }
    if (flatTopic) setEntries(flatTopic.list, flatTopic.entries);
    setEntries(consultation, topics);
  }

  private walkTopic(topic: XmlElement, scope: StatementScope, date: string | undefined): Reference {
    const id = statementId(topic)!;
    this.index(id, topic);
    const list = makeList('topic', id, topic, scope.encounterRef!, date, this.ctx, scope.nopat);
    // Registered as made from the TOPIC, so a problem's related content can point at it.
    this.ctx.add(list, id);
    const entries: Reference[] = [];
    for (const s of childElements(topic, 'component').flatMap((c) => childElements(c))) {
      entries.push(...this.mapInList(s, scope, list.date));
    }
    setEntries(list, entries);
    return { reference: `List/${id}` };
  }

  /** Maps a statement inside a topic: a CATEGORY (not an allergy wrapper) becomes a category List. */
  private mapInList(s: XmlElement, scope: StatementScope, date: string | undefined): Reference[] {
    const id = statementId(s);
    if (s.local !== 'CompoundStatement' || s.attrs.classCode !== 'CATEGORY' || !id || allergyKindOf(s)) {
      return this.mapStatement(s, scope);
    }
    this.index(id, s);
    const list = makeList('category', id, s, scope.encounterRef!, date, this.ctx, scope.nopat);
    this.ctx.add(list, id);
    const entries: Reference[] = [];
    for (const inner of childElements(s, 'component').flatMap((c) => childElements(c))) {
      entries.push(...this.mapStatement(inner, scope));
    }
    setEntries(list, entries);
    return [{ reference: `List/${id}` }];
  }

  /** Maps one statement (and what it contains); returns the references a List should hold. */
  mapStatement(s: XmlElement, scope: StatementScope, derivedFrom?: Reference): Reference[] {
    const id = statementId(s);
    if (id) this.index(id, s);
    try {
      return this.dispatch(s, scope, derivedFrom);
    } catch (e) {
      this.ctx.warn(`${s.local} ${id ?? '(no id)'} skipped: ${(e as Error).message}`);
      return [];
    }
  }

  private dispatch(s: XmlElement, scope: StatementScope, derivedFrom?: Reference): Reference[] {
    const links = derivedFrom ? { derivedFrom } : {};
    switch (s.local) {
      case 'ObservationStatement': {
        // A transformed problem header is the shape of a LinkSet, read with it (condition.ts).
        if (isTransformedProblemHeader(s)) return [];
        const code = codeOf(s);
        const ref =
          code && isImmunisation(code)
            ? mapImmunization(s, code, scope, this.ctx)
            : mapObservation(s, scope, this.ctx, links);
        return ref ? [ref] : [];
      }
      case 'NarrativeStatement': {
        const doc = externalDocumentOf(s);
        const ref = doc
          ? mapDocument(s, doc, scope, this.ctx)
          : mapNarrativeObservation(s, scope, this.ctx, links);
        return ref ? [ref] : [];
      }
      case 'PlanStatement':
        return optional(mapPlan(s, scope, this.ctx));
      case 'RequestStatement':
        return optional(mapReferral(s, scope, this.ctx));
      case 'CompoundStatement':
        return this.mapCompound(s, scope);
      case 'MedicationStatement': {
        this.medications.add(s, scope);
        // Medications are mapped after the walk; the List holds a place for what this statement becomes.
        const id = statementId(s);
        if (!id) return [];
        const entry: Reference = { reference: `MedicationStatement/${id}` };
        this.medicationEntries.set(entry, id);
        return [entry];
      }
      case 'LinkSet':
        this.linkSets.push({ linkSet: s, scope });
        return [];
      case 'EhrEmpty':
        return [];
      default:
        this.ctx.warn(`unknown statement ${s.local} skipped`);
        return [];
    }
  }

  /**
   * Points each List entry held for a MedicationStatement at the MedicationRequest made from it (a consultation
   * lists the issue or authorisation it recorded, as GP Connect and the NHS requesting adaptor do); entries whose
   * statement made nothing are dropped. Run after the medications are mapped.
   */
  fillMedicationEntries(): void {
    if (this.medicationEntries.size === 0) return;
    const dropped = new Set<Reference>();
    for (const [entry, id] of this.medicationEntries) {
      const made = this.ctx.madeFrom.get(id)?.reference;
      if (made?.startsWith('MedicationRequest/')) entry.reference = made;
      else dropped.add(entry);
    }
    if (dropped.size === 0) return;
    for (const resource of this.ctx.resources) {
      if (resource.resourceType !== 'List') continue;
      const list = resource as List;
      if (!list.entry?.some((e) => dropped.has(e.item))) continue;
      const kept = list.entry.filter((e) => !dropped.has(e.item)).map((e) => e.item);
      delete list.entry;
      setEntries(list, kept);
    }
  }

  private index(id: string, statement: XmlElement): void {
    this.statements.set(id, linkTarget(statement));
  }

  private mapCompound(s: XmlElement, scope: StatementScope): Reference[] {
    const inner = childElements(s, 'component').flatMap((c) => childElements(c));
    const allergy = allergyKindOf(s);
    if (allergy) {
      for (const i of inner) {
        const iid = statementId(i);
        if (iid) this.index(iid, i);
      }
      return optional(mapAllergy(s, allergy, scope, this.ctx));
    }
    if (isLabReport(s)) {
      return optional(
        mapDiagnosticReport(s, scope, this.ctx, {
          index: (i) => {
            const iid = statementId(i);
            if (iid) this.index(iid, i);
          },
          fallback: (i) => this.mapStatement(i, scope),
        }),
      );
    }
    const kind = s.attrs.classCode;
    const id = statementId(s);
    if ((kind === 'BATTERY' || kind === 'CLUSTER') && id) {
      // A battery or cluster is a header Observation whose members point back at it. A battery's PMIP
      // "AGGREGATE COMMENT SET" narrative is the header's own comment (a CompoundStatement has no annotation),
      // not a member.
      const header = { reference: `Observation/${id}` };
      const own = kind === 'BATTERY' ? inner.filter(isAggregateComment) : [];
      const members = inner
        .filter((i) => !own.includes(i))
        .flatMap((i) => this.mapStatement(i, scope, header));
      const made = optional(mapObservation(s, scope, this.ctx, { members }));
      const headerObs = this.ctx.made(header);
      if (kind === 'BATTERY' && headerObs?.resourceType === 'Observation') {
        for (const note of own) applyResultNote(headerObs as Observation, pmipOf(note).body);
        const notes = members
          .map((m) => this.ctx.made(m))
          .filter(
            (m): m is Observation => m?.resourceType === 'Observation' && isCommentNote(m as Observation),
          );
        liftBatteryFacts(headerObs as Observation, notes);
      }
      return made;
    }
    // Any other grouping (nested topics or categories outside a consultation) is flattened.
    return inner.flatMap((i) => this.mapStatement(i, scope));
  }
}

function isAggregateComment(s: XmlElement): boolean {
  return s.local === 'NarrativeStatement' && pmipOf(s).type === COMMENT_TYPES.aggregate;
}

function isCommentNote(obs: Observation): boolean {
  return obs.code?.coding?.some((c) => c.code === '37331000000100') === true;
}

function optional(ref: Reference | undefined): Reference[] {
  return ref ? [ref] : [];
}
