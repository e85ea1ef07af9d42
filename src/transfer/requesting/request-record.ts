import { and, eq } from 'drizzle-orm';
import { isValidNhsNumber } from '../../common/nhs-number.ts';
import { gp2gpReadiness, type PracticeDirectoryEntry } from '../../spine/index.ts';
import { schema } from '../../store/index.ts';
import type { EngineContext, HostedPractice } from '../engine-context.ts';
import { queueEhrRequest } from '../outbound/queue-hl7.ts';
import { summarise, type TransferSummary } from '../transfer-row.ts';

/** What a practice asks for when it accepts a registration. */
export interface RecordRequest {
  /** The new practice (hosted by this engine). */
  readonly practiceOds: string;
  readonly nhsNumber: string;
  /** Who accepted the registration (staff id), for the history. */
  readonly actor?: string;
  /**
   * The previous practice, used only where PDS cannot say (a restricted patient, whose GP PDS hides); PDS's
   * answer wins wherever it has one.
   */
  readonly previousPracticeOds?: string;
}

/** Why a request was not made: each has a message fit to show the registration clerk. */
export type RequestRefusal =
  | 'not-hosted'
  | 'invalid-nhs-number'
  | 'not-found'
  | 'deceased'
  | 'no-previous-practice'
  | 'already-open'
  | 'pds-unavailable'
  | 'pds-refused';

/** The outcome of {@link requestRecord}. */
export type RequestRecordOutcome =
  | { readonly kind: 'requested'; readonly transfer: TransferSummary }
  | {
      /** Registered, but the previous practice cannot take part in GP2GP: the paper record must be asked for. */
      readonly kind: 'not-possible';
      readonly transfer: TransferSummary;
      readonly message: string;
    }
  | {
      readonly kind: 'refused';
      readonly reason: RequestRefusal;
      readonly message: string;
      readonly openTransferId?: string;
    };

/**
 * Registration accepted → the patient is registered with the practice on PDS and the EHR request is queued,
 * exactly once: a second request for a patient with one open is refused, naming the open one.
 *
 * @example
 * const r = await requestRecord(ctx, { practiceOds: 'A12345', nhsNumber: '9990000018', actor: 'clerk-1' });
 * if (r.kind === 'refused') show(r.message);
 */
export async function requestRecord(ctx: EngineContext, req: RecordRequest): Promise<RequestRecordOutcome> {
  const practice = ctx.practice(req.practiceOds);
  if (!practice) return refused('not-hosted', `practice ${req.practiceOds} is not hosted by this engine`);
  if (!isValidNhsNumber(req.nhsNumber))
    return refused('invalid-nhs-number', `${req.nhsNumber} is not a valid NHS number`);
  const open = await openRequest(ctx, req.practiceOds, req.nhsNumber);
  if (open) return alreadyOpen(open);

  const previous = await previousPractice(practice, req);
  if (previous.kind === 'refused') return previous;
  const directory = await ctx.directory.byOds(previous.ods);
  const entry = directory.kind === 'found' ? directory.entry : undefined;
  const readiness = entry ? gp2gpReadiness(entry) : undefined;
  const id = crypto.randomUUID();
  const conversationId = ctx.newId();
  try {
    return await ctx.transaction(async (t) => {
      const base = {
        id,
        practiceOds: practice.ods,
        role: 'requesting' as const,
        conversationId,
        nhsNumber: req.nhsNumber,
        peerOds: previous.ods,
        ...(req.actor ? { actor: req.actor } : {}),
      };
      // No endpoint yet is no reason not to ask: the request waits in Spine's retries until the practice is up.
      if (!entry || (readiness && !readiness.ready && readiness.reason !== 'no-endpoint')) {
        const why = !entry
          ? directory.kind === 'unavailable'
            ? `SDS could not be asked about ${previous.ods} (${directory.message})`
            : `${previous.ods} is not in the Spine directory`
          : `${previous.ods} cannot take part in GP2GP (${readiness && !readiness.ready ? readiness.reason : 'unknown'})`;
        const row = await t.create({
          ...base,
          state: 'failed',
          details: { registeredBy: req.actor },
          text: `registered; no electronic request possible: ${why}`,
        });
        return {
          kind: 'not-possible' as const,
          transfer: summarise(row),
          message: `${why}: ask the previous practice for the paper record`,
        };
      }
      const row = await t.create({
        ...base,
        peerAsid: entry.asid,
        peerPartyKey: entry.partyKey,
        state: 'requesting',
        requestId: ctx.newId(),
        requestMessageId: ctx.newId(),
        details: directoryDetails(entry, req.actor),
        text: `registration accepted; requesting the record from ${entry.name} (${entry.ods})`,
      });
      await queueEhrRequest(ctx, t, row, practice);
      return { kind: 'requested' as const, transfer: summarise(row) };
    });
  } catch (e) {
    // The one-open-request index: another request for this patient won the race.
    const racing = await openRequest(ctx, req.practiceOds, req.nhsNumber);
    if (racing) return alreadyOpen(racing);
    throw e;
  }
}

