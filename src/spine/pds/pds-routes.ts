import type { FastifyReply, FastifyRequest } from 'fastify';
import { isValidNhsNumber } from '../../common/nhs-number.ts';
import { readBody } from '../http/http-io.ts';
import { methodsExcept, replyJson, type SpineFastify } from '../http/spine-fastify.ts';
import { historyBundle, operationOutcome, PDS_SYSTEMS, searchBundle, toFhirPatient } from './pds-fhir.ts';
import { type PdsRegistry, type RegistryUpdate, versionOf } from './pds-registry.ts';
import type { Gender, PdsPatientRecord } from './pds-types.ts';

/** Where the PDS routes live on the simulator, modelled on the PDS FHIR API's base path. */
export const PDS_BASE_PATH = '/personal-demographics/FHIR/R4';

/** What the PDS routes need from the server around them. */
export interface PdsRouteContext {
  readonly registry: PdsRegistry;
  /** Absolute base URL of the PDS API, for `fullUrl`s (known once the server listens). */
  readonly baseUrl: () => string;
  /** ODS code of the calling practice, when mutual TLS identified one; only that practice may register itself. */
  readonly callerOds: (request: FastifyRequest) => string | undefined;
  readonly now: () => Date;
  /** Saves a registration change durably before it is applied; false when a change as new was saved first. */
  readonly save: (record: PdsPatientRecord) => Promise<boolean>;
  /** A PATCH body that stalls this long is cut, in ms of real time. */
  readonly bodyIdleTimeoutMs: number;
}

const MAX_PATCH_BYTES = 64 * 1024;
const PATIENT = `${PDS_BASE_PATH}/Patient`;

type Params = { nhs: string };
type Headers = Record<string, string>;

/**
 * Serves `GET /Patient/{nhs}`, `GET /Patient/{nhs}/_history`, `GET /Patient?…` (trace) and
 * `PATCH /Patient/{nhs}` (registration change) below {@link PDS_BASE_PATH}, with PDS's OperationOutcome for an
 * invalid NHS number (400), an unknown patient or path (404) and another method (405).
 */
export function registerPdsRoutes(app: SpineFastify, ctx: PdsRouteContext): void {
  app.get(PATIENT, (request, reply) => {
    search(new URL(request.raw.url ?? '/', 'http://x').searchParams, reply, ctx, requestIdOf(request));
  });
  app.route({ method: methodsExcept(app, 'GET'), url: PATIENT, handler: unknownPath });
  app.get<{ Params: Params }>(`${PATIENT}/:nhs`, (request, reply) => {
    const found = patientFor(request, reply, ctx);
    if (found)
      replyFhir(reply, 200, toFhirPatient(found.record), {
        ...found.headers,
        etag: `W/"${versionOf(found.record)}"`,
      });
  });
  app.patch<{ Params: Params }>(`${PATIENT}/:nhs`, async (request, reply) => {
    const found = patientFor(request, reply, ctx);
    if (found) await patch(request.params.nhs, request, reply, ctx, found.headers);
  });
  app.route<{ Params: Params }>({
    method: methodsExcept(app, 'GET', 'PATCH'),
    url: `${PATIENT}/:nhs`,
    handler: (request, reply) => notAllowed(request, reply, ctx),
  });
  app.get<{ Params: Params }>(`${PATIENT}/:nhs/_history`, (request, reply) => {
    const found = patientFor(request, reply, ctx);
    if (found) replyFhir(reply, 200, historyBundle(found.record), found.headers);
  });
  app.route<{ Params: Params }>({
    method: methodsExcept(app, 'GET'),
    url: `${PATIENT}/:nhs/_history`,
    handler: (request, reply) => notAllowed(request, reply, ctx),
  });
  app.all(`${PATIENT}*`, unknownPath); // deeper paths, and /PatientX
}

/**
 * Answers a patient path whose percent-escapes cannot be decoded as PDS does: an invalid resource id where the
 * segment is the NHS number, an unknown path otherwise.
 */
export function replyPdsBadPath(request: FastifyRequest, reply: FastifyReply, path: string): void {
  const m = /^\/([^/]+)(\/_history)?$/.exec(path.slice(PATIENT.length));
  if (!m?.[1]) {
    unknownPath(request, reply);
    return;
  }
  request.raw.resume();
  replyFhir(reply, 400, invalidId(m[1]), requestIdOf(request));
}

