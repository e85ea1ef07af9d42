import type { FastifyReply, FastifyRequest } from 'fastify';
import { readBody } from '../http/http-io.ts';
import { replyJson, replyNotFound, type SpineFastify } from '../http/spine-fastify.ts';
import type { PracticeDirectoryEntry } from '../sds/sds-types.ts';
import type { FaultInjector, FaultKind, FaultPlan } from './fault-injector.ts';

/** The outcome of registering a practice's endpoint. */
export type EndpointRegistration =
  | { readonly kind: 'registered'; readonly entry: PracticeDirectoryEntry }
  | { readonly kind: 'unknown-practice' }
  | { readonly kind: 'invalid'; readonly problem: string };

/** What the `/_status` and `/_admin` routes act on. */
export interface ControlContext {
  /** Whether the caller (its certificate name) may use every admin route. */
  readonly isAdmin: (peerName: string | undefined) => boolean;
  readonly registerEndpoint: (ods: string, endpoint: string) => Promise<EndpointRegistration>;
  readonly faults: FaultInjector;
  readonly status: () => Record<string, unknown>;
  /** An admin body that stalls this long is cut, in ms of real time. */
  readonly bodyIdleTimeoutMs: number;
}

const MAX_ADMIN_BODY_BYTES = 64 * 1024;

/**
 * `GET /_status` (counters); `PUT /_admin/practices/{ods}/endpoint {"endpoint": url}`: a practice registers its
 * inbound URL (only its own, unless the caller is admin); `POST /_admin/faults` (a plan) and
 * `POST /_admin/faults/next {"kind", "count"}`: admin only. Any `/_admin/` request's body is read first (400 if
 * it is not JSON); other admin paths are 403 to a practice, 404 to admin.
 */
export function registerControlRoutes(app: SpineFastify, ctx: ControlContext): void {
  app.get('/_status', (request, reply) => {
    request.raw.resume();
    replyJson(reply, 200, ctx.status());
  });
  app.put<{ Params: { ods: string } }>('/_admin/practices/:ods/endpoint', async (request, reply) => {
    const parsed = await jsonBody(request, reply, ctx);
    if (!parsed) return;
    const body = parsed.value;
    const { ods } = request.params;
    if (!/^[A-Z0-9]{3,10}$/.test(ods)) return elsewhere(request, reply, ctx);
    const caller = request.peerName;
    if (!ctx.isAdmin(caller) && caller !== ods)
      return replyJson(reply, 403, { error: `${caller ?? 'caller'} may not set ${ods}'s endpoint` });
    const r = await ctx.registerEndpoint(ods, typeof body.endpoint === 'string' ? body.endpoint : '');
    switch (r.kind) {
      case 'registered':
        return replyJson(reply, 200, r.entry);
      case 'invalid':
        return replyJson(reply, 400, { error: r.problem });
      case 'unknown-practice':
        return replyJson(reply, 404, { error: `no practice ${ods}` });
    }
  });
  const adminOnly = (act: (body: Record<string, unknown>) => void) => {
    return async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
      const parsed = await jsonBody(request, reply, ctx);
      if (!parsed) return;
      if (!ctx.isAdmin(request.peerName)) return forbidden(reply);
      try {
        act(parsed.value);
      } catch (e) {
        return replyJson(reply, 400, { error: e instanceof Error ? e.message : String(e) });
      }
      return replyJson(reply, 200, { ok: true });
    };
  };
  app.post(
    '/_admin/faults',
    adminOnly((body) => ctx.faults.configure(body as FaultPlan)),
  );
  app.post(
    '/_admin/faults/next',
    adminOnly((body) =>
      ctx.faults.inject(body.kind as FaultKind, typeof body.count === 'number' ? body.count : 1),
    ),
  );
  app.all('/_admin/*', async (request, reply) => {
    if (await jsonBody(request, reply, ctx)) elsewhere(request, reply, ctx);
  });
}

/** The request's JSON body (`{}` when empty or refused as too large), or undefined once 400 is sent. */
async function jsonBody(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: ControlContext,
): Promise<{ value: Record<string, unknown> } | undefined> {
  const read = await readBody(request.raw, MAX_ADMIN_BODY_BYTES, { idleTimeoutMs: ctx.bodyIdleTimeoutMs });
  try {
    const value =
      read.ok && read.body.length ? (JSON.parse(read.body.toString('utf8')) as Record<string, unknown>) : {};
    return { value };
  } catch {
    replyJson(reply, 400, { error: 'body is not JSON' });
    return undefined;
  }
}

/** An admin path nothing serves: 403 to a practice, 404 to admin. */
function elsewhere(request: FastifyRequest, reply: FastifyReply, ctx: ControlContext): void {
  if (!ctx.isAdmin(request.peerName)) forbidden(reply);
  else replyNotFound(request, reply);
}

function forbidden(reply: FastifyReply): void {
  replyJson(reply, 403, { error: 'admin certificate required' });
}
