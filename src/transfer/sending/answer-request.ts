import { eq } from 'drizzle-orm';
import type { Bundle } from 'fhir/r3.js';
import { isReasonCode, type ReasonCode } from '../../hl7/index.ts';
import { translateBundleToExtract } from '../../record/to-hl7/index.ts';
import type { PracticeDirectoryEntry } from '../../spine/index.ts';
import { schema } from '../../store/index.ts';
import type { EngineContext, HostedPractice } from '../engine-context.ts';
import {
  type OutgoingDocument,
  type OutgoingTransferPlan,
  prepareOutgoingTransfer,
} from '../large-message/index.ts';
import { queueAck } from '../outbound/queue-hl7.ts';
import { directoryDetails } from '../requesting/request-record.ts';
import { detailsOf, type TransferRow } from '../transfer-row.ts';
import type { TransferTx } from '../transfer-tx.ts';
import { queuePlanned } from './queue-planned.ts';

/** Step: check a received request and answer it, with the extract or a reason code. */
export const ANSWER_REQUEST = 'answer-request';

/** Something on the way failed that may pass (PDS, SDS or the record source down): the step is retried. */
class Retry extends Error {}

type Answer =
  | {
      readonly kind: 'refuse';
      readonly code: ReasonCode;
      readonly text: string;
      readonly entry?: PracticeDirectoryEntry;
    }
  | {
      readonly kind: 'send';
      readonly entry: PracticeDirectoryEntry;
      readonly plan: OutgoingTransferPlan;
      readonly absent: readonly string[];
      readonly warnings: readonly string[];
    };

/**
 * Answers an EHR request, as GP2GP requires, by itself: the request must be readable (else 18), the requester
 * known to SDS (24), GP2GP switched on here (07), the patient's record held here (06) and the requester now the
 * patient's GP on PDS (19); the extract is then built from the record source (10 if it cannot be), its documents
 * fetched (an unfetchable one goes as an AbsentAttachment placeholder) and planned for large messaging (14 or 23
 * where a side cannot take it). The request's acknowledgement and the extract are queued together.
 */
export async function answerRequest(ctx: EngineContext, transferId: string): Promise<void> {
  const [row] = await ctx.db.select().from(schema.transfers).where(eq(schema.transfers.id, transferId));
  if (row?.state !== 'request-received') return;
  const practice = ctx.practice(row.practiceOds);
  if (!practice) throw new Error(`practice ${row.practiceOds} is not hosted here`);
  const answer = await decide(ctx, practice, row);
  await ctx.transaction(async (t) => {
    const locked = await t.lock(transferId);
    if (locked?.state !== 'request-received') return;
    await t.clearTimer(locked, 'working-day-end');
    const withPeer = answer.entry
      ? await t.update(locked, {
          set: { peerAsid: answer.entry.asid, peerPartyKey: locked.peerPartyKey ?? answer.entry.partyKey },
          details: directoryDetails(answer.entry),
        })
      : locked;
    if (answer.kind === 'refuse') return refuse(ctx, t, withPeer, practice, answer.code, answer.text);
    await queueAck(ctx, t, withPeer, practice, {
      acknowledgedMessageId: withPeer.requestMessageId ?? '',
      typeCode: 'AA',
      purpose: 'request-ack',
    });
    await queuePlanned(t, withPeer, answer.plan.core, 'extract');
    // The parts are built from the plan now and held until the requester's Continue releases them.
    for (const part of answer.plan.copcMessages)
      await queuePlanned(t, withPeer, part, 'copc', { held: true });
    const attached = answer.plan.documents
      .filter((d) => !d.skeletonExtract)
      .map((d) => ({
        transferId,
        reference: d.documentId,
        filename: d.filename,
        contentType: d.contentType,
        documentId: d.absent ? null : d.storedId,
        bytes: d.absent ? null : d.bytes,
        absentReason: d.absent ? 'could not be fetched from the record source' : null,
      }));
    if (attached.length > 0)
      await t.db.insert(schema.transferDocuments).values(attached).onConflictDoNothing();
    await t.transition(withPeer, 'sending-extract', {
      text: `request accepted; sending the extract (${answer.plan.documents.length} document(s), ${answer.plan.copcMessages.length} large-message part(s)${answer.plan.skeleton ? ', as a skeleton' : ''})`,
      set: { extractMessageId: answer.plan.core.messageId },
      details: {
        largeMessage: {
          parts: answer.plan.copcMessages.length,
          skeleton: answer.plan.skeleton,
          documents: answer.plan.documents.length,
        },
        absentAttachments: answer.absent,
        ...(answer.warnings.length ? { warnings: answer.warnings.slice(0, 500) } : {}),
      },
    });
  });
}

/** The step gave up (PDS or the record source stayed down): the request is refused so nobody waits. */
export async function answerGaveUp(
  ctx: EngineContext,
  t: TransferTx,
  row: TransferRow,
  error: string,
): Promise<void> {
  if (row.state !== 'request-received') return;
  const practice = ctx.practice(row.practiceOds);
  if (!practice) return;
  await refuse(ctx, t, row, practice, '99', `the request could not be answered: ${error}`);
}

async function refuse(
  ctx: EngineContext,
  t: TransferTx,
  row: TransferRow,
  practice: HostedPractice,
  code: ReasonCode,
  text: string,
): Promise<void> {
  if (row.peerPartyKey) {
    await queueAck(ctx, t, row, practice, {
      acknowledgedMessageId: row.requestMessageId ?? '',
      typeCode: 'AE',
      reasonCode: code,
      reasonText: text.slice(0, 200),
      purpose: 'request-refusal',
    });
  }
  await t.transition(row, 'refused', {
    text: `request refused: ${text}`,
    reasonCode: code,
    reasonText: text,
  });
}

