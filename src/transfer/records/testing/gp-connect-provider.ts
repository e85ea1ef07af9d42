import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Bundle, Patient } from 'fhir/r3.js';
import { readBody, sendJson } from '../../../spine/http/http-io.ts';
import { mutualTlsServerOptions, peerCommonName, type TlsIdentity } from '../../../spine/tls/tls-identity.ts';
import { operationOutcome } from '../gp-connect-outcome.ts';
import {
  FHIR_JSON,
  JWT_LIFETIME_SECONDS,
  MIGRATE_DOCUMENT_INTERACTION,
  MIGRATE_STRUCTURED_INTERACTION,
  NHS_NUMBER_SYSTEM,
  ODS_CODE_SYSTEM,
  readUnsignedJwt,
} from '../gp-connect-request.ts';

/** How the provider misbehaves for one NHS number. */
export type RecordFault = 'status-500' | 'bad-json' | 'not-bundle' | 'silent' | 'huge';

/** How a document is served: a GP Connect Binary resource (default) or its bytes as they are. */
export type DocumentForm = 'binary' | 'raw';

/** How a document fetch goes wrong: an error status, or the connection cut half way through the body. */
export type DocumentFault = 'status-500' | 'cut-short';

/** One request as the provider saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  /** The client certificate's common name, over mutual TLS. */
  readonly peer: string | undefined;
  readonly jwt: Record<string, unknown> | undefined;
}

interface StoredDocument {
  readonly bytes: Buffer;
  readonly contentType: string;
  readonly form: DocumentForm;
  readonly fault?: DocumentFault;
}

const STRUCTURED = /^\/([A-Z0-9]{3,10})\/STU3\/1\/gpconnect\/fhir\/Patient\/\$gpc\.migratestructuredrecord$/;
const BINARY = /^\/([A-Z0-9]{3,10})\/STU3\/1\/gpconnect\/documents\/fhir\/Binary\/([A-Za-z0-9.-]{1,64})$/;

/**
 * A small GP Connect-style provider for tests: answers `$gpc.migratestructuredrecord` and the migrate document
 * read for practices by ODS code (in the URL: `/{ods}/STU3/1/gpconnect/fhir`), checks the Spine Security Proxy
 * headers, the JWT and the Parameters body (a request that breaks a rule gets 400 and is noted in
 * {@link rejections}), answers 404 PATIENT_NOT_FOUND for a patient it does not hold, and can misbehave on
 * demand. Over HTTPS with mutual TLS when given an identity.
 *
 * @example
 * const provider = await GpConnectTestProvider.start({ identity: pki.identity('gpconnect') });
 * provider.addRecord('A12345', bundle);
 * const source = new GpConnectSource({ url: provider.recordsUrl, documentsUrl: provider.documentsUrl, consumer });
 */
export class GpConnectTestProvider {
  readonly origin: string;
  /** Every request, in order. */
  readonly requests: SeenRequest[] = [];
  /** Why requests were refused as malformed; empty when every request kept the rules. */
  readonly rejections: string[] = [];
  private readonly server: Server;
  private readonly records = new Map<string, Bundle>();
  private readonly faults = new Map<string, RecordFault>();
  private readonly documents = new Map<string, StoredDocument>();

  private constructor(server: Server, origin: string) {
    this.server = server;
    this.origin = origin;
  }

