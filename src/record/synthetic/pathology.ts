import type { DiagnosticReport, Observation, Reference, Specimen } from 'fhir/r3.js';
import {
  FILING_COMMENTS,
  LAB_COMMENTS,
  LAB_PANELS,
  type LabPanel,
  type LabTest,
  RESULT_NOTES,
} from './lab-panels.ts';
import { rounded, ucum } from './observations.ts';
import { type RecordDraft, type Recorded, refTo, snomedConcept } from './record-draft.ts';
import { DAY_MS, ukInstant } from './uk-time.ts';
import { COMMENT_NOTE } from './vocabulary.ts';

/**
 * A pathology report as GP Connect sends it: a DiagnosticReport listing its specimens and results, batteries as
 * a header Observation with `has-member` results, reference ranges, abnormal flags, the lab's comments, and
 * the filing clinician's comment.
 */

const LABORATORY = {
  coding: [{ system: 'http://hl7.org/fhir/observation-category', code: 'laboratory', display: 'Laboratory' }],
};

/** A report on a request made at `requested`, from the laboratory `lab`: one to three panels. */
export function pathologyReport(draft: RecordDraft, requested: Recorded, lab: Reference): DiagnosticReport {
  const { random } = draft;
  const panels = new Set<LabPanel>();
  const wanted = random.weighted([
    [1, 50],
    [2, 35],
    [3, 15],
  ] as const);
  while (panels.size < wanted) panels.add(random.weighted(LAB_PANELS.map((p) => [p, p.weight] as const)));
  const collected = requested.at + random.int(0, 2) * DAY_MS;
  const issued = collected + random.int(1, 3) * DAY_MS + random.int(1, 8) * 3_600_000;
  const specimens = new Map<LabPanel['specimen'], Specimen>();
  const results: Reference[] = [];
  for (const panel of panels) {
    let specimen = specimens.get(panel.specimen);
    if (!specimen) {
      specimen = draft.add<Specimen>({
        resourceType: 'Specimen',
        id: draft.id(),
        accessionIdentifier: {
          value: `${random.pick(['LB', 'HA', 'CH', 'MB'])}${random.int(100000, 999999)}`,
        },
        type: { text: panel.specimen },
        subject: draft.agents.patient,
        receivedTime: ukInstant(collected + 4 * 3_600_000),
        collection: { collectedDateTime: ukInstant(collected) },
      });
      specimens.set(panel.specimen, specimen);
    }
    results.push(...panelResults(draft, panel, refTo(specimen), issued));
  }
  const filedBy = draft.clinician('gp');
  results.push(
    refTo(
      draft.add<Observation>({
        resourceType: 'Observation',
        id: draft.id(),
        status: 'final',
        code: snomedConcept(COMMENT_NOTE),
        subject: draft.agents.patient,
        effectiveDateTime: ukInstant(issued + random.int(1, 3) * DAY_MS),
        performer: [filedBy.practitioner],
        comment: random.pick(FILING_COMMENTS),
      }),
    ),
  );
  return draft.add<DiagnosticReport>({
    resourceType: 'DiagnosticReport',
    id: draft.id(),
    status: 'final',
    category: {
      coding: [
        {
          system: 'http://hl7.org/fhir/v2/0074',
          code: 'PAT',
          display: 'Pathology (gross & histopath, not surgical)',
        },
      ],
    },
    code: snomedConcept({ code: '721981007', display: 'Diagnostic studies report' }),
    subject: draft.agents.patient,
    issued: ukInstant(issued),
    performer: [{ actor: lab }],
    specimen: [...specimens.values()].map(refTo),
    result: results,
    ...(random.chance(0.2)
      ? { conclusion: random.pick(['Normal', 'Abnormal - see results', 'Within normal limits']) }
      : {}),
  });
}

/** The results of one panel: a battery header with its members, or the single test(s) themselves. */
function panelResults(draft: RecordDraft, panel: LabPanel, specimen: Reference, issued: number): Reference[] {
  const members = panel.tests.map((test) => numericResult(draft, test, specimen, issued));
  if (panel.textResults) {
    const { test, results } = panel.textResults;
    members.push(
      draft.add<Observation>({
        ...labObservation(draft, test, specimen, issued),
        valueString: draft.random.pick(results),
      }),
    );
  }
  if (!panel.header) return members.map(refTo);
  const header = draft.add<Observation>({
    ...labObservation(draft, panel.header, specimen, issued),
    related: members.map((m) => ({ type: 'has-member', target: refTo(m) })),
  });
  return [refTo(header)];
}

function labObservation(
  draft: RecordDraft,
  test: { code: string; display: string },
  specimen: Reference,
  issued: number,
): Observation {
  return {
    resourceType: 'Observation',
    id: draft.id(),
    status: 'final',
    category: [LABORATORY],
    code: snomedConcept(test),
    subject: draft.agents.patient,
    issued: ukInstant(issued),
    specimen,
  };
}

function numericResult(draft: RecordDraft, test: LabTest, specimen: Reference, issued: number): Observation {
  const { random } = draft;
  const value = rounded(Math.max(0, test.mean + test.sd * random.normal()), test.decimals);
  // Abnormal results flagged as EMIS Web sends them (the HL7 interpretation code and its meaning, as text).
  const flag =
    value > test.high
      ? 'HI - Above high reference limit'
      : value < test.low
        ? 'LO - Below low reference limit'
        : undefined;
  const result: Observation = {
    ...labObservation(draft, test, specimen, issued),
    valueQuantity: ucum(value, test.unit),
    ...(flag ? { interpretation: { text: flag } } : {}),
    referenceRange: [{ low: ucum(test.low, test.unit), high: ucum(test.high, test.unit) }],
    ...(random.chance(0.05) ? { comment: random.pick(LAB_COMMENTS) } : {}),
  };
  draft.add(result);
  if (random.chance(0.04)) {
    // A clinician's comment on one result, held as its member (GP Connect's shape for a result comment).
    const note = draft.add<Observation>({
      resourceType: 'Observation',
      id: draft.id(),
      status: 'final',
      code: snomedConcept(COMMENT_NOTE),
      subject: draft.agents.patient,
      effectiveDateTime: ukInstant(issued + DAY_MS),
      comment: random.pick(RESULT_NOTES),
    });
    result.related = [{ type: 'has-member', target: refTo(note) }];
  }
  return result;
}
