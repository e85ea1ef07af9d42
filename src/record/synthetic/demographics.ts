import { checkDigit } from '../../common/nhs-number.ts';
import {
  FAMILY_NAMES,
  FEMALE_GIVEN,
  INWARD_LETTERS,
  MALE_GIVEN,
  STREET_KINDS,
  STREET_NAMES,
  TOWNS,
  UNISEX_GIVEN,
} from './people-names.ts';
import { SeededRandom } from './random.ts';
import { DAY_MS, ukDate } from './uk-time.ts';

/** Administrative gender, as PDS and GP Connect record it. */
export type SyntheticGender = 'male' | 'female' | 'other' | 'unknown';

/** A home address: street lines then town, and the postcode. */
export interface SyntheticAddress {
  readonly line: readonly string[];
  readonly postalCode: string;
}

/** A phone number (Ofcom drama ranges) or an e-mail address at example.com. */
export interface SyntheticContact {
  readonly system: 'phone' | 'email';
  readonly value: string;
  readonly use?: 'home' | 'work' | 'mobile';
}

/** A registration with a GP practice; the current one has no end. */
export interface SyntheticRegistration {
  readonly ods: string;
  /** YYYY-MM-DD. */
  readonly start: string;
  readonly end?: string;
}

/**
 * An invented patient's demographics. The shape is the Spine simulator's PDS patient entry (`PdsPatientRecord`
 * in src/spine/pds/pds-types.ts) field for field, so a list of these loads straight into the simulator; it is
 * declared here because record/ may not import spine/ (a test holds the two shapes together).
 */
export interface SyntheticPatient {
  /** In the 999 test range, passing the modulus 11 check. */
  readonly nhsNumber: string;
  readonly family: string;
  readonly given: readonly string[];
  readonly prefix?: string;
  readonly gender: SyntheticGender;
  /** YYYY-MM-DD. */
  readonly birthDate: string;
  readonly address: SyntheticAddress;
  readonly telecom: readonly SyntheticContact[];
  /** One registration: the current one, at the practice asked for. */
  readonly registrations: readonly SyntheticRegistration[];
}

/** The date generated records and registrations run up to, unless a caller says otherwise. */
export const DEFAULT_AS_OF = '2026-01-01T00:00:00Z';

/** How many 999-range NHS numbers pass the check: the most patients one population can hold. */
const BODIES = 1_000_000;

/**
 * The test-range NHS number at or after a nine-digit body `999nnnnnn` (skipping the bodies modulus 11 gives
 * no check digit for), and the body it settled on.
 *
 * @example
 * testRangeNhsNumber(1) // { nhsNumber: '9990000018', body: 1 }
 */
export function testRangeNhsNumber(body: number): { nhsNumber: string; body: number } {
  for (let b = body % BODIES, tries = 0; tries < 11; b = (b + 1) % BODIES, tries++) {
    const nine = `999${String(b).padStart(6, '0')}`;
    const check = checkDigit(nine);
    if (check !== undefined) return { nhsNumber: `${nine}${check}`, body: b };
  }
  throw new Error('no check digit in 11 consecutive bodies'); // modulus 11 cannot do this
}

/**
 * `count` invented patients registered at `practiceOds`, each with a distinct NHS number in the 999 test range
 * (consecutive valid numbers from a seeded start). Load them into the Spine simulator's PDS as they are.
 *
 * @example
 * const patients = generatePatients(7, 100, 'A12345');
 * await SpineSimulator.start({ patients, ... });
 * generateRecord({ seed: 7_000 + i, patient: patients[i], practiceOds: 'A12345' });
 */
export function generatePatients(
  seed: number,
  count: number,
  practiceOds: string,
  options: { readonly asOf?: string } = {},
): SyntheticPatient[] {
  if (!Number.isInteger(count) || count < 0 || count > 900_000)
    throw new RangeError(`patients must number 0 to 900000 (the 999 test range), not ${count}`);
  const random = new SeededRandom(seed).fork('patients');
  const asOf = parseAsOf(options.asOf);
  let body = random.int(0, BODIES - 1);
  const out: SyntheticPatient[] = [];
  for (let i = 0; i < count; i++) {
    const number = testRangeNhsNumber(body);
    body = number.body + 1;
    out.push(syntheticPatient(random, number.nhsNumber, practiceOds, asOf));
  }
  return out;
}

