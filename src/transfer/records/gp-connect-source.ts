import { type Agent as HttpAgent, globalAgent as httpGlobalAgent } from 'node:http';
import { type Agent as HttpsAgent, globalAgent as httpsGlobalAgent } from 'node:https';
import { pipeline } from 'node:stream';
import type { Bundle, Patient } from 'fhir/r3.js';
import { type Clock, systemClock } from '../../common/clock.ts';
import { describeFailure, headerValue, httpExchange } from '../../spine/http/http-io.ts';
import { binaryContentStream } from './binary-content-stream.ts';
import { gpConnectOutcome } from './gp-connect-outcome.ts';
import {
  FHIR_JSON,
  type GpConnectConsumer,
  MIGRATE_DOCUMENT_INTERACTION,
  MIGRATE_STRUCTURED_INTERACTION,
  MIGRATE_STRUCTURED_PATH,
  migrateStructuredRecordParameters,
  migrationJwt,
  NHS_NUMBER_SYSTEM,
  sspHeaders,
} from './gp-connect-request.ts';
import type { RecordLookup, RecordSource, SourceDocument } from './record-source.ts';
import { streamedGet } from './streamed-get.ts';

/** Options for {@link GpConnectSource}. */
export interface GpConnectSourceOptions {
  /**
   * The provider's FHIR base for Access Record Structured; `{ods}` stands for the practice's ODS code, e.g.
   * `https://gpc.example.nhs.uk/{ods}/STU3/1/gpconnect/fhir`.
   */
  readonly url: string;
  /** The Access Document FHIR base, for documents the record names by a relative `Binary/{id}` (default `url`). */
  readonly documentsUrl?: string;
  /** The practice asking: its ODS code, ASID and name go in the headers and the JWT. */
  readonly consumer: GpConnectConsumer;
  /** The provider's ASID (Ssp-To); default the practice's own, its clinical system answering as the practice. */
  readonly providerAsid?: string;
  /** Connection pool; an `https.Agent` carrying the practice's key, certificate and CA gives mutual TLS. */
  readonly agent?: HttpAgent | HttpsAgent;
  /** The structured record's whole exchange, and a document's longest silence, in ms (default 120 s). */
  readonly timeoutMs?: number;
  /** Largest structured record accepted, in bytes of JSON (default 64 MB). */
  readonly maxRecordBytes?: number;
  readonly clock?: Clock;
  readonly newId?: () => string;
}

/**
 * A practice's records from its clinical system over GP Connect (STU3): the structured record by
 * `$gpc.migratestructuredrecord`, documents by the migrate document read. One source serves one practice.
 * A 404 PATIENT_NOT_FOUND means the patient is not held there; any other failure leaves the record unavailable
 * (the engine retries), and a document that cannot be had is undefined (it goes as an absent attachment).
 *
 * @example
 * const source = new GpConnectSource({ url: 'https://gpc.example/{ods}/STU3/1/gpconnect/fhir', consumer });
 * const r = await source.structuredRecord(consumer.ods, '9990000018');
 */
export class GpConnectSource implements RecordSource {
  private readonly base: string;
  private readonly documentsBase: string;
  private readonly consumer: GpConnectConsumer;
  private readonly providerAsid: string;
  private readonly agent: HttpAgent | HttpsAgent | undefined;
  private readonly timeoutMs: number;
  private readonly maxRecordBytes: number;
  private readonly clock: Clock;
  private readonly newId: () => string;

  constructor(options: GpConnectSourceOptions) {
    this.consumer = options.consumer;
    this.base = fillTemplate(options.url, options.consumer.ods);
    this.documentsBase = fillTemplate(options.documentsUrl ?? options.url, options.consumer.ods);
    for (const u of [this.base, this.documentsBase]) {
      const protocol = new URL(u).protocol;
      if (protocol !== 'http:' && protocol !== 'https:')
        throw new Error(`a GP Connect base must be an http(s) URL, not ${u}`);
    }
    this.providerAsid = options.providerAsid ?? options.consumer.asid;
    this.agent = options.agent;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.maxRecordBytes = options.maxRecordBytes ?? 64 * 1024 * 1024;
    this.clock = options.clock ?? systemClock;
    this.newId = options.newId ?? (() => crypto.randomUUID());
  }

  /** The structured record's URL for this practice. */
  get recordUrl(): string {
    return this.base + MIGRATE_STRUCTURED_PATH;
  }

