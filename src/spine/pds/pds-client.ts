/// <reference types="fhir" />
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { isValidNhsNumber } from '../../common/nhs-number.ts';
import { describeFailure, type HttpResponse, httpExchange } from '../http/http-io.ts';
import { fromFhirPatient, outcomeCode, PDS_SYSTEMS } from './pds-fhir.ts';
import type { DemographicQuery, GpRegistration, RegistrationOutcome, TraceOutcome } from './pds-types.ts';

// FHIR R4 types from @types/fhir (a global namespace: its subpath modules do not resolve under nodenext)
type Bundle = fhir4.Bundle;

/** Options for {@link PdsClient}. */
export interface PdsClientOptions {
  /** Base of the PDS FHIR API, e.g. `https://127.0.0.1:8443/personal-demographics/FHIR/R4`. */
  readonly baseUrl: string;
  readonly agent: HttpAgent | HttpsAgent;
  readonly timeoutMs?: number;
}

/** A patient's registration history, oldest first. */
export type GpHistoryOutcome =
  | { readonly kind: 'history'; readonly registrations: readonly GpRegistration[] }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'unavailable'; readonly message: string };

/**
 * Client for the PDS FHIR API (real shape, simulator or the live service behind a gateway): traces return a
 * single match or nothing, and updates carry the version they were based on.
 *
 * @example
 * const pds = new PdsClient({ baseUrl, agent });
 * const r = await pds.trace({ family: 'Smith', given: 'Jane', birthDate: '1980-01-31', gender: 'female', postalCode: 'LS1 4AP' });
 * if (r.kind === 'match') console.log(r.patient.generalPractitionerOds);
 */
export class PdsClient {
  private readonly base: string;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly timeoutMs: number;

