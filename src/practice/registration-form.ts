import { isValidNhsNumber } from '../common/nhs-number.ts';
import type { Gender } from '../spine/index.ts';
import { type FieldError, field, type Parsed } from './form-errors.ts';

/** What the registration clerk typed: the mandatory demographics, and the NHS number where the patient knows it. */
export interface TraceRequest {
  readonly nhsNumber?: string;
  readonly family: string;
  readonly given: string;
  /** YYYY-MM-DD. */
  readonly birthDate: string;
  readonly gender: Gender;
  /** Upper case with one space before the inward code. */
  readonly postalCode: string;
}

const NAME = /^[\p{L}][\p{L}' ’.-]*$/u;
const POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})$/;
const GENDERS: readonly Gender[] = ['female', 'male', 'other', 'unknown'];

/**
 * Checks the trace form: every mandatory field present and well-formed (the NHS number by modulus 11, a real
 * date of birth not in the future, a UK postcode), with NHS.UK-style messages.
 *
 * @example
 * parseTraceForm({ family: 'Smith', given: 'Jo', 'dob[day]': '1', 'dob[month]': '2', 'dob[year]': '1980', gender: 'female', postcode: 'ls1 4ap' }, Date.now())
 */
export function parseTraceForm(body: Readonly<Record<string, unknown>>, now: number): Parsed<TraceRequest> {
  const errors: FieldError[] = [];
  const nhsRaw = field(body, 'nhsNumber').replace(/[\s-]/g, '');
  if (nhsRaw && !/^\d{10}$/.test(nhsRaw))
    errors.push({ field: 'nhsNumber', message: 'NHS number must be 10 digits' });
  else if (nhsRaw && !isValidNhsNumber(nhsRaw))
    errors.push({ field: 'nhsNumber', message: 'Enter a valid NHS number: this one fails its check digit' });

  const family = field(body, 'family');
  const given = field(body, 'given');
  for (const [name, value, label] of [
    ['family', family, 'last name'],
    ['given', given, 'first name'],
  ] as const) {
    if (!value) errors.push({ field: name, message: `Enter the patient’s ${label}` });
    else if (value.length > 35)
      errors.push({ field: name, message: `The ${label} must be 35 characters or fewer` });
    else if (!NAME.test(value))
      errors.push({
        field: name,
        message: `The ${label} must only include letters, spaces, hyphens and apostrophes`,
      });
  }

  const birthDate = parseBirthDate(body, now);
  if (typeof birthDate !== 'string') errors.push(birthDate);

  const gender = field(body, 'gender') as Gender;
  if (!GENDERS.includes(gender)) errors.push({ field: 'gender', message: 'Select the patient’s sex' });

  const postcode = field(body, 'postcode').toUpperCase().replace(/\s+/g, ' ');
  const pc = POSTCODE.exec(postcode);
  if (!postcode) errors.push({ field: 'postcode', message: 'Enter the patient’s postcode' });
  else if (!pc) errors.push({ field: 'postcode', message: 'Enter a real postcode, like LS1 4AP' });

  if (errors.length > 0 || typeof birthDate !== 'string' || !pc) return { ok: false, errors };
  return {
    ok: true,
    value: {
      ...(nhsRaw ? { nhsNumber: nhsRaw } : {}),
      family,
      given,
      birthDate,
      gender,
      postalCode: `${pc[1]} ${pc[2]}`,
    },
  };
}

function parseBirthDate(body: Readonly<Record<string, unknown>>, now: number): string | FieldError {
  const day = field(body, 'dob[day]');
  const month = field(body, 'dob[month]');
  const year = field(body, 'dob[year]');
  const e = (message: string): FieldError => ({ field: 'dob-day', message });
  if (!day && !month && !year) return e('Enter the patient’s date of birth');
  if (!day || !month || !year)
    return e(`Date of birth must include a ${!day ? 'day' : !month ? 'month' : 'year'}`);
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year))
    return e('Date of birth must be a real date, like 31 3 1980');
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso)
    return e('Date of birth must be a real date, like 31 3 1980');
  if (d.getTime() > now) return e('Date of birth must be today or in the past');
  if (Number(year) < 1900) return e('Date of birth must be after 1900');
  return iso;
}

/**
 * Formats an NHS number as staff read it: 3, 3 and 4 digits.
 *
 * @example
 * formatNhsNumber('9990000018') // '999 000 0018'
 */
export function formatNhsNumber(nhs: string): string {
  return /^\d{10}$/.test(nhs) ? `${nhs.slice(0, 3)} ${nhs.slice(3, 6)} ${nhs.slice(6)}` : nhs;
}