  async structuredRecord(practiceOds: string, nhsNumber: string): Promise<RecordLookup> {
    if (practiceOds !== this.consumer.ods)
      return {
        kind: 'unavailable',
        message: `this GP Connect source serves ${this.consumer.ods}, not ${practiceOds}`,
      };
    const where = `GP Connect provider ${this.recordUrl}`;
    const outcome = await httpExchange({
      url: new URL(this.recordUrl),
      method: 'POST',
      headers: {
        ...this.headers(MIGRATE_STRUCTURED_INTERACTION, this.base),
        'Content-Type': `${FHIR_JSON};charset=utf-8`,
      },
      body: Buffer.from(JSON.stringify(migrateStructuredRecordParameters(nhsNumber)), 'utf8'),
      agent: this.agentFor(this.base),
      timeoutMs: this.timeoutMs,
      maxResponseBytes: this.maxRecordBytes,
    });
    if (!outcome.ok) {
      const f = outcome.failure;
      const why =
        f.kind === 'timeout'
          ? `no answer within ${this.timeoutMs} ms`
          : f.kind === 'network' && f.message === 'response too large'
            ? `the record is over the ${this.maxRecordBytes}-byte limit`
            : describeFailure(f);
      return { kind: 'unavailable', message: `${where}: ${why}` };
    }
    const { status, body } = outcome.response;
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return { kind: 'unavailable', message: `${where}: HTTP ${status} with a body that is not JSON` };
    }
    if (status !== 200) {
      const oo = gpConnectOutcome(json);
      // Only the provider's own word that it has no such patient means "not held here": a bare 404 is more
      // likely a wrong URL, and refusing every request with 06 for it would be worse than waiting.
      if (status === 404 && oo?.code === 'PATIENT_NOT_FOUND') return { kind: 'not-held' };
      const detail = oo ? ` ${oo.code}${oo.diagnostics ? ` (${oo.diagnostics})` : ''}` : '';
      return { kind: 'unavailable', message: `${where}: HTTP ${status}${detail}` };
    }
    const resourceType = (json as { resourceType?: unknown } | null)?.resourceType;
    if (resourceType !== 'Bundle')
      return {
        kind: 'unavailable',
        message: `${where}: HTTP 200 with ${typeof resourceType === 'string' ? `a ${resourceType}` : 'something'} that is not a Bundle`,
      };
    const bundle = json as Bundle;
    if (!isForPatient(bundle, nhsNumber))
      return {
        kind: 'unavailable',
        message: `${where}: the Bundle has no Patient with NHS number ${nhsNumber}`,
      };
    return { kind: 'found', bundle };
  }

  async document(practiceOds: string, url: string): Promise<SourceDocument | undefined> {
    if (practiceOds !== this.consumer.ods) return undefined;
    const target = this.documentUrl(url);
    if (!target) return undefined;
    const got = await streamedGet(target, {
      agent: this.agentFor(target.href),
      headers: this.headers(MIGRATE_DOCUMENT_INTERACTION, this.documentsBase),
      timeoutMs: this.timeoutMs,
    });
    if (!got.ok) return undefined;
    const res = got.response;
    if (res.statusCode !== 200) {
      res.resume();
      return undefined;
    }
    const type = (headerValue(res.headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    // GP Connect answers with a FHIR Binary resource (base64 content); a plain FHIR server may send the bytes.
    if (type === FHIR_JSON || type === 'application/json') {
      const decoder = binaryContentStream();
      pipeline(res, decoder, () => {});
      return { stream: decoder };
    }
    const length = Number(headerValue(res.headers, 'content-length'));
    return {
      stream: res,
      ...(Number.isSafeInteger(length) && length >= 0 ? { bytes: length } : {}),
      ...(type ? { contentType: type } : {}),
    };
  }

  private agentFor(url: string): HttpAgent | HttpsAgent {
    return this.agent ?? (url.startsWith('https:') ? httpsGlobalAgent : httpGlobalAgent);
  }

  private headers(interactionId: string, audience: string): Record<string, string> {
    return {
      ...sspHeaders({
        traceId: this.newId(),
        fromAsid: this.consumer.asid,
        toAsid: this.providerAsid,
        interactionId,
      }),
      Authorization: `Bearer ${migrationJwt({ consumer: this.consumer, audience, nowMs: this.clock.now() })}`,
      Accept: FHIR_JSON,
    };
  }

  /**
   * Where to fetch a document the record names. Relative references are read against the documents base;
   * absolute ones only on the provider's own origins, so a record cannot send the practice's certificate and
   * token elsewhere.
   */
  private documentUrl(url: string): URL | undefined {
    let target: URL;
    try {
      target = new URL(url, `${this.documentsBase}/`);
    } catch {
      return undefined;
    }
    const origins = new Set([new URL(this.base).origin, new URL(this.documentsBase).origin]);
    return origins.has(target.origin) ? target : undefined;
  }
}

/** The template with `{ods}` filled in and no trailing slash. */
function fillTemplate(template: string, ods: string): string {
  return template.replaceAll('{ods}', encodeURIComponent(ods)).replace(/\/+$/, '');
}

function isForPatient(bundle: Bundle, nhsNumber: string): boolean {
  return (Array.isArray(bundle.entry) ? bundle.entry : []).some((e) => {
    const r = e?.resource as Patient | undefined;
    const ids = r?.resourceType === 'Patient' && Array.isArray(r.identifier) ? r.identifier : [];
    return ids.some((i) => i?.system === NHS_NUMBER_SYSTEM && i.value === nhsNumber);
  });
}
