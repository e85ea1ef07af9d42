import { syntheticNhsNumber } from '../../common/nhs-number.ts';
import type { PdsPatientRecord } from '../pds/pds-types.ts';
import { DEFAULT_RELIABILITY } from '../sds/sds-config.ts';
import type { InteractionReliability, PracticeDirectoryEntry } from '../sds/sds-types.ts';
import { GP2GP_INTERACTIONS } from '../sds/sds-types.ts';

function interactions(
  r: InteractionReliability = DEFAULT_RELIABILITY,
): Record<string, InteractionReliability> {
  return Object.fromEntries(GP2GP_INTERACTIONS.map((id) => [id, r]));
}

/**
 * A synthetic practice entry: ODS `code`, ASID `999000000` + `n`, party key `code-9000` + `n`. The codes are
 * made up for the simulator and belong to no real practice.
 */
export function samplePractice(
  code: string,
  n: number,
  overrides: Partial<PracticeDirectoryEntry> = {},
): PracticeDirectoryEntry {
  const suffix = String(n).padStart(3, '0');
  return {
    ods: code,
    name: `Simulated practice ${code}`,
    supplier: n % 2 ? 'SupplierA' : 'SupplierB',
    country: 'England',
    asid: `999000000${suffix}`,
    partyKey: `${code}-900${suffix}`,
    gp2gpLive: true,
    largeMessageCompliant: true,
    interactions: interactions(),
    ...overrides,
  };
}

/** The network `gp2gp spine` starts with when given no config: four practices, one of them in Wales. */
export function samplePractices(): PracticeDirectoryEntry[] {
  return [
    samplePractice('SIMA01', 1),
    samplePractice('SIMB02', 2),
    samplePractice('SIMC03', 3, { largeMessageCompliant: false }),
    samplePractice('SIMW04', 4, { country: 'Wales' }),
  ];
}

/** A few synthetic patients covering the PDS cases: ordinary, restricted, deceased, and two look-alikes. */
export function samplePatients(): PdsPatientRecord[] {
  const at = (n: number) => syntheticNhsNumber(n);
  const home = (postalCode: string) => ({ line: ['1 Simulation Street', 'Testtown'], postalCode });
  return [
    {
      nhsNumber: at(0),
      family: 'Fairweather',
      given: ['Alys', 'May'],
      gender: 'female',
      birthDate: '1984-03-12',
      address: home('LS1 4AP'),
      telecom: [{ system: 'phone', value: '01632 960001', use: 'home' }],
      registrations: [{ ods: 'SIMA01', start: '2015-06-01' }],
    },
    {
      nhsNumber: at(1),
      family: 'Okonjo',
      given: ['Ben'],
      gender: 'male',
      birthDate: '1971-11-02',
      address: home('LS2 7EW'),
      telecom: [{ system: 'phone', value: '07700 900002', use: 'mobile' }],
      restricted: true,
      registrations: [{ ods: 'SIMA01', start: '2019-01-15' }],
    },
    {
      nhsNumber: at(2),
      family: 'Hartley',
      given: ['Cerys'],
      gender: 'female',
      birthDate: '1932-07-30',
      deceasedDateTime: '2024-02-01T10:00:00+00:00',
      address: home('LS6 2QA'),
      registrations: [{ ods: 'SIMB02', start: '1999-09-09' }],
    },
    {
      // two people alike in every traced field: a demographic trace must find neither
      nhsNumber: at(3),
      family: 'Twin',
      given: ['Dana'],
      gender: 'female',
      birthDate: '2001-05-05',
      address: home('LS3 1AB'),
      registrations: [{ ods: 'SIMB02', start: '2001-05-20' }],
    },
    {
      nhsNumber: at(4),
      family: 'Twin',
      given: ['Dana'],
      gender: 'female',
      birthDate: '2001-05-05',
      address: home('LS3 1AB'),
      registrations: [{ ods: 'SIMA01', start: '2001-05-20' }],
    },
  ];
}
