import type { FastifyInstance } from 'fastify';
import { outgoingWorklist } from '../../practice/outgoing.ts';
import { isUuid } from '../../practice/record-view.ts';
import { can } from '../../practice/roles.ts';
import { topicForReason } from '../../practice/support-directory.ts';
import { getTransfer } from '../../transfer/index.ts';
import { allowed, audit, notFound, page, refusedPage, type WebContext } from '../web-context.ts';

/** The sending side: requests received and answered, what was not actioned, print tasks and the envelope. */
export function registerOutgoingRoutes(app: FastifyInstance, ctx: WebContext): void {
  app.get<{ Querystring: { page?: string; done?: string } }>('/outgoing', async (req, reply) => {
    const m = await allowed(ctx, req, reply, 'view-worklists');
    if (!m) return;
    const pageNumber = Math.max(1, Number(req.query.page) || 1);
    const worklist = await outgoingWorklist(ctx.db, { practiceOds: m.practiceOds, page: pageNumber });
    const supplier = ctx.engine.context.practice(m.practiceOds)?.supplier;
    const contactsFor = (code: string | null) => ctx.support.forTopic(topicForReason(code), supplier);
    return page(
      ctx,
      req,
      reply,
      req.headers['hx-request'] === 'true' ? 'outgoing-body.njk' : 'outgoing.njk',
      {
        title: 'Outgoing records',
        worklist,
        pageNumber,
        contacts: Object.fromEntries(
          worklist.envelopes.map((e) => [e.transfer.id, contactsFor(e.transfer.reasonCode)]),
        ),
        canAct: can(m.role, 'action-outgoing'),
        done: req.query.done,
      },
    );
  });

  app.post<{ Params: { id: string } }>('/outgoing/:id/envelope-posted', async (req, reply) => {
    const m = await allowed(ctx, req, reply, 'action-outgoing');
    if (!m) return;
    if (!isUuid(req.params.id)) return notFound(ctx, req, reply);
    const r = await ctx.engine.commands.markLloydGeorgePosted({
      practiceOds: m.practiceOds,
      transferId: req.params.id,
      actor: m.id,
    });
    if (r.kind === 'refused') return refusedPage(ctx, req, reply, r, 'Envelope not recorded');
    await audit(ctx, m, {
      action: 'envelope-posted',
      nhsNumber: r.transfer.nhsNumber,
      transferId: r.transfer.id,
      detail: `Lloyd George envelope posted to ${r.transfer.peerOds}`,
    });
    return reply.redirect('/outgoing?done=envelope', 303);
  });

  app.post<{ Params: { taskId: string }; Body: { transferId?: string } }>(
    '/outgoing/print-tasks/:taskId/done',
    async (req, reply) => {
      const m = await allowed(ctx, req, reply, 'action-outgoing');
      if (!m) return;
      if (!isUuid(req.params.taskId)) return notFound(ctx, req, reply);
      const done = await ctx.engine.commands.completePrintTask({
        practiceOds: m.practiceOds,
        taskId: req.params.taskId,
        actor: m.id,
      });
      if (!done) return notFound(ctx, req, reply);
      const transferId =
        typeof req.body?.transferId === 'string' && isUuid(req.body.transferId)
          ? req.body.transferId
          : undefined;
      const transfer = transferId
        ? await getTransfer(ctx.db, { practiceOds: m.practiceOds, transferId })
        : undefined;
      await audit(ctx, m, {
        action: 'print-task-done',
        ...(transfer ? { nhsNumber: transfer.nhsNumber, transferId: transfer.id } : {}),
        detail: `print task ${req.params.taskId} done`,
      });
      return reply.redirect('/outgoing?done=printed', 303);
    },
  );
}
