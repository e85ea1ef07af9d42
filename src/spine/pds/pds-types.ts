/** Administrative gender as PDS records it. */
export type Gender = 'male' | 'female' | 'other' | 'unknown';

/** A period of registration with a GP practice; the current one has no end. */
export interface GpRegistration {
  /** ODS code of the practice. */
  readonly ods: string;
  /** First day of the registration (YYYY-MM-DD). */
  readonly start: string;
  /** Day the patient left (YYYY-MM-DD), absent for the current registration. */
  readonly end?: string;
}

/** A postal address (home). */
export interface PdsAddress {
  readonly line: readonly string[];
  readonly postalCode: string;
}

/** A phone number or email address. */
export interface PdsContact {
  readonly system: 'phone' | 'email';
  readonly value: string;
  readonly use?: 'home' | 'work' | 'mobile';
}

/** A patient's demographic record as the simulator holds it (everything, before any redaction). */
export interface PdsPatientRecord {
  readonly nhsNumber: string;
  readonly family: string;
  readonly given: readonly string[];
  readonly prefix?: string;
  readonly gender: Gender;
  /** YYYY-MM-DD. */
  readonly birthDate: string;
  /** Date and time of death; a deceased patient cannot be registered anywhere. */
  readonly deceasedDateTime?: string;
  readonly address?: PdsAddress;
  readonly telecom?: readonly PdsContact[];
  /** S-flag (sensitive): PDS hides address, contacts and registered GP from every reader. */
  readonly restricted?: boolean;
  /** Registrations oldest first; the last one without an end is the current GP. */
  readonly registrations: readonly GpRegistration[];
}

/** What a client sees of a patient after PDS's redaction rules: the demographics, less what the rules hide. */
export interface PdsPatientView extends Omit<PdsPatientRecord, 'restricted' | 'registrations'> {
  readonly restricted: boolean;
  /** ODS code of the current GP practice; absent when none, or hidden for a restricted patient. */
  readonly generalPractitionerOds?: string;
  /** Day the current registration began. */
  readonly registeredSince?: string;
  /** Resource version, to send back in If-Match when updating. */
  readonly versionId: number;
}

/** The mandatory demographics for a trace without an NHS number. */
export interface DemographicQuery {
  readonly family: string;
  readonly given: string;
  /** YYYY-MM-DD. */
  readonly birthDate: string;
  readonly gender: Gender;
  readonly postalCode: string;
}

/**
 * The outcome of a trace: exactly one patient, nobody, or several candidates (which is "refine your search",
 * never a guess).
 */
export type TraceOutcome =
  | { readonly kind: 'match'; readonly patient: PdsPatientView }
  | { readonly kind: 'no-match' }
  | { readonly kind: 'multiple-matches' }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'unavailable'; readonly message: string };

/** The outcome of a registration update. */
export type RegistrationOutcome =
  | { readonly kind: 'registered'; readonly patient: PdsPatientView }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'deceased' }
  | { readonly kind: 'version-mismatch'; readonly currentVersion: number }
  | { readonly kind: 'forbidden'; readonly message: string }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'unavailable'; readonly message: string };
