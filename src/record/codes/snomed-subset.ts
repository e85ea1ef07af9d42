/**
 * A small curated SNOMED CT subset: the concepts the translation needs to recognise by id (immunisations,
 * blood pressure parts, GP Connect list and section codes, degrade codes). Preferred terms follow the UK
 * edition (SNOMED CT UK Clinical Edition, as used by the NHS requesting adaptor's expected bundles in
 * corpus/ehr-extract-expected-fhir); immunisations are recognised by the code list in
 * `data/immunisation-codes.tsv` (`immunisation-codes.ts`). Anything not here is still carried; the subset only
 * adds preferred terms and classification.
 */

/** A concept we know: id and preferred term. */
export interface SnomedConcept {
  readonly id: string;
  readonly term: string;
}

const CONCEPTS: readonly SnomedConcept[] = [
  // Immunisations seen in supplier extracts (PWTP5, PWTP6).
  { id: '38598009', term: 'Administration of measles and mumps and rubella vaccine' },
  {
    id: '414259000',
    term: 'Administration of first dose of diphtheria and Haemophilus influenza type b and five component acellular pertussis and inactivated poliomyelitis and tetanus vaccine',
  },
  {
    id: '415507003',
    term: 'Administration of second dose of diphtheria and Haemophilus influenza type b and five component acellular pertussis and inactivated poliomyelitis and tetanus vaccine',
  },
  {
    id: '415712004',
    term: 'Administration of third dose of diphtheria and Haemophilus influenza type b and five component acellular pertussis and inactivated poliomyelitis and tetanus vaccine',
  },
  { id: '247631000000101', term: 'First pneumococcal conjugated vaccination' },
  { id: '247641000000105', term: 'Second pneumococcal conjugated vaccination' },
  { id: '314414007', term: 'Administration of first dose of meningitis C vaccine' },
  { id: '314415008', term: 'Administration of second dose of meningitis C vaccine' },
  {
    id: '428975001',
    term: 'Administration of Haemophilus influenzae type b and meningitis C vaccine',
  },
  { id: '86198006', term: 'Influenza vaccination' },
  // Immunisations in EMIS Web GP Connect records (corpus/gpc-structured: Magre, Livermore); all three sit under
  // 127785005 "Administration to produce immunity", one of the roots of the adaptor's vaccination set.
  { id: '170370000', term: 'First hepatitis B vaccination' },
  { id: '822851000000102', term: 'Seasonal influenza vaccination' },
  { id: '170433008', term: 'Measles mumps and rubella vaccination - second dose' },
  { id: '33879002', term: 'Administration of vaccine to produce active immunity' },
  // Blood pressure: the battery and its two halves.
  { id: '75367002', term: 'Blood pressure' },
  { id: '163020007', term: 'O/E - blood pressure reading' },
  { id: '271649006', term: 'Systolic blood pressure' },
  { id: '72313002', term: 'Systolic arterial pressure' },
  { id: '271650006', term: 'Diastolic blood pressure' },
  { id: '1091811000000102', term: 'Diastolic arterial pressure' },
  // GP Connect list and record-structure codes.
  { id: '325851000000107', term: 'Consultation' },
  { id: '24591000000103', term: 'Other report' },
  { id: '25671000000102', term: 'Surgery consultation note' },
  { id: '394730007', term: 'Healthcare related organisation' },
  { id: '37331000000100', term: 'Comment note' },
  { id: '123038009', term: 'Specimen' },
];

const BY_ID: ReadonlyMap<string, SnomedConcept> = new Map(CONCEPTS.map((c) => [c.id, c]));

/** The curated concept for a SNOMED id, if it is in the subset. */
export function snomedConcept(id: string | undefined): SnomedConcept | undefined {
  return id === undefined ? undefined : BY_ID.get(id);
}
