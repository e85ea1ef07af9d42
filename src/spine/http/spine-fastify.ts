import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { peerCommonName, type TlsIdentity } from '../tls/tls-identity.ts';
import { createLimitedServer, type ResolvedServerLimits } from './server-limits.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Common name on the caller's certificate, when mutual TLS verified one. */
    readonly peerName: string | undefined;
  }
}

/** A Fastify instance serving on a {@link createLimitedServer} server. */
export type SpineFastify = FastifyInstance<Server>;

/** Options for {@link createSpineFastify}. */
export interface SpineFastifyOptions {
  /** Answers a path Fastify cannot decode (a malformed percent-escape); default 404 JSON. */
  readonly onBadPath?: (request: FastifyRequest, reply: FastifyReply) => void;
}

/**
 * A Fastify app on the hardened server of `createLimitedServer` (mutual TLS, connection cap, handshake, headers and
 * request timeouts), with nothing of its own in the way: bodies are left unread for handlers to read from
 * `request.raw` under their own size, budget and idle limits, client errors are answered as Node answers them, and
 * an unexpected failure is a 500 `{"error"}`. Serve with `app.ready()` then `app.server.listen()`; routes see the
 * caller's certificate name as `request.peerName`.
 *
 * @example
 * const app = createSpineFastify(identity, resolveServerLimits());
 * app.get('/_status', (request, reply) => replyJson(reply, 200, { ok: true }));
 */
export function createSpineFastify(
  identity: TlsIdentity | undefined,
  limits: ResolvedServerLimits,
  options: SpineFastifyOptions = {},
): SpineFastify {
  const app = Fastify({
    serverFactory: (handler) => createLimitedServer(identity, limits, handler),
    clientErrorHandler: nodeClientError,
    exposeHeadRoutes: false, // HEAD is answered as any other unrouted method
    routerOptions: { maxParamLength: 8 * 1024 }, // a long path segment is the handler's to refuse
    frameworkErrors: (error, request, reply) => {
      if (error.code === 'FST_ERR_BAD_URL' && options.onBadPath) return options.onBadPath(request, reply);
      if (error.code === 'FST_ERR_BAD_URL') return replyNotFound(request, reply);
      replyJson(reply, 500, { error: error.message });
    },
  }) as unknown as SpineFastify;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  app.decorateRequest('peerName', {
    getter(this: FastifyRequest) {
      return peerCommonName(this.raw.socket);
    },
  });
  app.setNotFoundHandler(replyNotFound);
  const fail = (error: unknown, request: FastifyRequest, reply: FastifyReply): void => {
    request.raw.resume();
    if (reply.raw.headersSent) reply.raw.destroy();
    else replyJson(reply, 500, { error: error instanceof Error ? error.message : String(error) });
  };
  app.setErrorHandler((error, request, reply) => {
    if ((error as { code?: string }).code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      // Fastify refuses a Content-Type it cannot parse before the route runs; here bodies are the handler's to judge
      // (the hub answers an unreadable one with an ebXML MimeProblem), so the route runs anyway
      Promise.resolve(request.routeOptions.handler.call(app, request, reply)).catch((e: unknown) =>
        fail(e, request, reply),
      );
      return;
    }
    fail(error, request, reply);
  });
  return app;
}

/** Sends `value` as JSON with the given status, extra headers and content type. */
export function replyJson(
  reply: FastifyReply,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
  contentType = 'application/json',
): FastifyReply {
  // a Buffer goes out as it is: Fastify would add `; charset=utf-8` to a JSON content type given a string
  return reply
    .code(status)
    .headers({ ...headers, 'content-type': contentType })
    .send(Buffer.from(JSON.stringify(value)));
}

/** 404 `{"error": "nothing at PATH"}`. */
export function replyNotFound(request: FastifyRequest, reply: FastifyReply): void {
  request.raw.resume();
  replyJson(reply, 404, { error: `nothing at ${pathOf(request)}` });
}

/** The request's path, as `URL` normalises it, without the query. */
export function pathOf(request: FastifyRequest): string {
  return new URL(request.raw.url ?? '/', 'http://x').pathname;
}

/** Every method the app routes, for a route that answers all of them (some with a refusal). */
export function methodsExcept(app: SpineFastify, ...taken: string[]): string[] {
  return app.supportedMethods.filter((m) => !taken.includes(m));
}

/** Node's own answer to a malformed or timed-out request (Fastify's adds a JSON body). */
function nodeClientError(error: Error & { code?: string }, socket: Socket): void {
  if (socket.writable && socket.bytesWritten === 0) {
    const status =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? '431 Request Header Fields Too Large'
          : error.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW'
            ? '413 Payload Too Large'
            : '400 Bad Request';
    socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
  }
  socket.destroy(error);
}
