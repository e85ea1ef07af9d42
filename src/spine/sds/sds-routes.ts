import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http/http-io.ts';
import type { SdsDirectory } from './sds-directory.ts';
import type { PracticeDirectoryEntry } from './sds-types.ts';

/** Where the SDS routes live on the simulator. */
export const SDS_BASE_PATH = '/spine-directory';

/**
 * Serves `GET /spine-directory/practices` (all, or filtered by `?partyKey=` / `?asid=`) and
 * `GET /spine-directory/practices/{ods}`. The wire shape is the directory entry itself (SDS attributes under
 * readable names) rather than the SDS FHIR resources, which spread one practice over Device and Endpoint.
 * Returns false when the path is not an SDS one.
 */
export function handleSdsRequest(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  directory: SdsDirectory,
): boolean {
  if (!url.pathname.startsWith(`${SDS_BASE_PATH}/practices`)) return false;
  req.resume();
  if (req.method !== 'GET') {
    sendJson(res, 405, { error: 'method not allowed' }, {}, 'application/json');
    return true;
  }
  const rest = url.pathname.slice(`${SDS_BASE_PATH}/practices`.length);
  if (rest === '' || rest === '/') {
    const partyKey = url.searchParams.get('partyKey');
    const asid = url.searchParams.get('asid');
    let list: PracticeDirectoryEntry[] = directory.entries();
    if (partyKey) list = list.filter((e) => e.partyKey === partyKey);
    if (asid) list = list.filter((e) => e.asid === asid);
    sendJson(res, 200, { practices: list }, {}, 'application/json');
    return true;
  }
  let ods: string;
  try {
    ods = decodeURIComponent(rest.slice(1));
  } catch {
    sendJson(res, 400, { error: 'malformed percent-escape in the path' }, {}, 'application/json');
    return true;
  }
  const entry = directory.odsSync(ods);
  if (!entry) sendJson(res, 404, { error: `no practice ${ods}` }, {}, 'application/json');
  else sendJson(res, 200, entry, {}, 'application/json');
  return true;
}
