import type { IncomingMessage, ServerResponse } from 'node:http';
import { isValidNhsNumber } from '../../common/nhs-number.ts';
import { readBody, sendJson } from '../http/http-io.ts';
import { historyBundle, operationOutcome, PDS_SYSTEMS, searchBundle, toFhirPatient } from './pds-fhir.ts';
import { type PdsRegistry, type RegistryUpdate, versionOf } from './pds-registry.ts';
import type { Gender, PdsPatientRecord } from './pds-types.ts';

/** Where the PDS routes live on the simulator, modelled on the PDS FHIR API's base path. */
export const PDS_BASE_PATH = '/personal-demographics/FHIR/R4';

/** What the PDS routes need from the server around them. */
export interface PdsRouteContext {
  readonly registry: PdsRegistry;
  /** Absolute base URL of the PDS API, for `fullUrl`s. */
  readonly baseUrl: string;
  /** ODS code on the caller's certificate, when mutual TLS identified one; only that practice may register itself. */
  readonly callerOds: string | undefined;
  readonly now: () => Date;
  /** Saves a registration change durably before it is applied; false when a change as new was saved first. */
  readonly save: (record: PdsPatientRecord) => Promise<boolean>;
  /** A PATCH body that stalls this long is cut, in ms of real time. */
  readonly bodyIdleTimeoutMs: number;
}

const MAX_PATCH_BYTES = 64 * 1024;

/**
 * Serves `GET /Patient/{nhs}`, `GET /Patient/{nhs}/_history`, `GET /Patient?…` (trace) and
 * `PATCH /Patient/{nhs}` (registration change) below {@link PDS_BASE_PATH}. Returns false when the
 * path is not a PDS one.
 */
export async function handlePdsRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ctx: PdsRouteContext,
): Promise<boolean> {
  if (!url.pathname.startsWith(`${PDS_BASE_PATH}/Patient`)) return false;
  const rest = url.pathname.slice(`${PDS_BASE_PATH}/Patient`.length);
  const headers = { 'x-request-id': String(req.headers['x-request-id'] ?? '') };
  if (rest === '' && req.method === 'GET') {
    search(url.searchParams, res, ctx, headers);
    return true;
  }
  const m = /^\/([^/]+)(\/_history)?$/.exec(rest);
  if (!m?.[1]) {
    sendJson(
      res,
      404,
      operationOutcome('INVALID_VALUE', 'Provided value is invalid', 'unknown PDS path', 'not-found'),
      headers,
    );
    return true;
  }
  const nhsNumber = decodeOrUndefined(m[1]);
  if (nhsNumber === undefined || !isValidNhsNumber(nhsNumber)) {
    req.resume();
    sendJson(
      res,
      400,
      operationOutcome(
        'INVALID_RESOURCE_ID',
        'Resource Id is invalid',
        `invalid NHS number ${nhsNumber ?? m[1]}`,
        'value',
      ),
      headers,
    );
    return true;
  }
  const record = ctx.registry.get(nhsNumber);
  if (!record) {
    req.resume();
    sendJson(
      res,
      404,
      operationOutcome('RESOURCE_NOT_FOUND', 'Resource not found', `no patient ${nhsNumber}`, 'not-found'),
      headers,
    );
    return true;
  }
  if (req.method === 'GET' && m[2]) {
    sendJson(res, 200, historyBundle(record), headers);
  } else if (req.method === 'GET') {
    sendJson(res, 200, toFhirPatient(record), { ...headers, etag: `W/"${versionOf(record)}"` });
  } else if (req.method === 'PATCH' && !m[2]) {
    await patch(nhsNumber, req, res, ctx, headers);
  } else {
    req.resume();
    sendJson(
      res,
      405,
      operationOutcome(
        'METHOD_NOT_ALLOWED',
        'Method not allowed',
        `${req.method} not allowed here`,
        'not-supported',
      ),
      headers,
    );
  }
  return true;
}

function search(
  params: URLSearchParams,
  res: ServerResponse,
  ctx: PdsRouteContext,
  headers: Record<string, string>,
): void {
  const family = params.get('family')?.trim();
  const given = params.get('given')?.trim();
  const gender = params.get('gender')?.trim();
  // PDS takes `birthdate=eq2010-10-22`; a bare date means the same
  const birthDate = params.get('birthdate')?.replace(/^eq/, '').trim();
  const postalCode = params.get('address-postalcode')?.trim();
  if (
    !family ||
    !given ||
    !gender ||
    !birthDate ||
    !postalCode ||
    !isGender(gender) ||
    !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)
  ) {
    sendJson(
      res,
      400,
      operationOutcome(
        'INVALID_SEARCH_DATA',
        'Search data is invalid',
        'a trace needs family, given, gender, birthdate (YYYY-MM-DD) and address-postalcode',
      ),
      headers,
    );
    return;
  }
  const found = ctx.registry.trace({ family, given, gender, birthDate, postalCode });
  if (found.kind === 'multiple-matches') {
    // PDS answers 200 with an OperationOutcome, not an empty Bundle, so a client cannot mistake it for "nobody"
    sendJson(
      res,
      200,
      operationOutcome(
        'TOO_MANY_MATCHES',
        'Too many matches',
        'more than one patient matches: refine the search',
        'multiple-matches',
      ),
      headers,
    );
    return;
  }
  sendJson(
    res,
    200,
    searchBundle(found.kind === 'match' ? [toFhirPatient(found.record)] : [], ctx.baseUrl, ctx.now()),
    headers,
  );
}

