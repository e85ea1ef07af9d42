import { parseIsoDuration } from './iso-duration.ts';
import type { Country, InteractionReliability, PracticeDirectoryEntry } from './sds-types.ts';
import { GP2GP_INTERACTIONS } from './sds-types.ts';

/**
 * Reliability used where the config names none. These are the simulator's own choices, of the order SDS
 * publishes for GP2GP (minutes of persistence, a couple of retries); override them per practice.
 */
export const DEFAULT_RELIABILITY: InteractionReliability = {
  persistDurationSeconds: 300,
  retries: 2,
  retryIntervalSeconds: 60,
};

/** Directory config as read: the practices and the reliability defaults. */
export type DirectoryConfig =
  | {
      readonly ok: true;
      readonly entries: readonly PracticeDirectoryEntry[];
      readonly defaults: InteractionReliability;
    }
  | { readonly ok: false; readonly errors: readonly string[] };

const COUNTRIES: readonly Country[] = ['England', 'Wales', 'Scotland', 'Northern Ireland'];

/**
 * Validates the `sds` part of a simulator config:
 * `{ defaults?: {persistDuration, retries, retryInterval}, practices: [{ ods, name, supplier, country, asid,
 * partyKey, endpoint?, gp2gpLive, largeMessageCompliant, interactions?: { ID: {…} } }] }`.
 * Durations are ISO 8601 (`PT5M`) or seconds (the served form, `persistDurationSeconds`, reads back too). Every problem is reported, not only the first.
 */
export function parseDirectoryConfig(value: unknown): DirectoryConfig {
  const errors: string[] = [];
  const root = obj(value);
  if (!root) return { ok: false, errors: ['sds: expected an object with a "practices" array'] };
  const defaults =
    root.defaults === undefined
      ? DEFAULT_RELIABILITY
      : reliability(root.defaults, DEFAULT_RELIABILITY, 'sds.defaults', errors);
  if (!Array.isArray(root.practices)) return { ok: false, errors: ['sds.practices: expected an array'] };
  const entries: PracticeDirectoryEntry[] = [];
  const seen = { ods: new Set<string>(), asid: new Set<string>(), partyKey: new Set<string>() };
  root.practices.forEach((p: unknown, i: number) => {
    const at = `sds.practices[${i}]`;
    const entry = practice(p, defaults, at, errors);
    if (!entry) return;
    for (const key of ['ods', 'asid', 'partyKey'] as const) {
      if (seen[key].has(entry[key])) errors.push(`${at}.${key}: ${entry[key]} appears twice`);
      seen[key].add(entry[key]);
    }
    entries.push(entry);
  });
  return errors.length ? { ok: false, errors } : { ok: true, entries, defaults };
}

/** Builds one entry, filling every GP2GP interaction's reliability from defaults where the input has none. */
export function practice(
  value: unknown,
  defaults: InteractionReliability,
  at: string,
  errors: string[],
): PracticeDirectoryEntry | undefined {
  const p = obj(value);
  if (!p) {
    errors.push(`${at}: expected an object`);
    return undefined;
  }
  const before = errors.length;
  const ods = str(p.ods, `${at}.ods`, errors, /^[A-Z0-9]{3,10}$/);
  const name = str(p.name, `${at}.name`, errors);
  const supplier = str(p.supplier, `${at}.supplier`, errors, /^[^,\r\n"]+$/);
  const asid = str(p.asid, `${at}.asid`, errors, /^\d{12}$/);
  const partyKey = str(p.partyKey, `${at}.partyKey`, errors, /^[A-Z0-9]{3,10}-\d{6}$/);
  const country = p.country ?? 'England';
  if (!COUNTRIES.includes(country as Country)) errors.push(`${at}.country: one of ${COUNTRIES.join(', ')}`);
  let endpoint: string | undefined;
  if (p.endpoint !== undefined) {
    endpoint = str(p.endpoint, `${at}.endpoint`, errors);
    if (endpoint && !/^https?:\/\//.test(endpoint)) errors.push(`${at}.endpoint: expected an http(s) URL`);
  }
  const interactions: Record<string, InteractionReliability> = {};
  for (const id of GP2GP_INTERACTIONS) interactions[id] = defaults;
  const given = p.interactions === undefined ? {} : obj(p.interactions);
  if (!given) errors.push(`${at}.interactions: expected an object keyed by interaction ID`);
  for (const [id, r] of Object.entries(given ?? {}))
    interactions[id] = reliability(r, defaults, `${at}.interactions.${id}`, errors);
  if (errors.length > before || !ods || !name || !supplier || !asid || !partyKey) return undefined;
  if (!partyKey.startsWith(`${ods}-`))
    errors.push(`${at}.partyKey: should start with the ODS code (${ods}-)`);
  return {
    ods,
    name,
    supplier,
    country: country as Country,
    asid,
    partyKey,
    ...(endpoint ? { endpoint } : {}),
    gp2gpLive: p.gp2gpLive !== false,
    largeMessageCompliant: p.largeMessageCompliant !== false,
    interactions,
  };
}

function reliability(
  value: unknown,
  defaults: InteractionReliability,
  at: string,
  errors: string[],
): InteractionReliability {
  const r = obj(value);
  if (!r) {
    errors.push(`${at}: expected {persistDuration, retries, retryInterval}`);
    return defaults;
  }
  const seconds = (v: unknown, name: string, fallback: number): number => {
    if (v === undefined) return fallback;
    const n = typeof v === 'number' ? v : typeof v === 'string' ? parseIsoDuration(v) : undefined;
    if (n === undefined || !Number.isFinite(n) || n < 0) {
      errors.push(`${at}.${name}: expected an ISO 8601 duration (PT5M) or seconds`);
      return fallback;
    }
    return n;
  };
  const retries = r.retries === undefined ? defaults.retries : r.retries;
  if (typeof retries !== 'number' || !Number.isInteger(retries) || retries < 0 || retries > 100) {
    errors.push(`${at}.retries: expected a whole number 0..100`);
  }
  return {
    persistDurationSeconds: seconds(
      r.persistDuration ?? r.persistDurationSeconds,
      'persistDuration',
      defaults.persistDurationSeconds,
    ),
    retries: typeof retries === 'number' ? retries : defaults.retries,
    retryIntervalSeconds: seconds(
      r.retryInterval ?? r.retryIntervalSeconds,
      'retryInterval',
      defaults.retryIntervalSeconds,
    ),
  };
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

function str(v: unknown, at: string, errors: string[], pattern?: RegExp): string | undefined {
  if (typeof v !== 'string' || v.trim() === '') {
    errors.push(`${at}: expected a non-empty string`);
    return undefined;
  }
  if (pattern && !pattern.test(v)) {
    errors.push(`${at}: "${v}" does not match ${pattern.source}`);
    return undefined;
  }
  return v;
}
