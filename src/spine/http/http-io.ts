import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { type Agent as HttpAgent, request as httpRequest } from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** A request body read whole, or why it was refused. */
export type BodyRead =
  | { readonly ok: true; readonly body: Buffer }
  | { readonly ok: false; readonly reason: 'too-large' | 'aborted' };

/** Reads a request body up to `limit` bytes; a larger one is refused without buffering the rest. */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (declared > limit) {
      req.resume();
      resolve({ ok: false, reason: 'too-large' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        req.resume();
        resolve({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) resolve({ ok: true, body: Buffer.concat(chunks, size) });
      done = true;
    });
    req.on('error', () => {
      if (!done) resolve({ ok: false, reason: 'aborted' });
      done = true;
    });
    req.on('close', () => {
      if (!done && !req.complete) resolve({ ok: false, reason: 'aborted' });
      done = true;
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
    const finish = (o: HttpOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      x.signal?.removeEventListener('abort', onAbort);
      resolve(o);
    };
    const onAbort = (): void => {
      finish({ ok: false, failure: { kind: 'aborted' } });
      req.destroy();
    };
    const send = x.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers: Record<string, string> = { ...x.headers };
    if (x.body) headers['content-length'] = String(x.body.byteLength);
    const req = send(x.url, { method: x.method, headers, agent: x.agent }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) {
          req.destroy();
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
    });
    const timer = setTimeout(() => {
      finish({ ok: false, failure: { kind: 'timeout' } });
      req.destroy();
    }, x.timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => finish({ ok: false, failure: networkFailure(e) }));
    if (x.signal?.aborted) onAbort();
    else x.signal?.addEventListener('abort', onAbort, { once: true });
    req.end(x.body);
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
