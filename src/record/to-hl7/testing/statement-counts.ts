/** Statement kinds the comparison counts, as element names. */
export const STATEMENT_KINDS = [
  'ehrComposition',
  'CompoundStatement',
  'ObservationStatement',
  'NarrativeStatement',
  'PlanStatement',
  'RequestStatement',
  'LinkSet',
  'MedicationStatement',
  'ehrSupplyAuthorise',
  'ehrSupplyPrescribe',
  'ehrSupplyDiscontinue',
  'referredToExternalDocument',
  'specimen',
] as const;

/** One of the counted kinds. */
export type StatementKindName = (typeof STATEMENT_KINDS)[number];

/**
 * Start tags of each statement kind in an extract, counted textually because some reference outputs in the
 * corpus are not well-formed XML (unbound xsi prefix, a stray close tag) yet still count.
 */
export function countStatements(xml: string): Record<StatementKindName, number> {
  const out = {} as Record<StatementKindName, number>;
  for (const kind of STATEMENT_KINDS)
    out[kind] = (xml.match(new RegExp(`<(?:[A-Za-z]+:)?${kind}[\\s>/]`, 'g')) ?? []).length;
  return out;
}

/** Count of CompoundStatements with a given classCode. */
export function countCompound(xml: string, classCode: string): number {
  return (xml.match(new RegExp(`<CompoundStatement[^>]*classCode="${classCode}"`, 'g')) ?? []).length;
}