  constructor(options: PdsClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.agent = options.agent;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Retrieves a patient by NHS number. */
  async getPatient(nhsNumber: string): Promise<TraceOutcome> {
    if (!isValidNhsNumber(nhsNumber)) return { kind: 'invalid', message: `invalid NHS number ${nhsNumber}` };
    const r = await this.call('GET', `/Patient/${nhsNumber}`);
    if (r.kind === 'unavailable') return r;
    if (r.status === 404) return { kind: 'no-match' };
    if (r.status !== 200) return failure(r.status, r.json);
    const patient = fromFhirPatient(r.json);
    return patient
      ? { kind: 'match', patient }
      : { kind: 'unavailable', message: 'PDS returned something that is not a Patient' };
  }

  /** Traces by the five mandatory demographics; several candidates come back as `multiple-matches`. */
  async trace(query: DemographicQuery): Promise<TraceOutcome> {
    const params = new URLSearchParams({
      family: query.family,
      given: query.given,
      gender: query.gender,
      birthdate: `eq${query.birthDate}`,
      'address-postalcode': query.postalCode,
      '_max-results': '1',
    });
    const r = await this.call('GET', `/Patient?${params}`);
    if (r.kind === 'unavailable') return r;
    if (r.status !== 200) return failure(r.status, r.json);
    const oo = outcomeCode(r.json);
    if (oo?.code === 'TOO_MANY_MATCHES') return { kind: 'multiple-matches' };
    const bundle = r.json as Partial<Bundle>;
    if (bundle?.resourceType !== 'Bundle')
      return { kind: 'unavailable', message: 'PDS search returned no Bundle' };
    const entries = bundle.entry ?? [];
    // Never pick one of several: the search must have narrowed to exactly one person
    if (entries.length > 1) return { kind: 'multiple-matches' };
    if (entries.length === 0) return { kind: 'no-match' };
    const patient = fromFhirPatient(entries[0]?.resource);
    return patient
      ? { kind: 'match', patient }
      : { kind: 'unavailable', message: 'PDS search entry is not a Patient' };
  }

  /** The patient's GP registrations, oldest first, from the resource's version history. */
  async gpHistory(nhsNumber: string): Promise<GpHistoryOutcome> {
    if (!isValidNhsNumber(nhsNumber)) return { kind: 'not-found' };
    const r = await this.call('GET', `/Patient/${nhsNumber}/_history`);
    if (r.kind === 'unavailable') return r;
    if (r.status === 404) return { kind: 'not-found' };
    if (r.status !== 200) return { kind: 'unavailable', message: `PDS answered ${r.status}` };
    const versions = ((r.json as Partial<Bundle>).entry ?? []).map((e) => fromFhirPatient(e.resource));
    const registrations: GpRegistration[] = [];
    for (const v of versions.reverse()) {
      if (!v?.generalPractitionerOds || !v.registeredSince) continue;
      const prev = registrations[registrations.length - 1];
      if (prev && prev.ods === v.generalPractitionerOds && prev.start === v.registeredSince) continue;
      if (prev && prev.end === undefined)
        registrations[registrations.length - 1] = { ...prev, end: v.registeredSince };
      registrations.push({ ods: v.generalPractitionerOds, start: v.registeredSince });
    }
    return { kind: 'history', registrations };
  }

  /**
   * Registers the patient with `ods` from `start` (default today): the previous practice becomes the
   * previous GP. `versionId` is the version the caller traced, so a concurrent change is detected.
   */
  async register(
    nhsNumber: string,
    ods: string,
    versionId: number,
    start?: string,
  ): Promise<RegistrationOutcome> {
    if (!isValidNhsNumber(nhsNumber)) return { kind: 'invalid', message: `invalid NHS number ${nhsNumber}` };
    const patch = [
      {
        op: 'replace',
        path: '/generalPractitioner',
        value: [
          {
            type: 'Organization',
            identifier: { system: PDS_SYSTEMS.odsCode, value: ods, ...(start ? { period: { start } } : {}) },
          },
        ],
      },
    ];
    const r = await this.call('PATCH', `/Patient/${nhsNumber}`, JSON.stringify(patch), {
      'content-type': 'application/json-patch+json',
      'if-match': `W/"${versionId}"`,
    });
    if (r.kind === 'unavailable') return r;
    const oo = outcomeCode(r.json);
    if (r.status === 200) {
      const patient = fromFhirPatient(r.json);
      return patient
        ? { kind: 'registered', patient }
        : { kind: 'unavailable', message: 'PDS update returned no Patient' };
    }
    if (r.status === 404) return { kind: 'not-found' };
    if (r.status === 409)
      return {
        kind: 'version-mismatch',
        currentVersion: Number(/\d+/.exec(String(r.headers.etag))?.[0] ?? 0),
      };
    if (r.status === 403) return { kind: 'forbidden', message: oo?.diagnostics ?? 'forbidden' };
    if (r.status === 400 && oo?.diagnostics.includes('deceased')) return { kind: 'deceased' };
    return { kind: 'invalid', message: oo ? `${oo.code}: ${oo.diagnostics}` : `PDS answered ${r.status}` };
  }

  private async call(
    method: string,
    path: string,
    body?: string,
    headers: Record<string, string> = {},
  ): Promise<
    | { kind: 'response'; status: number; headers: HttpResponse['headers']; json: unknown }
    | { kind: 'unavailable'; message: string }
  > {
    const out = await httpExchange({
      url: new URL(this.base + path),
      method,
      headers: { accept: 'application/fhir+json', 'x-request-id': crypto.randomUUID(), ...headers },
      ...(body === undefined ? {} : { body: Buffer.from(body) }),
      agent: this.agent,
      timeoutMs: this.timeoutMs,
      maxResponseBytes: 4 * 1024 * 1024,
    });
    if (!out.ok) {
      return {
        kind: 'unavailable',
        message: `PDS unreachable: ${describeFailure(out.failure)}`,
      };
    }
    let json: unknown;
    try {
      json = JSON.parse(out.response.body.toString('utf8'));
    } catch {
      json = undefined;
    }
    return { kind: 'response', status: out.response.status, headers: out.response.headers, json };
  }
}

function failure(status: number, json: unknown): TraceOutcome {
  const oo = outcomeCode(json);
  if (status >= 400 && status < 500)
    return { kind: 'invalid', message: oo ? `${oo.code}: ${oo.diagnostics}` : `PDS answered ${status}` };
  return { kind: 'unavailable', message: `PDS answered ${status}` };
}