/** Whether `path` is below the PDS Patient resource (for {@link replyPdsBadPath}). */
export function isPdsPatientPath(path: string): boolean {
  return path.startsWith(`${PATIENT}/`);
}

function unknownPath(request: FastifyRequest, reply: FastifyReply): void {
  replyFhir(
    reply,
    404,
    operationOutcome('INVALID_VALUE', 'Provided value is invalid', 'unknown PDS path', 'not-found'),
    requestIdOf(request),
  );
}

/** The patient a `/Patient/{nhs}` path names, or undefined once the refusal (400, 404) is sent. */
function patientFor(
  request: FastifyRequest<{ Params: Params }>,
  reply: FastifyReply,
  ctx: PdsRouteContext,
): { record: PdsPatientRecord; headers: Headers } | undefined {
  const headers = requestIdOf(request);
  const nhsNumber = request.params.nhs;
  if (!nhsNumber) {
    unknownPath(request, reply);
    return undefined;
  }
  if (!isValidNhsNumber(nhsNumber)) {
    request.raw.resume();
    replyFhir(reply, 400, invalidId(nhsNumber), headers);
    return undefined;
  }
  const record = ctx.registry.get(nhsNumber);
  if (!record) {
    request.raw.resume();
    replyFhir(reply, 404, notFound(nhsNumber), headers);
    return undefined;
  }
  return { record, headers };
}

function notAllowed(
  request: FastifyRequest<{ Params: Params }>,
  reply: FastifyReply,
  ctx: PdsRouteContext,
): void {
  if (!patientFor(request, reply, ctx)) return;
  request.raw.resume();
  replyFhir(
    reply,
    405,
    operationOutcome(
      'METHOD_NOT_ALLOWED',
      'Method not allowed',
      `${request.method} not allowed here`,
      'not-supported',
    ),
    requestIdOf(request),
  );
}

function requestIdOf(request: FastifyRequest): Headers {
  return { 'x-request-id': String(request.headers['x-request-id'] ?? '') };
}

function invalidId(nhsNumber: string): unknown {
  return operationOutcome(
    'INVALID_RESOURCE_ID',
    'Resource Id is invalid',
    `invalid NHS number ${nhsNumber}`,
    'value',
  );
}

function notFound(nhsNumber: string): unknown {
  return operationOutcome('RESOURCE_NOT_FOUND', 'Resource not found', `no patient ${nhsNumber}`, 'not-found');
}

function replyFhir(reply: FastifyReply, status: number, value: unknown, headers: Headers): void {
  replyJson(reply, status, value, headers, 'application/fhir+json');
}

function search(
  params: URLSearchParams,
  reply: FastifyReply,
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
    replyFhir(
      reply,
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
    replyFhir(
      reply,
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
  replyFhir(
    reply,
    200,
    searchBundle(found.kind === 'match' ? [toFhirPatient(found.record)] : [], ctx.baseUrl(), ctx.now()),
    headers,
  );
}

async function patch(
  nhsNumber: string,
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: PdsRouteContext,
  headers: Headers,
): Promise<void> {
  const read = await readBody(request.raw, MAX_PATCH_BYTES, { idleTimeoutMs: ctx.bodyIdleTimeoutMs });
  const ifMatch = /^W\/"(\d+)"$/.exec(String(request.headers['if-match'] ?? ''));
  if (!ifMatch) {
    replyFhir(
      reply,
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
    replyFhir(
      reply,
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
  const callerOds = ctx.callerOds(request);
  if (callerOds !== undefined && callerOds !== change.ods) {
    replyFhir(
      reply,
      403,
      operationOutcome(
        'ACCESS_DENIED',
        'Access denied',
        `practice ${callerOds} may only register patients to itself`,
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
      replyFhir(reply, 200, toFhirPatient(r.record), { ...headers, etag: `W/"${versionOf(r.record)}"` });
      return;
    case 'deceased':
      replyFhir(
        reply,
        400,
        operationOutcome('INVALID_UPDATE', 'Update is invalid', 'the patient is deceased'),
        headers,
      );
      return;
    case 'version-mismatch':
      replyFhir(
        reply,
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
      replyFhir(
        reply,
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

function isGender(v: string): v is Gender {
  return v === 'male' || v === 'female' || v === 'other' || v === 'unknown';
}
