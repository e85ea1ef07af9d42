import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffMember } from '../../practice/accounts.ts';
import { field } from '../../practice/form-errors.ts';
import { incomingWorklist, isIncomingView } from '../../practice/incoming.ts';
import { isUuid, type TransferRecord, transferRecord } from '../../practice/record-view.ts';
import { can } from '../../practice/roles.ts';
import { topicForReason } from '../../practice/support-directory.ts';
import { indexIntegratedRecord } from '../../practice/worklists.ts';
import {
  getTransfer,
  listTransferDocuments,
  type RejectionReason,
  transferHistory,
} from '../../transfer/index.ts';
import { allowed, audit, notFound, page, refusedPage, type WebContext } from '../web-context.ts';

const REASONS: Readonly<Record<RejectionReason, string>> = {
  'wrong-patient': 'Wrong patient: this record is not the patient registered',
  suppressed: 'Returning patient: keep our own record and suppress this one',
  'failed-to-integrate': 'Failed to integrate: the record could not be taken into our system',
};

// Types a browser may show inline; anything else downloads.
const INLINE = /^(application\/pdf|image\/(png|jpeg|gif|tiff)|text\/plain)$/;

/** The incoming worklist, the record view, and the integrate/reject decisions. */
export function registerIncomingRoutes(app: FastifyInstance, ctx: WebContext): void {
  app.get<{ Querystring: { view?: string; page?: string } }>('/incoming', async (req, reply) => {
    const m = await allowed(ctx, req, reply, 'view-worklists');
    if (!m) return;
    const view = isIncomingView(req.query.view ?? '') ? (req.query.view as 'to-integrate') : 'to-integrate';
    const now = ctx.clock.now();
    const worklist = await incomingWorklist(ctx.db, await ctx.holidays.calendar(now), {
      practiceOds: m.practiceOds,
      view,
      now,
      page: Number(req.query.page) || 1,
    });
    const partial = req.headers['hx-request'] === 'true';
    return page(ctx, req, reply, partial ? 'incoming-table.njk' : 'incoming.njk', {
      title: 'Incoming records',
      worklist,
      pageNumber: Number(req.query.page) || 1,
    });
  });

  app.get<{ Params: { id: string } }>('/incoming/:id', async (req, reply) => {
    const m = await allowed(ctx, req, reply, 'view-worklists');
    if (!m) return;
    const record = await transferRecord(ctx.engine, m.practiceOds, req.params.id);
    if (!record) return notFound(ctx, req, reply);
    const t = record.transfer;
    await audit(ctx, m, {
      action: 'view-record',
      nhsNumber: t.nhsNumber,
      transferId: t.id,
      detail: can(m.role, 'view-record') ? `record view (${t.state})` : `transfer status view (${t.state})`,
    });
    return recordPage(ctx, req, reply, m, record, { done: (req.query as { done?: string }).done });
  });

  app.get<{ Params: { id: string; documentId: string } }>(
    '/incoming/:id/documents/:documentId',
    async (req, reply) => {
      const m = await allowed(ctx, req, reply, 'view-record');
      if (!m) return;
      if (!isUuid(req.params.id)) return notFound(ctx, req, reply);
      const docs = await listTransferDocuments(ctx.db, {
        practiceOds: m.practiceOds,
        transferId: req.params.id,
      });
      const doc = docs.find((d) => d.documentId === req.params.documentId);
      if (!doc?.documentId) return notFound(ctx, req, reply);
      const read = await ctx.documents.read(doc.documentId);
      if (!read.ok) return notFound(ctx, req, reply);
      const transfer = await getTransfer(ctx.db, { practiceOds: m.practiceOds, transferId: req.params.id });
      await audit(ctx, m, {
        action: 'view-document',
        transferId: req.params.id,
        ...(transfer ? { nhsNumber: transfer.nhsNumber } : {}),
        detail: `document ${doc.filename}`,
      });
      const inline = INLINE.test(doc.contentType);
      return reply
        .header(
          'content-security-policy',
          "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
        )
        .header('cache-control', 'private, no-store')
        .header(
          'content-disposition',
          `${inline ? 'inline' : 'attachment'}; filename="${doc.filename.replace(/[^\w.-]/g, '_')}"`,
        )
        .header('content-length', read.bytes)
        .type(inline ? doc.contentType : 'application/octet-stream')
        .send(read.stream);
    },
  );

  app.post<{ Params: { id: string } }>('/incoming/:id/integrate', async (req, reply) => {
    const m = await allowed(ctx, req, reply, 'decide-record');
    if (!m) return;
    if (!isUuid(req.params.id)) return notFound(ctx, req, reply);
    const r = await ctx.engine.commands.integrate({
      practiceOds: m.practiceOds,
      transferId: req.params.id,
      actor: m.id,
    });
    if (r.kind === 'refused') return refusedPage(ctx, req, reply, r, 'The record was not integrated');
    await audit(ctx, m, {
      action: 'integrate',
      nhsNumber: r.transfer.nhsNumber,
      transferId: r.transfer.id,
      detail: 'record integrated',
    });
    await indexIntegratedRecord(
      ctx.db,
      ctx.engine.context.practiceRecords,
      r.transfer,
      new Date(ctx.clock.now()),
    );
    return reply.redirect(`/incoming/${r.transfer.id}?done=integrated`, 303);
  });

  app.post<{ Params: { id: string } }>('/incoming/:id/reject', async (req, reply) => {
    const m = await allowed(ctx, req, reply, 'decide-record');
    if (!m) return;
    if (!isUuid(req.params.id)) return notFound(ctx, req, reply);
    const reason = field((req.body ?? {}) as Record<string, unknown>, 'reason') as RejectionReason;
    if (!(reason in REASONS)) {
      const record = await transferRecord(ctx.engine, m.practiceOds, req.params.id);
      if (!record) return notFound(ctx, req, reply);
      return recordPage(
        ctx,
        req,
        reply,
        m,
        record,
        { errors: [{ field: 'reason', message: 'Select why the record is rejected' }] },
        400,
      );
    }
    const r = await ctx.engine.commands.reject(
      { practiceOds: m.practiceOds, transferId: req.params.id, actor: m.id },
      reason,
    );
    if (r.kind === 'refused') return refusedPage(ctx, req, reply, r, 'The record was not rejected');
    await audit(ctx, m, {
      action: 'reject',
      nhsNumber: r.transfer.nhsNumber,
      transferId: r.transfer.id,
      detail: `rejected: ${REASONS[reason]} (reason ${r.transfer.reasonCode ?? '-'})`,
    });
    return reply.redirect(`/incoming/${r.transfer.id}?done=rejected`, 303);
  });
}

