import type { PdsPatientView } from '../spine/index.ts';
import { listTransfers, type RequestRecordOutcome, type TransferEngine } from '../transfer/index.ts';
import type { TraceRequest } from './registration-form.ts';

/** One line of the comparison shown to the clerk: what they typed beside what PDS holds. */
export interface FieldComparison {
  readonly label: string;
  readonly typed: string;
  /** PDS's value; undefined where PDS withholds it (a restricted patient's address). */
  readonly pds: string | undefined;
  readonly agrees: boolean;
  /** A difference that is no reason to stop (a patient who has moved house has a new postcode). */
  readonly mayDiffer: boolean;
}

/** The outcome of a trace, ready for the clerk. */
export type TraceResult =
  | {
      readonly kind: 'match';
      readonly patient: PdsPatientView;
      readonly comparison: readonly FieldComparison[];
      /** True when every field that must agree does: only then may the clerk confirm. */
      readonly confirmable: boolean;
      /** Why this patient cannot be registered here now (already here, a request open, deceased). */
      readonly blocked?: string;
    }
  | { readonly kind: 'no-match' | 'multiple-matches' | 'unavailable' | 'invalid'; readonly message: string };

/**
 * Traces the patient on PDS as the practice (by NHS number where typed, else by the five demographics) and
 * compares the match with what was typed. Several candidates or none is guidance to refine, never a guess.
 *
 * @example
 * const r = await tracePatient(engine, 'A12345', form.value);
 * if (r.kind === 'match' && r.confirmable && !r.blocked) showConfirmation(r);
 */
export async function tracePatient(
  engine: TransferEngine,
  practiceOds: string,
  q: TraceRequest,
): Promise<TraceResult> {
  const practice = engine.context.practice(practiceOds);
  if (!practice) return { kind: 'unavailable', message: `practice ${practiceOds} is not hosted here` };
  const outcome = q.nhsNumber ? await practice.pds.getPatient(q.nhsNumber) : await practice.pds.trace(q);
  switch (outcome.kind) {
    case 'no-match':
      return {
        kind: 'no-match',
        message: q.nhsNumber
          ? 'PDS has no patient with this NHS number. Check the number with the patient, or search without it.'
          : 'No patient on PDS matches these details. Check the spelling and date of birth with the patient, or try their previous postcode.',
      };
    case 'multiple-matches':
      return {
        kind: 'multiple-matches',
        message:
          'More than one patient on PDS matches these details. Ask the patient for their NHS number, or check their full first name and postcode.',
      };
    case 'unavailable':
      return {
        kind: 'unavailable',
        message: `PDS cannot be reached just now (${outcome.message}). Try again shortly.`,
      };
    case 'invalid':
      return { kind: 'invalid', message: `PDS refused the search: ${outcome.message}` };
    case 'match':
      break;
  }
  const patient = outcome.patient;
  const comparison = compare(q, patient);
  const confirmable = comparison.every((c) => c.agrees || c.mayDiffer);
  const blocked = await blockedReason(engine, practiceOds, patient);
  return { kind: 'match', patient, comparison, confirmable, ...(blocked ? { blocked } : {}) };
}

function compare(q: TraceRequest, p: PdsPatientView): FieldComparison[] {
  const fold = (s: string) => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLocaleUpperCase('en-GB');
  const postcode = p.address?.postalCode;
  return [
    {
      label: 'NHS number',
      typed: q.nhsNumber ?? '(not given)',
      pds: p.nhsNumber,
      agrees: !q.nhsNumber || q.nhsNumber === p.nhsNumber,
      mayDiffer: false,
    },
    {
      label: 'Last name',
      typed: q.family,
      pds: p.family,
      agrees: fold(q.family) === fold(p.family),
      mayDiffer: false,
    },
    {
      label: 'First name',
      typed: q.given,
      pds: p.given.join(' '),
      agrees: p.given.some((g) => fold(g) === fold(q.given)),
      mayDiffer: false,
    },
    {
      label: 'Date of birth',
      typed: q.birthDate,
      pds: p.birthDate,
      agrees: q.birthDate === p.birthDate,
      mayDiffer: false,
    },
    { label: 'Sex', typed: q.gender, pds: p.gender, agrees: q.gender === p.gender, mayDiffer: false },
    {
      label: 'Postcode',
      typed: q.postalCode,
      pds: postcode,
      agrees:
        postcode !== undefined && fold(postcode).replace(/ /g, '') === fold(q.postalCode).replace(/ /g, ''),
      // A new registration often follows a move; a restricted patient's address is withheld.
      mayDiffer: true,
    },
  ];
}

async function blockedReason(
  engine: TransferEngine,
  practiceOds: string,
  patient: PdsPatientView,
): Promise<string | undefined> {
  if (patient.deceasedDateTime) return 'PDS records this patient as deceased: they cannot be registered.';
  const [open] = await listTransfers(engine.context.db, {
    practiceOds,
    role: 'requesting',
    nhsNumber: patient.nhsNumber,
    open: true,
    limit: 1,
  });
  if (open)
    return 'This patient’s record has already been requested: the request is still open. It was not sent again.';
  if (patient.generalPractitionerOds === practiceOds)
    return 'PDS already shows this patient registered at this practice: a second registration would duplicate it.';
  return undefined;
}

/** What the clerk confirmed: the NHS number traced, and the previous practice where PDS withholds it. */
export interface RegistrationConfirmation {
  readonly practiceOds: string;
  readonly nhsNumber: string;
  readonly actor: string;
  readonly previousPracticeOds?: string;
}

/**
 * Registers the confirmed patient and requests their record (the engine's one-time command): a duplicate is
 * refused by the engine with the open request named.
 */
export async function registerPatient(
  engine: TransferEngine,
  c: RegistrationConfirmation,
): Promise<RequestRecordOutcome> {
  return engine.commands.requestRecord({
    practiceOds: c.practiceOds,
    nhsNumber: c.nhsNumber,
    actor: c.actor,
    ...(c.previousPracticeOds ? { previousPracticeOds: c.previousPracticeOds } : {}),
  });
}
