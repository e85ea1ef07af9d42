import type { FastifyInstance } from 'fastify';
import { field } from '../../practice/form-errors.ts';
import { allowed, audit, page, type WebContext } from '../web-context.ts';

/** The bank-holiday calendar the working-day clocks count by, kept by the practice manager. */
export function registerCalendarRoutes(app: FastifyInstance, ctx: WebContext): void {
  app.get('/calendar', async (req, reply) => {
    if (!(await allowed(ctx, req, reply, 'manage-calendar'))) return;
    return page(ctx, req, reply, 'calendar.njk', {
      title: 'Bank holidays',
      holidays: await ctx.holidays.list(),
      form: {},
    });
  });

  app.post('/calendar', async (req, reply) => {
    const m = await allowed(ctx, req, reply, 'manage-calendar');
    if (!m) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const removing = field(body, 'remove');
    const change = removing
      ? await ctx.holidays.remove(removing)
      : await ctx.holidays.add(
          { date: field(body, 'date'), name: field(body, 'name') },
          new Date(ctx.clock.now()),
        );
    if (change.kind === 'refused')
      return page(
        ctx,
        req,
        reply,
        'calendar.njk',
        {
          title: 'Bank holidays',
          holidays: await ctx.holidays.list(),
          form: body,
          errors: [
            {
              field: removing ? 'date' : /name/.test(change.message) ? 'name' : 'date',
              message: change.message,
            },
          ],
        },
        400,
      );
    await audit(ctx, m, {
      action: 'calendar-change',
      detail: removing
        ? `bank holiday ${removing} removed`
        : `bank holiday ${field(body, 'date')} ${field(body, 'name')} added`,
    });
    return reply.redirect('/calendar', 303);
  });
}
