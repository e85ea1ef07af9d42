import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../common/clock.ts';
import type { StaffMember } from '../practice/accounts.ts';
import { type AuditEntry, appendAudit } from '../practice/audit.ts';
import type { BankHolidays } from '../practice/bank-holidays.ts';
import type { OidcSignIn } from '../practice/oidc-sign-in.ts';
import { can, type Permission } from '../practice/roles.ts';
import type { SessionStore } from '../practice/sessions.ts';
import type { SupportDirectory } from '../practice/support-directory.ts';
import type { SignInThrottle } from '../practice/throttle.ts';
import type { Database, DocumentStore } from '../store/index.ts';
import type { TransferEngine } from '../transfer/index.ts';
import type { Views } from './views.ts';

/** Everything the routes share: the engine, the app's own stores, the clock and the templates. */
export interface WebContext {
  readonly engine: TransferEngine;
  readonly db: Database;
  readonly documents: DocumentStore;
  readonly clock: Clock;
  readonly sessions: SessionStore;
  readonly throttle: SignInThrottle;
  readonly holidays: BankHolidays;
  readonly support: SupportDirectory;
  /** Smartcard sign-in, where set up (filled in once the app knows its own address). */
  oidc: OidcSignIn | undefined;
  readonly views: Views;
  /** Cookies marked Secure (and named `__Host-`): true except for plain-HTTP development. */
  readonly secureCookies: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    member: StaffMember | undefined;
    csrfToken: string | undefined;
    sessionToken: string | undefined;
    cspNonce: string;
  }
}

/** The session cookie's name: `__Host-` where it is Secure, so no subdomain or plain-HTTP page can set it. */
export function sessionCookie(ctx: WebContext): string {
  return ctx.secureCookies ? '__Host-gp2gp-session' : 'gp2gp-session';
}

/** Renders a page with what every page needs (who is signed in, the CSRF token, the navigation). */
export function page(
  ctx: WebContext,
  req: FastifyRequest,
  reply: FastifyReply,
  template: string,
  data: Record<string, unknown> = {},
  status = 200,
) {
  const path = req.url.split('?')[0] ?? '/';
  const html = ctx.views(template, {
    member: req.member,
    csrf: req.csrfToken,
    cspNonce: req.cspNonce,
    path,
    now: ctx.clock.now(),
    nav: req.member ? navigation(req.member, path) : [],
    practiceName: req.member
      ? (ctx.engine.context.practice(req.member.practiceOds)?.name ?? req.member.practiceOds)
      : '',
    ...data,
  });
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

function navigation(m: StaffMember, path: string): { href: string; text: string; current: boolean }[] {
  const items: { href: string; text: string; needs?: Permission }[] = [
    { href: '/', text: 'Home' },
    { href: '/register', text: 'Register', needs: 'register' },
    { href: '/incoming', text: 'Incoming', needs: 'view-worklists' },
    { href: '/degrades', text: 'Degrades', needs: 'work-degrades' },
    { href: '/medication', text: 'Medication', needs: 'authorise-medication' },
    { href: '/outgoing', text: 'Outgoing', needs: 'view-worklists' },
    { href: '/support', text: 'Support' },
    { href: '/audit', text: 'Audit', needs: 'read-audit' },
    { href: '/calendar', text: 'Calendar', needs: 'manage-calendar' },
  ];
  return items
    .filter((i) => !i.needs || can(m.role, i.needs))
    .map(({ href, text }) => ({
      href,
      text,
      current: href === path || (href !== '/' && path.startsWith(`${href}/`)),
    }));
}

/**
 * The signed-in member where they hold the permission; otherwise the sign-in page (nobody signed in) or a
 * refusal page (recorded in the audit trail), and undefined.
 */
export async function allowed(
  ctx: WebContext,
  req: FastifyRequest,
  reply: FastifyReply,
  permission?: Permission,
): Promise<StaffMember | undefined> {
  const m = req.member;
  if (!m) {
    const back = encodeURIComponent(req.url);
    await reply.redirect(`/sign-in?next=${back}`, 303);
    return undefined;
  }
  if (permission && !can(m.role, permission)) {
    await audit(ctx, m, {
      action: 'access-refused',
      detail: `${req.method} ${req.url.split('?')[0]} needs ${permission}`,
    });
    await page(ctx, req, reply, 'forbidden.njk', { permission }, 403);
    return undefined;
  }
  return m;
}

/** Appends to the audit trail at the app clock's time. */
export function audit(ctx: WebContext, m: StaffMember, entry: AuditEntry): Promise<void> {
  return appendAudit(ctx.db, m, new Date(ctx.clock.now()), entry);
}

/**
 * The page for an engine command that refused: not found (as {@link notFound}, so another practice's id tells
 * nothing), or why it could not be done (409).
 */
export function refusedPage(
  ctx: WebContext,
  req: FastifyRequest,
  reply: FastifyReply,
  refusal: { readonly reason: string; readonly message: string },
  title: string,
) {
  if (refusal.reason === 'not-found') return notFound(ctx, req, reply);
  return page(ctx, req, reply, 'error.njk', { title, message: refusal.message }, 409);
}

/** The not-found page: also what another practice's transfer id gets, so its existence is not disclosed. */
export function notFound(ctx: WebContext, req: FastifyRequest, reply: FastifyReply) {
  return page(ctx, req, reply, 'not-found.njk', {}, 404);
}