/** The record view: the transfer, its clocks and history, the decision forms and whom to call. */
async function recordPage(
  ctx: WebContext,
  req: FastifyRequest,
  reply: FastifyReply,
  m: StaffMember,
  record: TransferRecord,
  extra: Record<string, unknown>,
  status = 200,
) {
  const t = record.transfer;
  const now = ctx.clock.now();
  return page(
    ctx,
    req,
    reply,
    'record.njk',
    {
      title: 'Incoming record',
      record,
      clinical: can(m.role, 'view-record'),
      history: await transferHistory(ctx.db, { practiceOds: m.practiceOds, transferId: t.id }),
      canDecide: can(m.role, 'decide-record') && t.state === 'ready-to-integrate',
      clock:
        t.state === 'ready-to-integrate' && t.receivedAt
          ? (await ctx.holidays.calendar(now)).integrationClock(t.receivedAt, now)
          : undefined,
      reasons: REASONS,
      contacts:
        t.state === 'failed'
          ? ctx.support.forTopic(topicForReason(t.reasonCode), supplierOf(ctx, m.practiceOds))
          : [],
      concern: ctx.support.forTopic('clinical-concern'),
      ...extra,
    },
    status,
  );
}

function supplierOf(ctx: WebContext, ods: string): string | undefined {
  return ctx.engine.context.practice(ods)?.supplier;
}
