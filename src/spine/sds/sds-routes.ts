import type { FastifyReply, FastifyRequest } from 'fastify';
import { methodsExcept, replyJson, type SpineFastify } from '../http/spine-fastify.ts';
import type { SdsDirectory } from './sds-directory.ts';
import type { PracticeDirectoryEntry } from './sds-types.ts';

/** Where the SDS routes live on the simulator. */
export const SDS_BASE_PATH = '/spine-directory';

const PRACTICES = `${SDS_BASE_PATH}/practices`;

/**
 * Serves `GET /spine-directory/practices` (all, or filtered by `?partyKey=` / `?asid=`) and
 * `GET /spine-directory/practices/{ods}`; any other method there is a 405. The wire shape is the directory entry
 * itself (SDS attributes under readable names) rather than the SDS FHIR resources, which spread one practice over
 * Device and Endpoint.
 */
export function registerSdsRoutes(app: SpineFastify, directory: SdsDirectory): void {
  const list = (request: FastifyRequest, reply: FastifyReply): void => {
    request.raw.resume();
    const query = new URL(request.raw.url ?? '/', 'http://x').searchParams;
    const partyKey = query.get('partyKey');
    const asid = query.get('asid');
    let entries: PracticeDirectoryEntry[] = directory.entries();
    if (partyKey) entries = entries.filter((e) => e.partyKey === partyKey);
    if (asid) entries = entries.filter((e) => e.asid === asid);
    replyJson(reply, 200, { practices: entries });
  };
  app.get(PRACTICES, list);
  app.get(`${PRACTICES}/`, list);
  // one segment or more: the rest of the path, decoded, is the ODS code looked up
  app.get<{ Params: { '*': string } }>(`${PRACTICES}/*`, (request, reply) => {
    request.raw.resume();
    const ods = request.params['*'];
    const entry = directory.odsSync(ods);
    if (!entry) replyJson(reply, 404, { error: `no practice ${ods}` });
    else replyJson(reply, 200, entry);
  });
  for (const url of [PRACTICES, `${PRACTICES}/*`])
    app.route({ method: methodsExcept(app, 'GET'), url, handler: notAllowed });
}

/** Answers a directory path whose percent-escapes cannot be decoded: 400 (405 for a method other than GET). */
export function replySdsBadPath(request: FastifyRequest, reply: FastifyReply): void {
  if (request.method !== 'GET') notAllowed(request, reply);
  else {
    request.raw.resume();
    replyJson(reply, 400, { error: 'malformed percent-escape in the path' });
  }
}

/** Whether `path` is below the directory's practices (for {@link replySdsBadPath}). */
export function isSdsPracticePath(path: string): boolean {
  return path.startsWith(`${PRACTICES}/`);
}

function notAllowed(request: FastifyRequest, reply: FastifyReply): void {
  request.raw.resume();
  replyJson(reply, 405, { error: 'method not allowed' });
}
