import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffMember } from '../../practice/accounts.ts';
import { field } from '../../practice/form-errors.ts';
import type { Permission } from '../../practice/roles.ts';
import { decideWorklistItem, type WorklistDecision } from '../../practice/worklist-decisions.ts';
import { catchUpWorklists, listWorklist, type WorklistKind } from '../../practice/worklists.ts';
import { allowed, audit, page, type WebContext } from '../web-context.ts';

const LISTS: Readonly<
  Record<WorklistKind, { path: string; permission: Permission; title: string; template: string }>
> = {
  degrade: {
    path: '/degrades',
    permission: 'work-degrades',
    title: 'Degraded entries',
    template: 'degrades.njk',
  },
  medication: {
    path: '/medication',
    permission: 'authorise-medication',
    title: 'Medication to review',
    template: 'medication.njk',
  },
};

/** The follow-up worklists after integration: degrades (summarisers, clinicians) and medication (clinicians). */
export function registerWorklistRoutes(app: FastifyInstance, ctx: WebContext): void {
  for (const kind of ['degrade', 'medication'] as const) {
    const list = LISTS[kind];
    app.get<{ Querystring: { decided?: string; page?: string } }>(list.path, async (req, reply) => {
      const m = await allowed(ctx, req, reply, list.permission);
      if (!m) return;
      await catchUpWorklists(
        ctx.db,
        ctx.engine.context.practiceRecords,
        m.practiceOds,
        new Date(ctx.clock.now()),
      );
      return render(ctx, req, reply, m, kind, {});
    });

    app.post<{ Params: { itemId: string } }>(`${list.path}/:itemId`, async (req, reply) => {
      const m = await allowed(ctx, req, reply, list.permission);
      if (!m) return;
      const body = (req.body ?? {}) as Record<string, unknown>;
      const decision = decisionOf(body);
      if (!decision)
        return render(
          ctx,
          req,
          reply,
          m,
          kind,
          { [req.params.itemId]: { field: 'decision', message: 'Choose what to do' } },
          400,
        );
      const r = await decideWorklistItem(ctx.db, ctx.engine.context.practiceRecords, {
        practiceOds: m.practiceOds,
        itemId: req.params.itemId,
        kind,
        decision,
        by: m,
        at: new Date(ctx.clock.now()),
      });
      if (r.kind === 'refused')
        return render(
          ctx,
          req,
          reply,
          m,
          kind,
          { [req.params.itemId]: { field: r.field ?? 'decision', message: r.message } },
          400,
          body,
        );
      await audit(ctx, m, {
        action: kind === 'degrade' ? 'degrade-decision' : 'medication-decision',
        nhsNumber: r.item.nhsNumber,
        transferId: r.item.transferId,
        detail: `${decision.kind} ${r.item.resourceType}/${r.item.resourceId} (${Object.values(r.item.summary)[0]})${
          decision.kind === 'recode'
            ? ` as SNOMED ${decision.code} ${decision.display}`
            : decision.kind === 'end'
              ? `: ${decision.reason}`
              : ''
        }`,
      });
      return reply.redirect(`${list.path}?done=${encodeURIComponent(decision.kind)}`, 303);
    });
  }
}

async function render(
  ctx: WebContext,
  req: FastifyRequest,
  reply: FastifyReply,
  m: StaffMember,
  kind: WorklistKind,
  itemErrors: Record<string, { field: string; message: string }>,
  status = 200,
  form: Record<string, unknown> = {},
) {
  const query = req.query as { decided?: string; page?: string; done?: string };
  const decided = query.decided === '1';
  const pageNumber = Math.max(1, Number(query.page) || 1);
  const worklist = await listWorklist(ctx.db, {
    practiceOds: m.practiceOds,
    kind,
    decided,
    limit: 50,
    offset: (pageNumber - 1) * 50,
  });
  const errors = Object.entries(itemErrors).map(([id, e]) => ({
    field: `${e.field}-${id}`,
    message: e.message,
  }));
  return page(
    ctx,
    req,
    reply,
    LISTS[kind].template,
    { title: LISTS[kind].title, worklist, decided, pageNumber, errors, itemErrors, form, done: query.done },
    status,
  );
}

function decisionOf(body: Record<string, unknown>): WorklistDecision | undefined {
  switch (field(body, 'decision')) {
    case 'recode':
      return { kind: 'recode', code: field(body, 'code'), display: field(body, 'display') };
    case 'keep':
      return { kind: 'keep' };
    case 'remove':
      return { kind: 'remove' };
    case 'authorise':
      return { kind: 'authorise' };
    case 'end':
      return { kind: 'end', reason: field(body, 'reason') };
    default:
      return undefined;
  }
}
