import type { FastifyInstance } from 'fastify';
import { countOverdue } from '../../practice/incoming.ts';
import { can } from '../../practice/roles.ts';
import { listWorklist } from '../../practice/worklists.ts';
import { countTransfers, listPrintTasks } from '../../transfer/index.ts';
import { allowed, page, type WebContext } from '../web-context.ts';

/** The home page: the practice's work at a glance, by what the member's role can act on. */
export function registerHomeRoutes(app: FastifyInstance, ctx: WebContext): void {
  app.get('/', async (req, reply) => {
    const m = await allowed(ctx, req, reply);
    if (!m) return;
    const ods = m.practiceOds;
    const now = ctx.clock.now();
    const calendar = await ctx.holidays.calendar(now);
    const [incoming, outgoing, overdue, tasks, degrades, medication] = await Promise.all([
      countTransfers(ctx.db, { practiceOds: ods, role: 'requesting' }),
      countTransfers(ctx.db, { practiceOds: ods, role: 'sending', open: true }),
      countOverdue(ctx.db, calendar, ods, now),
      listPrintTasks(ctx.db, { practiceOds: ods }),
      can(m.role, 'work-degrades')
        ? listWorklist(ctx.db, { practiceOds: ods, kind: 'degrade', limit: 0 })
        : undefined,
      can(m.role, 'authorise-medication')
        ? listWorklist(ctx.db, { practiceOds: ods, kind: 'medication', limit: 0 })
        : undefined,
    ]);
    const inProgress = ['requesting', 'awaiting-extract', 'awaiting-attachments', 'preparing'] as const;
    return page(ctx, req, reply, 'home.njk', {
      title: 'Home',
      ready: incoming['ready-to-integrate'] ?? 0,
      overdue,
      inProgress: inProgress.reduce((n, s) => n + (incoming[s] ?? 0), 0),
      outgoingOpen: Object.values(outgoing).reduce((a, b) => a + (b ?? 0), 0),
      printTasks: tasks.length,
      degrades: degrades?.open,
      medication: medication?.open,
      canRegister: can(m.role, 'register'),
      training: ctx.support.forTopic('training'),
    });
  });
}
