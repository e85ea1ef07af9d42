import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { type Clock, systemClock } from '../../common/clock.ts';
import { describeFailure, httpExchange } from '../http/http-io.ts';
import { DEFAULT_RELIABILITY, practice } from './sds-config.ts';
import type { DirectoryLookup, PracticeDirectoryEntry, SpineDirectory } from './sds-types.ts';

/** Options for {@link SdsClient}. */
export interface SdsClientOptions {
  /** Base of the directory API, e.g. `https://127.0.0.1:8443/spine-directory`. */
  readonly baseUrl: string;
  readonly agent: HttpAgent | HttpsAgent;
  readonly timeoutMs?: number;
  /** How long answers are reused, in milliseconds (default 60 s; SDS changes rarely). */
  readonly cacheMs?: number;
  /** Time for the cache (default the system clock). */
  readonly clock?: Clock;
}

/**
 * Client for the simulator's directory API, with a short cache so routing every message does not ask SDS
 * every time. Entries are validated on the way in, like the config file.
 *
 * @example
 * const sds = new SdsClient({ baseUrl, agent });
 * const r = await sds.byOds('A12345'); // { kind: 'found', entry } | { kind: 'not-found' } | { kind: 'unavailable', … }
 */
export class SdsClient implements SpineDirectory {
  private readonly base: string;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly timeoutMs: number;
  private readonly cacheMs: number;
  private readonly clock: Clock;
  private readonly cache = new Map<string, { at: number; value: DirectoryLookup }>();

  constructor(options: SdsClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.agent = options.agent;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.cacheMs = options.cacheMs ?? 60_000;
    this.clock = options.clock ?? systemClock;
  }

  byOds(ods: string): Promise<DirectoryLookup> {
    return this.cached(`ods:${ods}`, `/practices/${encodeURIComponent(ods)}`);
  }

  byPartyKey(partyKey: string): Promise<DirectoryLookup> {
    return this.cached(`party:${partyKey}`, `/practices?partyKey=${encodeURIComponent(partyKey)}`);
  }

  byAsid(asid: string): Promise<DirectoryLookup> {
    return this.cached(`asid:${asid}`, `/practices?asid=${encodeURIComponent(asid)}`);
  }

  /** Forgets cached answers (after the directory is known to have changed). */
  clearCache(): void {
    this.cache.clear();
  }

  private async cached(key: string, path: string): Promise<DirectoryLookup> {
    const hit = this.cache.get(key);
    if (hit && this.clock.now() - hit.at < this.cacheMs) return hit.value;
    const value = await this.fetch(path);
    if (value.kind !== 'unavailable') this.cache.set(key, { at: this.clock.now(), value });
    return value;
  }

  private async fetch(path: string): Promise<DirectoryLookup> {
    const out = await httpExchange({
      url: new URL(this.base + path),
      method: 'GET',
      headers: { accept: 'application/json' },
      agent: this.agent,
      timeoutMs: this.timeoutMs,
      maxResponseBytes: 4 * 1024 * 1024,
    });
    if (!out.ok)
      return {
        kind: 'unavailable',
        message: `SDS unreachable: ${describeFailure(out.failure)}`,
      };
    if (out.response.status === 404) return { kind: 'not-found' };
    if (out.response.status !== 200)
      return { kind: 'unavailable', message: `SDS answered ${out.response.status}` };
    let json: unknown;
    try {
      json = JSON.parse(out.response.body.toString('utf8'));
    } catch {
      return { kind: 'unavailable', message: 'SDS answered with invalid JSON' };
    }
    const list = (json as { practices?: unknown }).practices;
    const raw: unknown = Array.isArray(list) ? list[0] : json;
    if (raw === undefined) return { kind: 'not-found' };
    const errors: string[] = [];
    const entry: PracticeDirectoryEntry | undefined = practice(raw, DEFAULT_RELIABILITY, 'sds', errors);
    return entry
      ? { kind: 'found', entry }
      : { kind: 'unavailable', message: `SDS entry invalid: ${errors[0]}` };
  }
}
