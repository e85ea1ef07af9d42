import type { CodeableConcept, Immunization } from 'fhir/r3.js';

/**
 * An ObservationStatement has no element for a vaccination's batch, expiry, site, route, dose, reasons or the
 * vaccine product, so GP2GP senders (the NHS sending adaptor, and our writer) put them in the note as labelled
 * lines ("Batch: AB123", "Site: Left arm"). This reads those lines back into the Immunization's fields.
 */

/** Sets the Immunization's fields from the labelled lines of one note; returns the note's other lines. */
export function takeImmunizationFacts(imm: Immunization, note: string): string {
  const rest: string[] = [];
  for (const line of note.split('\n')) {
    if (!takeLine(imm, line.trim())) rest.push(line);
  }
  return rest.join('\n').trim();
}

/** True where the line was a fact and is now a field. */
function takeLine(imm: Immunization, line: string): boolean {
  if (line === 'Not given') {
    imm.notGiven = true;
    return true;
  }
  const m = /^(Vaccine|Manufacturer|Batch|Expiration|Site|Route|Dose|Reason|Reason not given): (.+)$/.exec(
    line,
  );
  if (!m) return false;
  const label = m[1];
  const value = m[2] ?? '';
  const text = (t: string): CodeableConcept => ({ text: t });
  switch (label) {
    case 'Vaccine':
      imm.vaccineCode = text(value);
      return true;
    case 'Manufacturer':
      imm.manufacturer = { display: value };
      return true;
    case 'Batch':
      imm.lotNumber = value;
      return true;
    case 'Expiration':
      // Only a FHIR date goes back to the field; anything else stays note text.
      if (!/^\d{4}(-\d{2}(-\d{2})?)?$/.test(value)) return false;
      imm.expirationDate = value;
      return true;
    case 'Site':
      imm.site = text(value);
      return true;
    case 'Route':
      imm.route = text(value);
      return true;
    case 'Dose': {
      const dose = /^(-?\d+(?:\.\d+)?)(?: (.+))?$/.exec(value);
      if (!dose) return false;
      imm.doseQuantity = { value: Number(dose[1]), ...(dose[2] ? { unit: dose[2] } : {}) };
      return true;
    }
    case 'Reason':
      imm.explanation = { ...imm.explanation, reason: [...(imm.explanation?.reason ?? []), text(value)] };
      return true;
    default:
      imm.explanation = {
        ...imm.explanation,
        reasonNotGiven: [...(imm.explanation?.reasonNotGiven ?? []), text(value)],
      };
      return true;
  }
}
