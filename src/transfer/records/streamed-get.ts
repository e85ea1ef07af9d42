import { type Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** A response whose body is still to be read, or why there is none. */
export type StreamedGet =
  | { readonly ok: true; readonly response: IncomingMessage }
  | { readonly ok: false; readonly message: string };

/**
 * GETs `url` and resolves once the response's headers are in, leaving the body to be streamed. The socket may
 * sit idle at most `timeoutMs`, before the headers or between body chunks: a stalled answer is cut, and a body
 * cut short fails its stream (Node reports the early close), so a reader never takes half a document as whole.
 *
 * @example
 * const got = await streamedGet(new URL(url), { agent, headers, timeoutMs: 30_000 });
 * if (got.ok && got.response.statusCode === 200) await pipeline(got.response, createWriteStream(file));
 */
export function streamedGet(
  url: URL,
  options: {
    readonly agent?: HttpAgent | HttpsAgent;
    readonly headers: Record<string, string>;
    readonly timeoutMs: number;
  },
): Promise<StreamedGet> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: StreamedGet): void => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let req: ReturnType<typeof send>;
    try {
      req = send(
        url,
        { method: 'GET', headers: options.headers, ...(options.agent ? { agent: options.agent } : {}) },
        (response) => finish({ ok: true, response }),
      );
    } catch (e) {
      finish({ ok: false, message: (e as Error).message });
      return;
    }
    req.setTimeout(options.timeoutMs, () => {
      req.destroy(new Error(`no data for ${options.timeoutMs} ms`));
    });
    req.on('error', (e) => finish({ ok: false, message: e.message }));
    req.end();
  });
}
