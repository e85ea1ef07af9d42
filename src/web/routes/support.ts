import type { FastifyInstance } from 'fastify';
import { allowed, page, type WebContext } from '../web-context.ts';

const TOPIC_NAMES: Readonly<Record<string, string>> = {
  'gp2gp-escalation': 'GP2GP escalation',
  'clinical-system': 'Clinical system helplines',
  'document-system': 'Document system suppliers',
  'pathology-system': 'Pathology system suppliers',
  smartcard: 'Smartcards and sign-in',
  training: 'Training',
  'clinical-concern': 'Clinical concerns',
};

/** The support directory: who to call for what, with who is open now. */
export function registerSupportRoutes(app: FastifyInstance, ctx: WebContext): void {
  app.get('/support', async (req, reply) => {
    const m = await allowed(ctx, req, reply);
    if (!m) return;
    const now = ctx.clock.now();
    const calendar = await ctx.holidays.calendar(now);
    const supplier = ctx.engine.context.practice(m.practiceOds)?.supplier;
    const sections = Object.entries(TOPIC_NAMES).map(([topic, name]) => ({
      topic,
      name,
      contacts: ctx.support.contacts
        .filter((c) => c.topic === topic)
        .map((c) => ({
          ...c,
          open: ctx.support.isOpen(c, now, calendar),
          ours: !!c.supplier && c.supplier === supplier,
        })),
    }));
    return page(ctx, req, reply, 'support.njk', { title: 'Support directory', sections });
  });
}