  /** Starts on a free port of 127.0.0.1. */
  static async start(options: { readonly identity?: TlsIdentity } = {}): Promise<GpConnectTestProvider> {
    let provider: GpConnectTestProvider | undefined;
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      provider!.handle(req, res).catch(() => res.destroy());
    };
    const server = options.identity
      ? createHttpsServer(mutualTlsServerOptions(options.identity), handler)
      : createHttpServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    provider = new GpConnectTestProvider(
      server,
      `${options.identity ? 'https' : 'http'}://127.0.0.1:${port}`,
    );
    return provider;
  }

  /** The structured record base, `{ods}` standing for the practice. */
  get recordsUrl(): string {
    return `${this.origin}/{ods}/STU3/1/gpconnect/fhir`;
  }

  /** The documents base, `{ods}` standing for the practice. */
  get documentsUrl(): string {
    return `${this.origin}/{ods}/STU3/1/gpconnect/documents/fhir`;
  }

  /** Holds a record for a practice, answered for its Patient's NHS number (or, to test a mix-up, another). */
  addRecord(ods: string, bundle: Bundle, answeredFor: string = nhsNumberOf(bundle)): void {
    this.records.set(`${ods}/${answeredFor}`, bundle);
  }

  /** Makes every request for this patient go wrong in the given way. */
  fault(nhsNumber: string, fault: RecordFault): void {
    this.faults.set(nhsNumber, fault);
  }

  /** Holds a document for a practice; returns the URL a record names it by. */
  addDocument(
    ods: string,
    id: string,
    bytes: Buffer,
    options: {
      readonly contentType?: string;
      readonly form?: DocumentForm;
      readonly fault?: DocumentFault;
    } = {},
  ): string {
    this.documents.set(`${ods}/${id}`, {
      bytes,
      contentType: options.contentType ?? 'application/pdf',
      form: options.form ?? 'binary',
      ...(options.fault ? { fault: options.fault } : {}),
    });
    return `${this.documentsUrl.replace('{ods}', ods)}/Binary/${id}`;
  }

  /** Stops serving, cutting any request still open (a silent answer). */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const auth = req.headers.authorization ?? '';
    const jwt = readUnsignedJwt(auth.replace(/^Bearer /, ''));
    this.requests.push({
      method: req.method ?? '',
      path,
      headers: req.headers,
      peer: peerCommonName(req.socket),
      jwt: jwt?.payload,
    });
    const structured = STRUCTURED.exec(path);
    const binary = BINARY.exec(path);
    if (structured && req.method === 'POST') return this.structured(req, res, structured[1]!);
    if (binary && req.method === 'GET') return this.binary(req, res, binary[1]!, binary[2]!);
    req.resume();
    sendJson(res, 404, operationOutcome('INVALID_RESOURCE', 'not-supported', 'Unknown path', path));
  }

  private async structured(req: IncomingMessage, res: ServerResponse, ods: string): Promise<void> {
    const read = await readBody(req, 1024 * 1024);
    const problems = this.checkHeaders(req, ods, MIGRATE_STRUCTURED_INTERACTION, '/STU3/1/gpconnect/fhir');
    if (!(req.headers['content-type'] ?? '').startsWith(FHIR_JSON))
      problems.push('Content-Type is not FHIR JSON');
    const nhsNumber = read.ok ? checkParameters(read.body, problems) : undefined;
    if (problems.length > 0 || !nhsNumber) return this.reject(res, problems.length ? problems : ['no body']);
    const fault = this.faults.get(nhsNumber);
    if (fault === 'silent') return; // never answers: the caller's timeout decides
    if (fault === 'status-500')
      return sendJson(
        res,
        500,
        operationOutcome('INTERNAL_SERVER_ERROR', 'exception', 'Internal server error'),
      );
    if (fault === 'bad-json') {
      res.writeHead(200, { 'content-type': FHIR_JSON });
      return void res.end('{"resourceType":"Bundle","entry":[');
    }
    if (fault === 'not-bundle') return sendJson(res, 200, { resourceType: 'Patient', id: 'x' });
    if (fault === 'huge') {
      res.writeHead(200, { 'content-type': FHIR_JSON });
      res.write('{"resourceType":"Bundle","type":"collection","meta":{"tag":"');
      const filler = Buffer.alloc(64 * 1024, 0x61);
      for (let i = 0; i < 64 && !res.destroyed; i++) res.write(filler);
      return void res.end('"}}');
    }
    const bundle = this.records.get(`${ods}/${nhsNumber}`);
    if (!bundle)
      return sendJson(res, 404, operationOutcome('PATIENT_NOT_FOUND', 'not-found', 'Patient not found'));
    sendJson(res, 200, bundle);
  }

  private binary(req: IncomingMessage, res: ServerResponse, ods: string, id: string): void {
    req.resume();
    const problems = this.checkHeaders(
      req,
      ods,
      MIGRATE_DOCUMENT_INTERACTION,
      '/STU3/1/gpconnect/documents/fhir',
    );
    const doc = this.documents.get(`${ods}/${id}`);
    if (problems.length > 0) this.reject(res, problems);
    else if (!doc) sendJson(res, 404, operationOutcome('NO_RECORD_FOUND', 'not-found', 'No record found'));
    else if (doc.fault === 'status-500')
      sendJson(res, 500, operationOutcome('INTERNAL_SERVER_ERROR', 'exception', 'Internal server error'));
    else this.serveDocument(res, id, doc);
  }

  private serveDocument(res: ServerResponse, id: string, doc: StoredDocument): void {
    const cut = doc.fault === 'cut-short';
    if (doc.form === 'raw') {
      res.writeHead(200, { 'content-type': doc.contentType, 'content-length': doc.bytes.length });
      if (cut) return void res.write(doc.bytes.subarray(0, doc.bytes.length >> 1), () => res.destroy());
      return void res.end(doc.bytes);
    }
    // A Binary resource, its base64 written a slice at a time as a real provider would stream it.
    res.writeHead(200, { 'content-type': `${FHIR_JSON};charset=utf-8` });
    res.write(
      `{"resourceType":"Binary","id":"${id}","meta":{"versionId":"1"},"contentType":"${doc.contentType}",`,
    );
    res.write('"content":"');
    const slice = 48 * 1024;
    const end = cut ? doc.bytes.length >> 1 : doc.bytes.length;
    for (let at = 0; at < end; at += slice)
      res.write(doc.bytes.subarray(at, Math.min(end, at + slice)).toString('base64'));
    if (cut) return void res.write('', () => res.destroy());
    res.end('"}');
  }

  /** The rule breaks in a request's headers and JWT (an empty list when it keeps them all). */
  private checkHeaders(req: IncomingMessage, ods: string, interaction: string, basePath: string): string[] {
    const h = req.headers;
    const problems: string[] = [];
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(String(h['ssp-traceid'])))
      problems.push('Ssp-TraceID is not a UUID');
    if (!/^\d{1,12}$/.test(String(h['ssp-from']))) problems.push('Ssp-From is not an ASID');
    if (!/^\d{1,12}$/.test(String(h['ssp-to']))) problems.push('Ssp-To is not an ASID');
    if (h['ssp-interactionid'] !== interaction) problems.push(`Ssp-InteractionID is not ${interaction}`);
    if (!(h.accept ?? '').includes(FHIR_JSON)) problems.push('Accept is not FHIR JSON');
    const token = readUnsignedJwt((h.authorization ?? '').replace(/^Bearer /, ''));
    if (!token) return [...problems, 'Authorization is not a Bearer unsigned JWT'];
    const { header, payload: p } = token;
    if (header.alg !== 'none') problems.push('the JWT is not alg none');
    for (const claim of ['iss', 'sub', 'aud', 'reason_for_request', 'requested_scope'])
      if (typeof p[claim] !== 'string' || p[claim] === '') problems.push(`the JWT has no ${claim}`);
    if (typeof p.iat !== 'number' || p.exp !== p.iat + JWT_LIFETIME_SECONDS)
      problems.push('the JWT does not expire five minutes after it was issued');
    if (p.aud !== `${this.origin}/${ods}${basePath}`)
      problems.push(`the JWT's audience is not ${ods}'s base`);
    if (p.reason_for_request !== 'migration') problems.push('reason_for_request is not migration');
    const scopes = String(p.requested_scope).split(' ');
    if (!scopes.includes('patient/*.read') || !scopes.includes('conf/R'))
      problems.push('requested_scope does not ask to read sensitive information');
    const resource = (claim: string, type: string) => {
      const r = p[claim] as { resourceType?: unknown } | undefined;
      if (r?.resourceType !== type) problems.push(`${claim} is not a ${type}`);
      return r as Record<string, unknown> | undefined;
    };
    resource('requesting_device', 'Device');
    const org = resource('requesting_organization', 'Organization') as
      | { identifier?: { system?: string; value?: string }[] }
      | undefined;
    if (!org?.identifier?.some((i) => i.system === ODS_CODE_SYSTEM && i.value === ods))
      problems.push(`requesting_organization is not ${ods}`);
    const practitioner = resource('requesting_practitioner', 'Practitioner');
    if (practitioner?.id !== p.sub) problems.push('requesting_practitioner.id is not the sub');
    return problems;
  }

  private reject(res: ServerResponse, problems: readonly string[]): void {
    this.rejections.push(...problems);
    sendJson(res, 400, operationOutcome('BAD_REQUEST', 'invalid', 'Bad request', problems.join('; ')));
  }
}

