import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { page, sessionCookie, type WebContext } from './web-context.ts';

/** Name of the cookie that carries the sign-in form's CSRF token before anyone is signed in. */
export const SIGN_IN_CSRF_COOKIE = 'gp2gp-sign-in';

/**
 * The security every request passes through: a fresh CSP nonce and strict headers, the session from its
 * cookie, and for every POST a same-origin check and the session's CSRF token (the sign-in form, before any
 * session, checks its own token in `auth` routes).
 */
export function registerSecurity(app: FastifyInstance, ctx: WebContext): void {
  app.decorateRequest('member', undefined);
  app.decorateRequest('csrfToken', undefined);
  app.decorateRequest('sessionToken', undefined);
  app.decorateRequest('cspNonce', '');

  app.addHook('onRequest', async (req, reply) => {
    req.cspNonce = randomBytes(16).toString('base64');
    reply.headers({
      'content-security-policy': [
        "default-src 'self'",
        `script-src 'self' 'nonce-${req.cspNonce}'`,
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self' http: https:",
      ].join('; '),
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'same-origin',
      'cross-origin-opener-policy': 'same-origin',
      'permissions-policy': 'camera=(), microphone=(), geolocation=()',
    });
    if (ctx.secureCookies) reply.header('strict-transport-security', 'max-age=31536000');
    if (req.url.startsWith('/assets/')) return;
    const token = req.cookies[sessionCookie(ctx)];
    if (token) {
      // htmx's background refreshes are not activity: they must not keep an unattended session alive.
      const session = await ctx.sessions.resume(token, req.headers['hx-request'] !== 'true');
      if (session) {
        req.member = session.member;
        req.csrfToken = session.csrfToken;
        req.sessionToken = token;
      }
    }
  });

  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST') return;
    if (!sameOrigin(req)) return refuse(ctx, req, reply, 'This form came from another site and was refused.');
    if (req.url.startsWith('/sign-in')) return; // checked against the sign-in cookie there
    if (!req.member) return reply.redirect('/sign-in', 303);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const query = req.query as Record<string, unknown>;
    const sent =
      typeof body._csrf === 'string' ? body._csrf : typeof query.csrf === 'string' ? query.csrf : '';
    if (!tokensEqual(sent, req.csrfToken ?? ''))
      return refuse(ctx, req, reply, 'This form has expired. Go back, reload the page and try again.');
  });
}

/** Constant-time comparison of two tokens (false for empty). */
export function tokensEqual(a: string, b: string): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function sameOrigin(req: FastifyRequest): boolean {
  if (req.headers['sec-fetch-site'] === 'cross-site') return false;
  const origin = req.headers.origin;
  if (!origin || origin === 'null') return origin !== 'null';
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function refuse(ctx: WebContext, req: FastifyRequest, reply: FastifyReply, message: string) {
  return page(ctx, req, reply, 'error.njk', { title: 'Form refused', message }, 403);
}
