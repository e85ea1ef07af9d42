import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { accountByUsername, type StaffMember } from '../../practice/accounts.ts';
import { appendAudit } from '../../practice/audit.ts';
import { field } from '../../practice/form-errors.ts';
import { verifyPassword } from '../../practice/passwords.ts';
import { SIGN_IN_CSRF_COOKIE, tokensEqual } from '../security.ts';
import { audit, page, sessionCookie, type WebContext } from '../web-context.ts';

// A hash to verify against when the user name is unknown, so both paths take the same time.
const NOBODY = 'argon2id$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** Sign-in (local password or Smartcard through OpenID Connect) and sign-out. */
export function registerAuthRoutes(app: FastifyInstance, ctx: WebContext): void {
  app.get('/sign-in', (req, reply) => signInPage(ctx, req, reply, {}));

  app.post('/sign-in', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!tokensEqual(field(body, '_csrf'), req.cookies[SIGN_IN_CSRF_COOKIE] ?? ''))
      return signInPage(ctx, req, reply, { message: 'The sign-in form expired. Try again.' }, 403);
    const username = field(body, 'username').toLowerCase();
    const password = typeof body.password === 'string' ? body.password : '';
    const errors = [];
    if (!username) errors.push({ field: 'username', message: 'Enter your user name' });
    if (!password) errors.push({ field: 'password', message: 'Enter your password' });
    if (errors.length) return signInPage(ctx, req, reply, { errors, username }, 400);
    const keys = [`user:${username}`, `ip:${req.ip}`];
    if (await ctx.throttle.blocked(keys))
      return signInPage(
        ctx,
        req,
        reply,
        {
          message: 'Too many failed sign-ins. Wait 15 minutes and try again, or call the Smartcard office.',
          username,
        },
        429,
      );
    const found = await accountByUsername(ctx.db, username);
    const ok = await verifyPassword(password, found?.passwordHash ?? NOBODY);
    if (!found?.passwordHash || !ok) {
      await ctx.throttle.fail(keys);
      if (found)
        await audit(ctx, found.member, {
          action: 'sign-in-refused',
          detail: `wrong password from ${req.ip}`,
        });
      return signInPage(
        ctx,
        req,
        reply,
        { errors: [{ field: 'username', message: 'The user name or password is not right' }], username },
        401,
      );
    }
    await ctx.throttle.succeed(`user:${username}`);
    return startSession(ctx, req, reply, found.member, 'password', safeNext(field(body, 'next')));
  });

  app.post('/sign-out', async (req, reply) => {
    // The header's sign-out form carries the token in its action URL.
    const sent = (req.query as Record<string, unknown>).csrf;
    if (
      req.member &&
      req.sessionToken &&
      typeof sent === 'string' &&
      tokensEqual(sent, req.csrfToken ?? '')
    ) {
      await audit(ctx, req.member, { action: 'sign-out', detail: 'signed out' });
      await ctx.sessions.end(req.sessionToken);
    }
    reply.clearCookie(sessionCookie(ctx), { path: '/' });
    return reply.redirect('/sign-in?signed-out=1', 303);
  });

  app.get('/sign-in/smartcard', async (req, reply) => {
    if (!ctx.oidc)
      return signInPage(ctx, req, reply, { message: 'Smartcard sign-in is not set up here.' }, 404);
    return reply.redirect((await ctx.oidc.begin()).href, 303);
  });

  app.get('/sign-in/smartcard/callback', async (req, reply) => {
    if (!ctx.oidc)
      return signInPage(ctx, req, reply, { message: 'Smartcard sign-in is not set up here.' }, 404);
    const r = await ctx.oidc.complete(new URL(req.url, 'http://unused.invalid').searchParams);
    if (r.kind === 'refused')
      return signInPage(ctx, req, reply, { message: r.message, smartcardHelp: true }, 403);
    return startSession(ctx, req, reply, r.member, 'oidc', '/');
  });
}

async function startSession(
  ctx: WebContext,
  req: FastifyRequest,
  reply: FastifyReply,
  member: StaffMember,
  method: 'password' | 'oidc',
  next: string,
) {
  if (req.sessionToken) await ctx.sessions.end(req.sessionToken);
  await ctx.sessions.prune();
  const token = await ctx.sessions.start(member, method);
  await appendAudit(ctx.db, member, new Date(ctx.clock.now()), {
    action: 'sign-in',
    detail: `signed in with ${method === 'oidc' ? 'Smartcard' : 'password'} from ${req.ip}`,
  });
  reply.setCookie(sessionCookie(ctx), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.secureCookies,
  });
  reply.clearCookie(SIGN_IN_CSRF_COOKIE, { path: '/sign-in' });
  return reply.redirect(next, 303);
}

function signInPage(
  ctx: WebContext,
  req: FastifyRequest,
  reply: FastifyReply,
  data: Record<string, unknown>,
  status = 200,
) {
  const token = randomBytes(24).toString('base64url');
  reply.setCookie(SIGN_IN_CSRF_COOKIE, token, {
    path: '/sign-in',
    httpOnly: true,
    sameSite: 'strict',
    secure: ctx.secureCookies,
  });
  const query = req.query as Record<string, unknown>;
  return page(
    ctx,
    req,
    reply,
    'sign-in.njk',
    {
      signInCsrf: token,
      next: safeNext(typeof query.next === 'string' ? query.next : ''),
      signedOut: query['signed-out'] === '1',
      smartcard: ctx.oidc !== undefined,
      smartcardContacts: ctx.support.forTopic('smartcard'),
      ...data,
    },
    status,
  );
}

/** Only a path on this site: never an open redirect. */
function safeNext(next: string): string {
  return /^\/(?![/\\])[\w\-./?=&%]*$/.test(next) ? next : '/';
}
