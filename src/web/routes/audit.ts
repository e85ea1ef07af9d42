import type { FastifyInstance } from 'fastify';
import { isValidNhsNumber } from '../../common/nhs-number.ts';
import { searchAudit } from '../../practice/audit.ts';
import { isCalendarDate } from '../../practice/bank-holidays.ts';
import type { FieldError } from '../../practice/form-errors.ts';
import { londonMidnight } from '../../practice/london-date.ts';
import { allowed, audit, page, type WebContext } from '../web-context.ts';

/** The audit trail search, for practice managers: read-only, and the search itself is audited. */
export function registerAuditRoutes(app: FastifyInstance, ctx: WebContext): void {
  app.get<{ Querystring: Record<string, string | undefined> }>('/audit', async (req, reply) => {
    const m = await allowed(ctx, req, reply, 'read-audit');
    if (!m) return;
    const q = req.query;
    const errors: FieldError[] = [];
    const nhs = (q.nhsNumber ?? '').replace(/\s/g, '');
    if (nhs && !isValidNhsNumber(nhs))
      errors.push({ field: 'nhsNumber', message: 'Enter a valid NHS number' });
    for (const k of ['from', 'to'] as const)
      if (q[k] && !isCalendarDate(q[k])) errors.push({ field: k, message: 'Enter a date like 2026-01-31' });
    const before = Number(q.before) || undefined;
    const entries = errors.length
      ? []
      : await searchAudit(ctx.db, {
          practiceOds: m.practiceOds,
          ...(nhs ? { nhsNumber: nhs } : {}),
          ...(q.actor ? { actor: q.actor } : {}),
          ...(q.action ? { action: q.action } : {}),
          ...(q.from ? { from: new Date(londonMidnight(q.from)) } : {}),
          ...(q.to ? { to: new Date(londonMidnight(q.to) + 86_400_000 - 1) } : {}),
          ...(before ? { before } : {}),
          limit: 50,
        });
    const searched = ['nhsNumber', 'actor', 'action', 'from', 'to'].filter((k) => q[k]);
    if (searched.length && !errors.length)
      await audit(ctx, m, {
        action: 'audit-search',
        ...(nhs ? { nhsNumber: nhs } : {}),
        detail: `audit search by ${searched.join(', ')}`,
      });
    const next =
      entries.length === 50
        ? new URLSearchParams({ ...clean(q), before: String(entries.at(-1)!.id) })
        : undefined;
    return page(
      ctx,
      req,
      reply,
      'audit.njk',
      { title: 'Audit trail', entries, q, errors, next: next?.toString() },
      errors.length ? 400 : 200,
    );
  });
}

function clean(q: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(q).filter((e): e is [string, string] => !!e[1] && e[0] !== 'before'),
  );
}
