import type { Parameters } from 'fhir/r3.js';

/** Ssp-InteractionID of GP Connect's migrate structured record operation (Access Record Structured). */
export const MIGRATE_STRUCTURED_INTERACTION =
  'urn:nhs:names:services:gpconnect:fhir:operation:gpc.migratestructuredrecord-1';

/** Ssp-InteractionID of GP Connect's migrate document read (Access Document, `GET Binary/{id}`). */
export const MIGRATE_DOCUMENT_INTERACTION =
  'urn:nhs:names:services:gpconnect:documents:fhir:rest:migrate:binary-1';

/** The operation's path below the provider's FHIR base. */
export const MIGRATE_STRUCTURED_PATH = '/Patient/$gpc.migratestructuredrecord';

export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
export const ODS_CODE_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
/** The identifier system of an accredited system ID (ASID). */
export const ASID_SYSTEM = 'https://fhir.nhs.uk/Id/accredited-system';
export const FHIR_JSON = 'application/fhir+json';

/** The practice the adaptor acts for when it asks the practice's clinical system for a record. */
export interface GpConnectConsumer {
  readonly ods: string;
  readonly asid: string;
  readonly name: string;
  /** The practice's own Spine endpoint (the JWT's issuer), where it has one. */
  readonly endpointUrl?: string;
}

/**
 * The `$gpc.migratestructuredrecord` request body: the whole record, sensitive information included, as a
 * GP2GP transfer asks for it.
 *
 * @example
 * migrateStructuredRecordParameters('9990000018').parameter?.[0]?.name // 'patientNHSNumber'
 */
export function migrateStructuredRecordParameters(nhsNumber: string): Parameters {
  return {
    resourceType: 'Parameters',
    parameter: [
      { name: 'patientNHSNumber', valueIdentifier: { system: NHS_NUMBER_SYSTEM, value: nhsNumber } },
      { name: 'includeFullRecord', part: [{ name: 'includeSensitiveInformation', valueBoolean: true }] },
    ],
  };
}

/** The Spine Security Proxy headers every GP Connect request carries. */
export function sspHeaders(h: {
  readonly traceId: string;
  readonly fromAsid: string;
  readonly toAsid: string;
  readonly interactionId: string;
}): Record<string, string> {
  return {
    'Ssp-TraceID': h.traceId,
    'Ssp-From': h.fromAsid,
    'Ssp-To': h.toAsid,
    'Ssp-InteractionID': h.interactionId,
  };
}

/** How long a GP Connect JWT is good for: five minutes after it was made. */
export const JWT_LIFETIME_SECONDS = 300;

/**
 * The unsigned JWT (`alg: none`, empty signature) GP Connect takes as its audit bearer token, with the claims a
 * record migration needs: reason `migration` and scope `conf/R` so that sensitive information is included.
 * GP2GP sends without a logged-on user, so the practitioner is the adaptor itself with unknown SDS ids.
 *
 * @example
 * const jwt = migrationJwt({ consumer, audience: 'https://host/A12345/STU3/1/gpconnect/fhir', nowMs: Date.now() });
 */
export function migrationJwt(input: {
  readonly consumer: GpConnectConsumer;
  readonly audience: string;
  readonly nowMs: number;
}): string {
  const { consumer } = input;
  const iat = Math.floor(input.nowMs / 1000);
  const practitionerId = `gp2gp-${consumer.ods}`;
  const payload = {
    iss: consumer.endpointUrl ?? `urn:gp2gp:adaptor:${consumer.ods}`,
    sub: practitionerId,
    aud: input.audience,
    exp: iat + JWT_LIFETIME_SECONDS,
    iat,
    reason_for_request: 'migration',
    requested_scope: 'patient/*.read conf/R',
    requesting_device: {
      resourceType: 'Device',
      identifier: [{ system: ASID_SYSTEM, value: consumer.asid }],
      model: 'gp2gp',
      version: '0.1.0',
    },
    requesting_organization: {
      resourceType: 'Organization',
      identifier: [{ system: ODS_CODE_SYSTEM, value: consumer.ods }],
      name: consumer.name,
    },
    requesting_practitioner: {
      resourceType: 'Practitioner',
      id: practitionerId,
      identifier: [
        { system: 'https://fhir.nhs.uk/Id/sds-user-id', value: 'UNK' },
        { system: 'https://fhir.nhs.uk/Id/sds-role-profile-id', value: 'UNK' },
      ],
      name: [{ family: 'GP2GP adaptor' }],
    },
  };
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;
}

/** An unsigned JWT's header and payload, or undefined where the token is not one (for providers and tests). */
export function readUnsignedJwt(
  token: string,
): { readonly header: Record<string, unknown>; readonly payload: Record<string, unknown> } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[2] !== '') return undefined;
  try {
    const [header, payload] = parts
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as unknown);
    if (!isObject(header) || !isObject(payload)) return undefined;
    return { header, payload };
  } catch {
    return undefined;
  }
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
