import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { type Agent as HttpAgent, request as httpRequest } from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { BudgetLease } from './server-limits.ts';

/** A request body read whole, or why it was refused. */
export type BodyRead =
  | { readonly ok: true; readonly body: Buffer }
  | { readonly ok: false; readonly reason: 'too-large' | 'over-budget' | 'idle' | 'aborted' };

/** Options for {@link readBody}. */
export interface ReadBodyOptions {
  /** The request's share of the server's body budget: the body's bytes are taken from it before they are kept. */
  readonly lease?: BudgetLease;
  /** A body that goes this long without a byte is given up and its connection cut, in ms of real time. */
  readonly idleTimeoutMs?: number;
}

/**
 * Reads a request body up to `limit` bytes. A larger one, or one that does not fit the budget (its declared length
 * is taken up front, else each chunk as it comes), is refused without keeping the rest; a body that stalls is cut.
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  options: ReadBodyOptions = {},
): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    let idle: NodeJS.Timeout | undefined;
    const finish = (read: BodyRead): void => {
      if (done) return;
      done = true;
      clearTimeout(idle);
      if (!read.ok && read.reason !== 'idle' && read.reason !== 'aborted') req.resume(); // discard the rest
      resolve(read);
    };
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (declared > limit) return finish({ ok: false, reason: 'too-large' });
    const reserved = Number.isInteger(declared) && declared >= 0 ? declared : 0;
    if (options.lease && !options.lease.take(reserved)) return finish({ ok: false, reason: 'over-budget' });
    if (options.idleTimeoutMs !== undefined) {
      idle = setTimeout(() => {
        finish({ ok: false, reason: 'idle' });
        req.socket.destroy();
      }, options.idleTimeoutMs);
    }
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      idle?.refresh();
      size += chunk.length;
      if (size > limit) return finish({ ok: false, reason: 'too-large' });
      const beyond = size - Math.max(reserved, size - chunk.length);
      if (beyond > 0 && options.lease && !options.lease.take(beyond))
        return finish({ ok: false, reason: 'over-budget' });
      chunks.push(chunk);
    });
    req.on('end', () => finish({ ok: true, body: Buffer.concat(chunks, size) }));
    req.on('error', () => finish({ ok: false, reason: 'aborted' }));
    req.on('close', () => {
      if (!req.complete) finish({ ok: false, reason: 'aborted' });
    });
  });
}

/** Writes a JSON response with the given status and extra headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
  contentType = 'application/fhir+json',
): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/** A response read whole. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Why a request got no response. */
export type HttpFailure =
  | { readonly kind: 'timeout' }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'network'; readonly message: string; readonly code?: string };

/** A failure in a few words, for logs and outcomes. */
export function describeFailure(failure: HttpFailure): string {
  switch (failure.kind) {
    case 'timeout':
      return 'no reply in time';
    case 'aborted':
      return 'cancelled';
    case 'network':
      return failure.message;
  }
}

/** The outcome of {@link httpExchange}: a response of any status, or a failure to get one. */
export type HttpOutcome =
  | { readonly ok: true; readonly response: HttpResponse }
  | { readonly ok: false; readonly failure: HttpFailure };

/** One HTTP(S) request. */
export interface HttpExchange {
  readonly url: URL;
  readonly method: string;
  readonly headers?: Record<string, string>;
  readonly body?: Uint8Array;
  /** The connection pool (carries TLS options for mutual TLS). */
  readonly agent: HttpAgent | HttpsAgent;
  /** Whole-exchange timeout in milliseconds. */
  readonly timeoutMs: number;
  /** Largest response body accepted. */
  readonly maxResponseBytes?: number;
  /** Abandons the exchange (the outcome is an `aborted` failure). */
  readonly signal?: AbortSignal;
}

/**
 * Sends one request and reads the whole response; never throws for network trouble (it becomes a typed
 * failure the caller can retry on).
 */
export function httpExchange(x: HttpExchange): Promise<HttpOutcome> {
  const maxBytes = x.maxResponseBytes ?? 16 * 1024 * 1024;
  return new Promise((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let req: ClientRequest | undefined;
    const finish = (o: HttpOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      x.signal?.removeEventListener('abort', onAbort);
      resolve(o);
    };
    const onAbort = (): void => {
      finish({ ok: false, failure: { kind: 'aborted' } });
      req?.destroy();
    };
    const onResponse = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) {
          req?.destroy();
          finish({ ok: false, failure: { kind: 'network', message: 'response too large' } });
          return;
        }
        chunks.push(c);
      });
      res.on('end', () =>
        finish({
          ok: true,
          response: { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks, size) },
        }),
      );
      res.on('error', (e: NodeJS.ErrnoException) => finish({ ok: false, failure: networkFailure(e) }));
      res.on('aborted', () =>
        finish({ ok: false, failure: { kind: 'network', message: 'response aborted', code: 'ECONNRESET' } }),
      );
    };
    const send = x.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers: Record<string, string> = { ...x.headers };
    if (x.body) headers['content-length'] = String(x.body.byteLength);
    try {
      req = send(x.url, { method: x.method, headers, agent: x.agent }, onResponse);
    } catch (e) {
      // refused before any I/O: a URL scheme the agent does not speak, a malformed header
      finish({ ok: false, failure: { kind: 'network', message: (e as Error).message } });
      return;
    }
    const sent = req;
    timer = setTimeout(() => {
      finish({ ok: false, failure: { kind: 'timeout' } });
      sent.destroy();
    }, x.timeoutMs);
    sent.on('error', (e: NodeJS.ErrnoException) => finish({ ok: false, failure: networkFailure(e) }));
    if (x.signal?.aborted) onAbort();
    else x.signal?.addEventListener('abort', onAbort, { once: true });
    sent.end(x.body);
  });
}

function networkFailure(e: NodeJS.ErrnoException): HttpFailure {
  return e.code === undefined
    ? { kind: 'network', message: e.message }
    : { kind: 'network', message: e.message, code: e.code };
}

/** A header's single value (the first where repeated). */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}
