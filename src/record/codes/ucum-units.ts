/**
 * The UCUM form of the units UK laboratories and GP systems write as text ("mmol/l", "x10^9/L", "mU/L"), so a
 * result's unit is a code a receiver can compute with, not only a label. The sender's text is kept beside it.
 * Sources: UCUM (unitsofmeasure.org) and the unit spellings of UK pathology reports; a unit not here is kept
 * as text only.
 */

const TABLE: Readonly<Record<string, string>> = {
  // Substance concentration
  'mol/l': 'mol/L',
  'mmol/l': 'mmol/L',
  'umol/l': 'umol/L',
  'µmol/l': 'umol/L',
  'nmol/l': 'nmol/L',
  'pmol/l': 'pmol/L',
  'mmol/mol': 'mmol/mol',
  'mmol/24hr': 'mmol/(24.h)',
  'mmol/24h': 'mmol/(24.h)',
  'mosm/kg': 'mosm/kg',
  // Mass concentration
  'g/l': 'g/L',
  'g/dl': 'g/dL',
  'mg/l': 'mg/L',
  'mg/dl': 'mg/dL',
  'ug/l': 'ug/L',
  'µg/l': 'ug/L',
  'mcg/l': 'ug/L',
  'ng/l': 'ng/L',
  'ng/ml': 'ng/mL',
  'pg/ml': 'pg/mL',
  'mg/mmol': 'mg/mmol',
  'mg/24hr': 'mg/(24.h)',
  'g/24hr': 'g/(24.h)',
  // Arbitrary and enzyme units
  'iu/l': '[IU]/L',
  'iu/ml': '[IU]/mL',
  'miu/l': 'm[IU]/L',
  'mu/l': 'm[IU]/L',
  'ku/l': 'k[IU]/L',
  'u/l': 'U/L',
  'u/ml': 'U/mL',
  // Counts
  'x10^9/l': '10*9/L',
  'x10*9/l': '10*9/L',
  '10^9/l': '10*9/L',
  '10*9/l': '10*9/L',
  'x10^12/l': '10*12/L',
  'x10*12/l': '10*12/L',
  '10^12/l': '10*12/L',
  '10*12/l': '10*12/L',
  'x10^6/l': '10*6/L',
  'cells/ul': '/uL',
  // Cells and volumes
  fl: 'fL',
  pg: 'pg',
  '%': '%',
  'l/l': 'L/L',
  ratio: '{ratio}',
  // Rates, times and pressures
  'ml/min/1.73m2': 'mL/min/{1.73_m2}',
  'ml/min/1.73m^2': 'mL/min/{1.73_m2}',
  'ml/min': 'mL/min',
  'mm/hr': 'mm/h',
  'mm/h': 'mm/h',
  s: 's',
  sec: 's',
  secs: 's',
  seconds: 's',
  kpa: 'kPa',
  mmhg: 'mm[Hg]',
  'mm hg': 'mm[Hg]',
  bpm: '/min',
  'beats/min': '/min',
  // Body measurements
  kg: 'kg',
  g: 'g',
  cm: 'cm',
  m: 'm',
  mm: 'mm',
  'kg/m2': 'kg/m2',
  'kg/m^2': 'kg/m2',
  l: 'L',
  ml: 'mL',
  'l/min': 'L/min',
};

/**
 * The UCUM code for a unit written as text, where it has one.
 *
 * @example
 * ucumCodeOf('mmol/l') // 'mmol/L'
 * ucumCodeOf('x10^9/L') // '10*9/L'
 * ucumCodeOf('cups') // undefined
 */
export function ucumCodeOf(text: string | undefined): string | undefined {
  const key = text?.trim().toLowerCase().replace(/\s+/g, ' ');
  return key !== undefined && Object.hasOwn(TABLE, key) ? TABLE[key] : undefined;
}
