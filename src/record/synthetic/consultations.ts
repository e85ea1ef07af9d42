import type { CodeableConcept, Encounter, FhirResource, List, Reference } from 'fhir/r3.js';
import {
  nopatMeta,
  type RecordDraft,
  type Recorded,
  refTo,
  type StaffMember,
  snomedConcept,
} from './record-draft.ts';
import { ukInstant } from './uk-time.ts';
import { type Concept, ENCOUNTER_TYPES } from './vocabulary.ts';

/** GP Connect's consultation structure codes (SNOMED CT). */
const CONSULTATION = { code: '325851000000107', display: 'Consultation' };
const TOPIC = { code: '25851000000105', display: 'Topic (EHR)' };
const CATEGORY = { code: '24781000000107', display: 'Category (EHR)' };

/**
 * A consultation being filled: when, with whom, of what type, and what was recorded under which topic and
 * category heading. It becomes an Encounter with its consultation, topic and category Lists (GP Connect's
 * structure, which the extract writes as an ehrComposition with its topics and categories).
 */
export class ConsultationDraft {
  readonly encounterId: string;
  readonly start: number;
  readonly clinician: StaffMember;
  readonly type: Concept | string;
  /** A consultation the patient must not see online: it and everything in it is NOPAT. */
  readonly nopat: boolean;
  /** How long it lasted, in minutes. */
  readonly minutes: number;
  /** Topic title ('' for an untitled topic) → category title → what was filed there. */
  readonly #topics = new Map<string, Map<string, FhirResource[]>>();
  /** Minutes after the start that the last entry was typed in. */
  #lastEntered = 0;

  constructor(draft: RecordDraft, start: number, nopat: boolean) {
    this.encounterId = draft.id();
    this.start = start;
    this.type = draft.random.weighted(ENCOUNTER_TYPES);
    this.clinician = draft.clinician();
    this.nopat = nopat;
    this.minutes = draft.random.int(5, 20);
  }

  /** A reference to the consultation's Encounter. */
  get encounter(): Reference {
    return { reference: `Encounter/${this.encounterId}` };
  }

  /**
   * The next entry's recording: dated with the consultation and made by its clinician, as GP systems date a
   * consultation's entries; entered into the system a minute or two after the one before.
   */
  recorded(): Recorded {
    this.#lastEntered += 1 + (this.#lastEntered % 2);
    return { at: this.start, entered: this.start + this.#lastEntered * 60_000, by: this.clinician };
  }

  /** Files an entry under a topic (undefined: untitled) and category heading. */
  file(topic: string | undefined, category: string, resource: FhirResource): void {
    const key = topic ?? '';
    let categories = this.#topics.get(key);
    if (!categories) {
      categories = new Map();
      this.#topics.set(key, categories);
    }
    const entries = categories.get(category) ?? [];
    entries.push(resource);
    categories.set(category, entries);
  }

  /** Writes the Encounter and its Lists into the record; entries filed here become NOPAT with it. */
  finish(draft: RecordDraft): void {
    const meta = this.nopat ? { meta: nopatMeta() } : {};
    const subject = draft.agents.patient;
    const end = this.start + this.minutes * 60_000;
    const typeConcept: CodeableConcept =
      typeof this.type === 'string' ? { text: this.type } : snomedConcept(this.type);
    const encounter: Encounter = {
      resourceType: 'Encounter',
      id: this.encounterId,
      ...meta,
      status: 'finished',
      type: [typeConcept],
      subject,
      participant: [
        {
          type: [{ coding: [{ system: 'http://hl7.org/fhir/v3/ParticipationType', code: 'PPRF' }] }],
          individual: this.clinician.practitioner,
        },
      ],
      period: { start: ukInstant(this.start), end: ukInstant(end) },
      location: [{ location: draft.agents.location }],
      serviceProvider: draft.agents.organization,
    };
    draft.add(encounter);
    const date = ukInstant(this.start);
    const list = (code: Concept, title: string | undefined, items: readonly Reference[]): List =>
      draft.add({
        resourceType: 'List',
        id: draft.id(),
        ...meta,
        status: 'current',
        mode: 'snapshot',
        ...(title ? { title } : {}),
        code: snomedConcept(code),
        subject,
        encounter: this.encounter,
        date,
        entry: items.map((item) => ({ item })),
      });
    const topicRefs: Reference[] = [];
    for (const [topic, categories] of this.#topics) {
      const categoryRefs: Reference[] = [];
      for (const [category, entries] of categories) {
        if (this.nopat) for (const entry of entries) entry.meta = nopatMeta();
        categoryRefs.push(refTo(list(CATEGORY, category, entries.map(refTo))));
      }
      topicRefs.push(refTo(list(TOPIC, topic || undefined, categoryRefs)));
    }
    // GP Connect titles a consultation List with the consultation's type.
    list(CONSULTATION, typeof this.type === 'string' ? this.type : this.type.display, topicRefs);
  }
}