async function patch(
  nhsNumber: string,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: PdsRouteContext,
  headers: Record<string, string>,
): Promise<void> {
  const read = await readBody(req, MAX_PATCH_BYTES, { idleTimeoutMs: ctx.bodyIdleTimeoutMs });
  const ifMatch = /^W\/"(\d+)"$/.exec(String(req.headers['if-match'] ?? ''));
  if (!ifMatch) {
    sendJson(
      res,
      412,
      operationOutcome(
        'PRECONDITION_FAILED',
        'Required condition was not fulfilled',
        'If-Match W/"version" is required',
      ),
      headers,
    );
    return;
  }
  const change = read.ok ? parseGpChange(read.body, ctx.now()) : undefined;
  if (!change) {
    sendJson(
      res,
      400,
      operationOutcome(
        'INVALID_UPDATE',
        'Update is invalid',
        'expected a JSON Patch replacing /generalPractitioner with one ODS identifier',
      ),
      headers,
    );
    return;
  }
  if (ctx.callerOds !== undefined && ctx.callerOds !== change.ods) {
    sendJson(
      res,
      403,
      operationOutcome(
        'ACCESS_DENIED',
        'Access denied',
        `practice ${ctx.callerOds} may only register patients to itself`,
        'forbidden',
      ),
      headers,
    );
    return;
  }
  const planned = ctx.registry.planRegistration(nhsNumber, change.ods, change.start, Number(ifMatch[1]));
  // saved before it is answered (or seen): a restarted simulator must not forget an acknowledged change
  const lostRace =
    planned.kind === 'registered' &&
    planned.changed &&
    !((await ctx.save(planned.record)) && ctx.registry.apply(planned.record));
  const current = ctx.registry.get(nhsNumber);
  const r: RegistryUpdate =
    lostRace && current ? { kind: 'version-mismatch', currentVersion: versionOf(current) } : planned;
  switch (r.kind) {
    case 'registered':
      sendJson(res, 200, toFhirPatient(r.record), { ...headers, etag: `W/"${versionOf(r.record)}"` });
      return;
    case 'deceased':
      sendJson(
        res,
        400,
        operationOutcome('INVALID_UPDATE', 'Update is invalid', 'the patient is deceased'),
        headers,
      );
      return;
    case 'version-mismatch':
      sendJson(
        res,
        409,
        operationOutcome(
          'RESOURCE_VERSION_MISMATCH',
          'Resource version mismatch',
          `current version is ${r.currentVersion}`,
          'conflict',
        ),
        { ...headers, etag: `W/"${r.currentVersion}"` },
      );
      return;
    case 'not-found':
      sendJson(
        res,
        404,
        operationOutcome('RESOURCE_NOT_FOUND', 'Resource not found', `no patient ${nhsNumber}`, 'not-found'),
        headers,
      );
      return;
  }
}

/** Reads `[{ op: replace|add, path: /generalPractitioner, value: [{ identifier: { value: ODS, period: { start } } }] }]`. */
function parseGpChange(body: Buffer, now: Date): { ods: string; start: string } | undefined {
  let ops: unknown;
  try {
    ops = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(ops)) return undefined;
  for (const op of ops as unknown[]) {
    if (typeof op !== 'object' || op === null) continue;
    const o = op as { op?: unknown; path?: unknown; value?: unknown };
    if (
      (o.op !== 'replace' && o.op !== 'add') ||
      (o.path !== '/generalPractitioner' && o.path !== '/generalPractitioner/0')
    )
      continue;
    const ref = (Array.isArray(o.value) ? o.value[0] : o.value) as
      | { identifier?: { system?: unknown; value?: unknown; period?: { start?: unknown } } }
      | undefined;
    const id = ref?.identifier;
    if (!id || typeof id.value !== 'string' || !/^[A-Z0-9]{3,10}$/.test(id.value)) return undefined;
    if (id.system !== undefined && id.system !== PDS_SYSTEMS.odsCode) return undefined;
    const start =
      typeof id.period?.start === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(id.period.start)
        ? id.period.start
        : now.toISOString().slice(0, 10);
    return { ods: id.value, start };
  }
  return undefined;
}

/** A decoded path segment, or undefined where its percent-escapes are malformed. */
function decodeOrUndefined(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function isGender(v: string): v is Gender {
  return v === 'male' || v === 'female' || v === 'other' || v === 'unknown';
}