/** The NHS number the Parameters ask for, with any rule breaks noted in `problems`. */
function checkParameters(body: Buffer, problems: string[]): string | undefined {
  let parameters: { resourceType?: unknown; parameter?: unknown };
  try {
    parameters = JSON.parse(body.toString('utf8'));
  } catch {
    problems.push('the body is not JSON');
    return undefined;
  }
  if (parameters?.resourceType !== 'Parameters' || !Array.isArray(parameters.parameter)) {
    problems.push('the body is not a Parameters resource');
    return undefined;
  }
  const list = parameters.parameter as {
    name?: string;
    valueIdentifier?: { system?: string; value?: string };
    part?: { name?: string; valueBoolean?: boolean }[];
  }[];
  for (const p of list)
    if (p.name !== 'patientNHSNumber' && p.name !== 'includeFullRecord')
      problems.push(`unknown parameter ${p.name}`);
  const nhs = list.find((p) => p.name === 'patientNHSNumber')?.valueIdentifier;
  if (nhs?.system !== NHS_NUMBER_SYSTEM || !nhs.value) problems.push('patientNHSNumber is not an NHS number');
  const full = list.find((p) => p.name === 'includeFullRecord');
  const sensitive = full?.part?.find((p) => p.name === 'includeSensitiveInformation');
  if (!full || sensitive?.valueBoolean !== true)
    problems.push('includeFullRecord does not include sensitive information');
  return nhs?.value;
}

function nhsNumberOf(bundle: Bundle): string {
  for (const e of bundle.entry ?? []) {
    const r = e.resource as Patient | undefined;
    if (r?.resourceType !== 'Patient') continue;
    const id = r.identifier?.find((i) => i.system === NHS_NUMBER_SYSTEM)?.value;
    if (id) return id;
  }
  throw new Error('the Bundle has no Patient with an NHS number');
}
