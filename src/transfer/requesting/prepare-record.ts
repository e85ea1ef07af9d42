import { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import type { Bundle, DocumentReference } from 'fhir/r3.js';
import { InputError } from '../../common/input-error.ts';
import type { ReasonCode } from '../../hl7/index.ts';
import type { FidelityReport } from '../../record/fidelity.ts';
import { translateExtractStream } from '../../record/from-hl7/translate-extract.ts';
import { schema } from '../../store/index.ts';
import type { EngineContext } from '../engine-context.ts';
import {
  assembleDocument,
  assembleExtract,
  assessAssembly,
  type ExtractAssembly,
} from '../large-message/index.ts';
import { storedDocumentUrl } from '../records/practice-record-store.ts';
import type { TransferRow } from '../transfer-row.ts';
import type { TransferTx } from '../transfer-tx.ts';
import { rejectExtract } from './negative-ack.ts';
import { coreSummary, earlierParts } from './receive-part.ts';

/** Step: assemble the documents, translate the record, and put it before the practice. */
export const PREPARE_RECORD = 'prepare-record';

/** Why preparing a record stopped, with the reason code the old practice is sent. */
class PreparationFailure extends Error {
  readonly code: ReasonCode;
  constructor(code: ReasonCode, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * Prepares a complete record for the practice: every document is reassembled and decoded into the document
 * store (streamed: a large one is never held whole), the extract is translated to a GP Connect Bundle whose
 * documents point at the store, and the transfer becomes ready to integrate. A broken part fails it with
 * 29/30/31, an unreadable extract with 21; a failure that may pass is retried by the step's timer.
 */
export async function prepareRecord(ctx: EngineContext, transferId: string): Promise<void> {
  const [row] = await ctx.db.select().from(schema.transfers).where(eq(schema.transfers.id, transferId));
  if (row?.state !== 'preparing') return;
  let prepared: Prepared;
  try {
    prepared = await assembleAndTranslate(ctx, row);
  } catch (e) {
    const failure =
      e instanceof PreparationFailure
        ? e
        : e instanceof InputError
          ? new PreparationFailure('21', `the extract could not be translated: ${e.message}`)
          : undefined;
    if (!failure) throw e;
    await ctx.transaction(async (t) => {
      const locked = await t.lock(transferId);
      if (locked?.state === 'preparing')
        await rejectExtract(ctx, t, locked, { code: failure.code, text: failure.message });
    });
    return;
  }
  await ctx.transaction(async (t) => {
    const locked = await t.lock(transferId);
    if (locked?.state !== 'preparing') return;
    const received = prepared.documents.map((d) => ({
      transferId,
      reference: d.reference,
      filename: d.filename,
      contentType: d.contentType,
      documentId: d.documentId,
      bytes: d.bytes,
      absentReason: d.absentReason ?? null,
    }));
    if (received.length > 0)
      await t.db.insert(schema.transferDocuments).values(received).onConflictDoNothing();
    await t.transition(locked, 'ready-to-integrate', {
      text: `record ready to integrate: ${prepared.entries} entries, ${prepared.documents.length} document(s), ${prepared.warnings.length} degraded or skipped`,
      set: { receivedAt: t.now },
      details: {
        bundleDocumentId: prepared.bundleDocumentId,
        warnings: prepared.warnings.slice(0, 500),
        fidelity: prepared.fidelity,
      },
    });
  });
}

/** Step gave up after its retries: the extract is refused with 99 so the old practice stops waiting. */
export async function prepareGaveUp(
  ctx: EngineContext,
  t: TransferTx,
  row: TransferRow,
  error: string,
): Promise<void> {
  if (row.state !== 'preparing') return;
  await rejectExtract(ctx, t, row, { code: '99', text: `the record could not be prepared: ${error}` });
}

/** A document as the requesting practice received it. */
interface ReceivedDocument {
  /** The manifest's `eb:id` (the extract's document id), or the file name where there is none. */
  readonly reference: string;
  readonly filename: string;
  readonly contentType: string;
  readonly documentId: string;
  readonly bytes: number;
  /** Set for an AbsentAttachment placeholder: the sender could not supply the document. */
  readonly absentReason?: string;
}

interface Prepared {
  readonly bundleDocumentId: string;
  readonly documents: readonly ReceivedDocument[];
  readonly warnings: readonly string[];
  readonly fidelity: FidelityReport;
  readonly entries: number;
}

async function assembleAndTranslate(ctx: EngineContext, row: TransferRow): Promise<Prepared> {
  const core = await ctx.transaction(async (t) => ({
    summary: await coreSummary(t, row),
    parts: await earlierParts(t, row),
    payload: await extractPayload(t, row),
  }));
  const status = assessAssembly(core.summary, core.parts);
  if (status.kind !== 'complete') {
    const detail = status.kind === 'failed' ? status.detail : 'large-message parts are missing';
    throw new PreparationFailure(status.kind === 'failed' ? status.reasonCode : '31', detail);
  }
  const documents: ReceivedDocument[] = [];
  const warnings = status.warnings;
  for (const plan of status.documents) {
    const out = await assembleDocument(plan, ctx.documents);
    if (!out.ok) throw new PreparationFailure(out.reasonCode, out.detail);
    documents.push({
      reference: out.ebId ?? out.filename,
      filename: out.filename,
      contentType: out.contentType,
      documentId: out.stored.id,
      bytes: out.stored.bytes,
      ...(out.absent ? { absentReason: 'the sending practice could not supply it' } : {}),
    });
  }
  const translated = await translateExtractStream(await extractStream(ctx, status.extract, core.payload));
  const bundle = pointDocumentsAtStore(translated.bundle, documents);
  const bundleDocumentId = await ctx.practiceRecords.storeBundle(bundle);
  return {
    bundleDocumentId,
    documents,
    warnings: [...warnings, ...translated.warnings],
    fidelity: translated.fidelity,
    entries: bundle.entry?.length ?? 0,
  };
}

/** The real extract's bytes: the core message's payload, or what its skeleton stands in for, reassembled. */
async function extractStream(
  ctx: EngineContext,
  extract: ExtractAssembly,
  payload: { kind: 'text'; text: string } | { kind: 'document'; id: string },
): Promise<Readable> {
  if (extract.kind === 'payload') {
    if (payload.kind === 'text') return Readable.from([Buffer.from(payload.text, 'utf8')]);
    return readStored(ctx, payload.id);
  }
  const corePayload = payload.kind === 'text' ? payload.text : { storedId: payload.id };
  const assembled = await assembleExtract(extract, ctx.documents, { corePayload });
  if (!assembled.ok) throw new PreparationFailure(assembled.reasonCode, assembled.detail);
  return readStored(ctx, assembled.stored.id);
}

async function readStored(ctx: EngineContext, id: string): Promise<Readable> {
  const read = await ctx.documents.read(id);
  if (!read.ok) throw new PreparationFailure('30', `stored part ${id} is missing (${read.reason})`);
  return read.stream;
}

/** The extract's HL7 text: in its row, or (a large one) in the document store. */
async function extractPayload(
  t: TransferTx,
  row: TransferRow,
): Promise<{ kind: 'text'; text: string } | { kind: 'document'; id: string }> {
  const [core] = await t.db
    .select({ payload: schema.inboundMessages.payload, doc: schema.inboundMessages.payloadDocumentId })
    .from(schema.inboundMessages)
    .where(eq(schema.inboundMessages.messageId, row.extractMessageId ?? ''));
  if (!core) throw new Error(`transfer ${row.id}: its extract message is not stored`);
  if (core.payload !== null) return { kind: 'text', text: core.payload };
  if (core.doc) return { kind: 'document', id: core.doc };
  throw new Error(`transfer ${row.id}: its extract message has no payload`);
}

/** DocumentReferences name their file (`file://localhost/<name>`): point each at its stored document. */
function pointDocumentsAtStore(bundle: Bundle, documents: readonly ReceivedDocument[]): Bundle {
  const byName = new Map(documents.map((d) => [d.filename.toLowerCase(), d]));
  for (const entry of bundle.entry ?? []) {
    const resource = entry.resource;
    if (resource?.resourceType !== 'DocumentReference') continue;
    for (const content of (resource as DocumentReference).content ?? []) {
      const a = content.attachment;
      const name = (a?.title ?? a?.url?.split('/').at(-1))?.toLowerCase();
      const doc = name ? byName.get(name) : undefined;
      if (!a || !doc) continue;
      a.url = storedDocumentUrl(doc.documentId);
      a.size = doc.bytes;
    }
  }
  return bundle;
}
