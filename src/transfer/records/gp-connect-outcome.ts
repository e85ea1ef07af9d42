/** The Spine error code and diagnostics of a GP Connect OperationOutcome (e.g. `PATIENT_NOT_FOUND`). */
export interface GpConnectOutcome {
  readonly code: string;
  readonly diagnostics?: string;
}

/**
 * The first issue's Spine error code from an OperationOutcome, or undefined for anything else.
 *
 * @example
 * gpConnectOutcome({ resourceType: 'OperationOutcome', issue: [{ details: { coding: [{ code: 'PATIENT_NOT_FOUND' }] } }] })
 * // { code: 'PATIENT_NOT_FOUND' }
 */
export function gpConnectOutcome(json: unknown): GpConnectOutcome | undefined {
  const oo = json as {
    resourceType?: unknown;
    issue?: { details?: { coding?: { code?: unknown }[] }; diagnostics?: unknown }[];
  } | null;
  if (oo?.resourceType !== 'OperationOutcome' || !Array.isArray(oo.issue)) return undefined;
  for (const issue of oo.issue) {
    const coding = Array.isArray(issue?.details?.coding) ? issue.details.coding : [];
    const code = coding.find((c) => typeof c?.code === 'string')?.code;
    if (typeof code !== 'string') continue;
    const diagnostics = typeof issue.diagnostics === 'string' ? issue.diagnostics.slice(0, 200) : undefined;
    return diagnostics ? { code, diagnostics } : { code };
  }
  return undefined;
}

/** The system GP Connect's OperationOutcomes name their Spine error codes by. */
export const SPINE_ERROR_CODE_SYSTEM = 'https://fhir.nhs.uk/STU3/ValueSet/Spine-ErrorOrWarningCode-1';

/**
 * A GP Connect-style OperationOutcome (for providers and tests).
 *
 * @example
 * operationOutcome('PATIENT_NOT_FOUND', 'not-found', 'Patient not found')
 */
export function operationOutcome(
  code: string,
  issueCode: string,
  display: string,
  diagnostics?: string,
): object {
  return {
    resourceType: 'OperationOutcome',
    meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1'] },
    issue: [
      {
        severity: 'error',
        code: issueCode,
        details: { coding: [{ system: SPINE_ERROR_CODE_SYSTEM, code, display }] },
        ...(diagnostics ? { diagnostics } : {}),
      },
    ],
  };
}