async function decide(ctx: EngineContext, practice: HostedPractice, row: TransferRow): Promise<Answer> {
  // SDS first: even a request that cannot be read is answered at the requester's ASID.
  const requester = row.peerPartyKey
    ? await ctx.directory.byPartyKey(row.peerPartyKey)
    : { kind: 'not-found' as const };
  if (requester.kind === 'unavailable') throw new Retry(`SDS: ${requester.message}`);
  const refusal = detailsOf(row).refusal;
  if (refusal) {
    const code = isReasonCode(refusal.code) ? refusal.code : '18';
    const known = requester.kind === 'found' ? { entry: requester.entry } : {};
    return { kind: 'refuse', code, text: refusal.text, ...known };
  }
  if (requester.kind === 'not-found')
    return { kind: 'refuse', code: '24', text: `the requester ${row.peerPartyKey ?? ''} is not in SDS` };
  const entry = requester.entry;
  if (entry.ods !== row.peerOds)
    return {
      kind: 'refuse',
      code: '18',
      text: `the request names ${row.peerOds}, but came from ${entry.ods}`,
      entry,
    };
  const [settings] = await ctx.db
    .select()
    .from(schema.practices)
    .where(eq(schema.practices.ods, practice.ods));
  if (settings && !settings.gp2gpEnabled)
    return { kind: 'refuse', code: '07', text: 'GP2GP is switched off at this practice', entry };
  const held = await ctx.records.structuredRecord(practice.ods, row.nhsNumber);
  if (held.kind === 'unavailable') throw new Retry(`record source: ${held.message}`);
  if (held.kind === 'not-held')
    return {
      kind: 'refuse',
      code: '06',
      text: `${row.nhsNumber} is not registered at ${practice.ods}`,
      entry,
    };
  const pds = await practice.pds.getPatient(row.nhsNumber);
  if (pds.kind === 'unavailable') throw new Retry(`PDS: ${pds.message}`);
  if (pds.kind !== 'match')
    return { kind: 'refuse', code: '19', text: `PDS does not confirm ${row.nhsNumber}'s GP`, entry };
  const gp = pds.patient.generalPractitionerOds;
  if (gp !== undefined && gp !== entry.ods)
    return {
      kind: 'refuse',
      code: '19',
      text: `PDS says the patient's GP is ${gp}, not ${entry.ods}`,
      entry,
    };
  // A restricted patient's GP is hidden from us: the requester's own PDS registration stands for it.
  return build(ctx, practice, row, entry, held.bundle, settings?.largeMessageCompliant ?? true);
}

async function build(
  ctx: EngineContext,
  practice: HostedPractice,
  row: TransferRow,
  entry: PracticeDirectoryEntry,
  bundle: Bundle,
  weAreLargeMessageCompliant: boolean,
): Promise<Answer> {
  const extractMessageId = ctx.newId();
  let translated: ReturnType<typeof translateBundleToExtract>;
  try {
    translated = translateBundleToExtract(bundle, {
      messageId: extractMessageId,
      addressing: {
        requestId: row.requestId ?? '',
        nhsNumber: row.nhsNumber,
        sendingPractice: practice.address,
        requestingPractice: { asid: entry.asid, ods: entry.ods },
      },
      clock: () => new Date(ctx.clock.now()),
      newId: () => ctx.newId(),
    });
  } catch (e) {
    return {
      kind: 'refuse',
      code: '10',
      text: `the extract could not be built: ${(e as Error).message}`,
      entry,
    };
  }
  const documents: OutgoingDocument[] = [];
  const absent: string[] = [];
  for (const d of translated.documents) {
    const fetched = d.absent || !d.url ? undefined : await fetchDocument(ctx, practice.ods, d.url);
    if (!fetched) absent.push(d.filename);
    documents.push({
      documentId: d.documentId,
      filename: d.filename,
      contentType: d.contentType,
      bytes: fetched?.bytes ?? 0,
      ...(fetched
        ? { storedId: fetched.id }
        : { absentReason: d.absent ? 'no content in the record' : 'could not be fetched' }),
    });
  }
  const plan = await prepareOutgoingTransfer(
    {
      extractXml: translated.xml,
      extractMessageId,
      documents,
      policy: ctx.largeMessages,
      newId: () => ctx.newId(),
    },
    ctx.documents,
  );
  const large = plan.copcMessages.length > 0 || plan.skeleton;
  if (large && !entry.largeMessageCompliant)
    return {
      kind: 'refuse',
      code: '14',
      text: 'the record needs large messages, which the requester cannot take',
      entry,
    };
  if (large && !weAreLargeMessageCompliant)
    return {
      kind: 'refuse',
      code: '23',
      text: 'the record needs large messages, which this practice cannot send',
      entry,
    };
  return { kind: 'send', entry, plan, absent, warnings: [...translated.warnings, ...plan.warnings] };
}

/** Streams a document from the record source into the document store; undefined where it cannot be had. */
async function fetchDocument(
  ctx: EngineContext,
  practiceOds: string,
  url: string,
): Promise<{ id: string; bytes: number } | undefined> {
  try {
    const source = await ctx.records.document(practiceOds, url);
    if (!source) return undefined;
    const put = await ctx.documents.put(source.stream);
    return put.ok ? put.document : undefined;
  } catch {
    return undefined;
  }
}
