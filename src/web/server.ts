import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { type Clock, systemClock } from '../common/clock.ts';
import { createAccount, type NewAccount } from '../practice/accounts.ts';
import { installAuditGuard } from '../practice/audit.ts';
import { BankHolidays } from '../practice/bank-holidays.ts';
import { createDemoSignIns, type DemoSignIn } from '../practice/demo-accounts.ts';
import { type OidcSettings, OidcSignIn } from '../practice/oidc-sign-in.ts';
import { DEFAULT_SESSION_LIMITS, type SessionLimits, SessionStore } from '../practice/sessions.ts';
import { loadSupportDirectory, type SupportDirectory } from '../practice/support-directory.ts';
import { DEFAULT_THROTTLE, SignInThrottle, type ThrottleLimits } from '../practice/throttle.ts';
import type { Store } from '../store/index.ts';
import type { TransferEngine } from '../transfer/index.ts';
import { registerAssets } from './assets.ts';
import { registerAuditRoutes } from './routes/audit.ts';
import { registerAuthRoutes } from './routes/auth.ts';
import { registerCalendarRoutes } from './routes/calendar.ts';
import { registerHomeRoutes } from './routes/home.ts';
import { registerIncomingRoutes } from './routes/incoming.ts';
import { registerOutgoingRoutes } from './routes/outgoing.ts';
import { registerRegisterRoutes } from './routes/register.ts';
import { registerSupportRoutes } from './routes/support.ts';
import { registerWorklistRoutes } from './routes/worklists.ts';
import { registerSecurity } from './security.ts';
import { createViews } from './views.ts';
import { notFound, page, type WebContext } from './web-context.ts';

/** The example support directory shipped with the app (Ofcom drama numbers). */
export const EXAMPLE_SUPPORT_DIRECTORY = join(
  import.meta.dirname,
  '..',
  'practice',
  'support-directory.example.json',
);

/** Options for {@link startWebApp}. */
export interface WebAppOptions {
  /** The transfer engine (serving, or `serve: false` beside engine processes): its commands and queries. */
  readonly engine: TransferEngine;
  /** The store the engine uses (the app keeps its own tables in the same database). */
  readonly store: Store;
  readonly clock?: Clock;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: a free port. */
  readonly port?: number;
  /** Accounts to create at start where their user name or subject is free. */
  readonly accounts?: readonly NewAccount[];
  /** The practice's support directory file (default: the shipped example). */
  readonly supportDirectory?: string;
  /** Smartcard sign-in through NHS Care Identity Service (or any OpenID Connect provider). */
  readonly oidc?: OidcSettings;
  /** The app's address as browsers see it, where a proxy stands in front (default: where it listens). */
  readonly publicUrl?: string;
  /** Secure cookies; default true. Only plain-HTTP development turns this off. */
  readonly secureCookies?: boolean;
  readonly sessionLimits?: SessionLimits;
  readonly throttle?: ThrottleLimits;
}

/** A running practice web app. */
export interface WebApp {
  /** Where it listens, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly fastify: FastifyInstance;
  /** One local account per role per practice with a fresh password each: the demo's sign-ins. */
  createDemoSignIns(practices: readonly string[]): Promise<DemoSignIn[]>;
  stop(): Promise<void>;
}

/**
 * Starts the practice web app: server-rendered NHS.UK pages over the transfer engine's commands and queries,
 * with its own tables for staff, sessions, audit, worklists and the bank-holiday calendar.
 *
 * @example
 * const app = await startWebApp({ engine, store, secureCookies: false });
 * for (const s of await app.createDemoSignIns(['TESTA1'])) console.log(s.username, s.password);
 * console.log(app.url); await app.stop();
 */
export async function startWebApp(options: WebAppOptions): Promise<WebApp> {
  const clock = options.clock ?? systemClock;
  const db = options.store.db;
  const now = () => new Date(clock.now());
  await installAuditGuard(db);
  const holidays = new BankHolidays(db);
  await holidays.seed(now());
  const support: SupportDirectory = await loadSupportDirectory(
    options.supportDirectory ?? EXAMPLE_SUPPORT_DIRECTORY,
  );
  for (const a of options.accounts ?? []) await createAccount(db, a, now());
  const ctx: WebContext = {
    engine: options.engine,
    db,
    documents: options.store.documents,
    clock,
    sessions: new SessionStore(db, clock, options.sessionLimits ?? DEFAULT_SESSION_LIMITS),
    throttle: new SignInThrottle(db, clock, options.throttle ?? DEFAULT_THROTTLE),
    holidays,
    support,
    oidc: undefined,
    views: createViews(),
    secureCookies: options.secureCookies ?? true,
  };
  const app = Fastify({ logger: false, trustProxy: false, bodyLimit: 256 * 1024 });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  registerSecurity(app, ctx);
  registerAssets(app);
  registerAuthRoutes(app, ctx);
  registerHomeRoutes(app, ctx);
  registerRegisterRoutes(app, ctx);
  registerIncomingRoutes(app, ctx);
  registerWorklistRoutes(app, ctx);
  registerOutgoingRoutes(app, ctx);
  registerSupportRoutes(app, ctx);
  registerAuditRoutes(app, ctx);
  registerCalendarRoutes(app, ctx);
  app.setNotFoundHandler((req, reply) => notFound(ctx, req, reply));
  app.setErrorHandler((error, req, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500)
      process.stderr.write(
        `gp2gp web: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    return page(
      ctx,
      req,
      reply,
      'error.njk',
      {
        title:
          status >= 500 ? 'Sorry, there is a problem with the service' : 'That request could not be read',
        message:
          status >= 500
            ? 'Try again later. If it keeps happening, call the GP2GP escalation line.'
            : 'Go back and try again.',
      },
      status,
    );
  });
  const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const url = address.replace('[::1]', 'localhost');
  if (options.oidc) {
    const base = (options.publicUrl ?? url).replace(/\/+$/, '');
    try {
      ctx.oidc = await OidcSignIn.discover(db, clock, {
        ...options.oidc,
        redirectUri: options.oidc.redirectUri ?? `${base}/sign-in/smartcard/callback`,
      });
    } catch (e) {
      await app.close();
      throw e;
    }
  }
  return {
    url,
    fastify: app,
    createDemoSignIns: (practices) => createDemoSignIns(db, practices, now()),
    stop: () => app.close(),
  };
}