/** The instant of an `asOf` option (default {@link DEFAULT_AS_OF}); a clear error for one that is no date. */
export function parseAsOf(asOf: string | undefined): number {
  const ms = Date.parse(asOf ?? DEFAULT_AS_OF);
  if (Number.isNaN(ms)) throw new RangeError(`asOf is not a date: ${asOf}`);
  return ms;
}

/** Age bands of a list (years from, years to, share): roughly England's registered population. */
const AGE_BANDS: readonly (readonly [readonly [number, number], number])[] = [
  [[0, 17], 20],
  [[18, 39], 30],
  [[40, 64], 32],
  [[65, 84], 15],
  [[85, 99], 3],
];

/** One invented patient drawn from `random`, with the given NHS number and practice. */
export function syntheticPatient(
  random: SeededRandom,
  nhsNumber: string,
  practiceOds: string,
  asOf: number,
): SyntheticPatient {
  const gender = random.weighted<SyntheticGender>([
    ['female', 505],
    ['male', 490],
    ['other', 5],
  ]);
  const [youngest, oldest] = random.weighted(AGE_BANDS);
  const age = random.int(youngest, oldest);
  const birth = asOf - (age * 365.25 + random.int(1, 364)) * DAY_MS;
  const names = gender === 'female' ? FEMALE_GIVEN : gender === 'male' ? MALE_GIVEN : UNISEX_GIVEN;
  const given = random.chance(0.4) ? [random.pick(names), random.pick(names)] : [random.pick(names)];
  const family = random.pick(FAMILY_NAMES);
  const prefix = age < 16 ? undefined : prefixFor(random, gender);
  const town = random.pick(TOWNS);
  const address: SyntheticAddress = {
    line: [`${random.int(1, 180)} ${random.pick(STREET_NAMES)} ${random.pick(STREET_KINDS)}`, town.name],
    postalCode: postcode(random, town),
  };
  const telecom: SyntheticContact[] = [];
  if (random.chance(0.6)) telecom.push({ system: 'phone', value: landline(random), use: 'home' });
  if (age >= 12 && random.chance(0.85))
    telecom.push({ system: 'phone', value: mobile(random), use: 'mobile' });
  if (age >= 16 && random.chance(0.3))
    telecom.push({ system: 'email', value: email(given[0] ?? 'patient', family, random), use: 'home' });
  // Registered here for up to 30 years, never before birth.
  const registered = Math.max(birth, asOf - random.lognormal(8, 0.8) * 365.25 * DAY_MS);
  return {
    nhsNumber,
    family,
    given,
    ...(prefix ? { prefix } : {}),
    gender,
    birthDate: ukDate(birth),
    address,
    telecom,
    registrations: [{ ods: practiceOds, start: ukDate(Math.max(registered, asOf - 30 * 365.25 * DAY_MS)) }],
  };
}

function prefixFor(random: SeededRandom, gender: SyntheticGender): string {
  if (random.chance(0.02)) return 'Dr';
  if (gender === 'male') return 'Mr';
  if (gender === 'female')
    return random.weighted([
      ['Mrs', 45],
      ['Ms', 35],
      ['Miss', 20],
    ]);
  return 'Mx';
}

/** A postcode in the town's area: district, then an inward unit (digit and two letters). */
function postcode(random: SeededRandom, town: (typeof TOWNS)[number]): string {
  const letter = () => INWARD_LETTERS[random.int(0, INWARD_LETTERS.length - 1)];
  return `${town.area}${random.int(1, town.districts)} ${random.int(1, 9)}${letter()}${letter()}`;
}

/** A landline in Ofcom's drama range 01632 960000–960999. */
export function landline(random: SeededRandom): string {
  return `01632 960${String(random.int(0, 999)).padStart(3, '0')}`;
}

/** A mobile number in Ofcom's drama range 07700 900000–900999. */
export function mobile(random: SeededRandom): string {
  return `07700 900${String(random.int(0, 999)).padStart(3, '0')}`;
}

function email(given: string, family: string, random: SeededRandom): string {
  const ascii = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');
  return `${ascii(given)}.${ascii(family)}${random.int(1, 99)}@example.com`;
}