/** The SDS facts a transfer keeps about its peer. */
export function directoryDetails(entry: PracticeDirectoryEntry, registeredBy?: string) {
  return {
    peerReliability: entry.interactions,
    peerSupplier: entry.supplier,
    ...(registeredBy ? { registeredBy } : {}),
  };
}

type Previous = { kind: 'found'; ods: string } | (RequestRecordOutcome & { kind: 'refused' });

/** Finds the previous practice on PDS and registers the patient with this one (PDS's one-time step). */
async function previousPractice(practice: HostedPractice, req: RecordRequest): Promise<Previous> {
  const traced = await practice.pds.getPatient(req.nhsNumber);
  if (traced.kind === 'unavailable') return refused('pds-unavailable', `PDS: ${traced.message}`);
  if (traced.kind !== 'match') return refused('not-found', `PDS has no patient ${req.nhsNumber}`);
  const patient = traced.patient;
  if (patient.deceasedDateTime) return refused('deceased', `PDS records ${req.nhsNumber} as deceased`);
  let previous = patient.generalPractitionerOds;
  if (previous === practice.ods) {
    // Registered here already (a retry after a crash, or PDS updated first): the GP before us is the sender.
    const history = await practice.pds.gpHistory(req.nhsNumber);
    if (history.kind === 'unavailable') return refused('pds-unavailable', `PDS: ${history.message}`);
    const before =
      history.kind === 'history' ? history.registrations.filter((r) => r.ods !== practice.ods) : [];
    previous = before.at(-1)?.ods;
  } else {
    const registered = await practice.pds.register(req.nhsNumber, practice.ods, patient.versionId);
    if (registered.kind === 'unavailable') return refused('pds-unavailable', `PDS: ${registered.message}`);
    if (registered.kind === 'deceased')
      return refused('deceased', `PDS records ${req.nhsNumber} as deceased`);
    if (registered.kind !== 'registered')
      return refused('pds-refused', `PDS did not register the patient: ${describe(registered)}`);
  }
  previous ??= patient.restricted ? req.previousPracticeOds : undefined;
  if (!previous)
    return refused(
      'no-previous-practice',
      patient.restricted
        ? 'PDS hides this restricted patient’s previous practice: give it to request the record'
        : 'PDS names no previous practice to request the record from',
    );
  return { kind: 'found', ods: previous };
}

async function openRequest(ctx: EngineContext, practiceOds: string, nhsNumber: string) {
  const { transfers } = schema;
  const [row] = await ctx.db
    .select()
    .from(transfers)
    .where(
      and(
        eq(transfers.practiceOds, practiceOds),
        eq(transfers.nhsNumber, nhsNumber),
        eq(transfers.role, 'requesting'),
        eq(transfers.open, true),
      ),
    );
  return row;
}

function alreadyOpen(row: { id: string; state: string; createdAt: Date }): RequestRecordOutcome {
  return {
    kind: 'refused',
    reason: 'already-open',
    message: `a record request for this patient is already open (${row.state}, since ${row.createdAt.toISOString()}); it was not sent again`,
    openTransferId: row.id,
  };
}

function refused(reason: RequestRefusal, message: string): RequestRecordOutcome & { kind: 'refused' } {
  return { kind: 'refused', reason, message };
}

function describe(o: { kind: string; message?: string }): string {
  return o.message ? `${o.kind}: ${o.message}` : o.kind;
}
