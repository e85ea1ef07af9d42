import { attr, child, childElements, type XmlElement } from '../../xml/index.ts';
import { fhirId } from './fhir-id.ts';
import type { StatementScope } from './statement.ts';

/** A MedicationStatement as found in the walk, with the scope of its composition. */
export interface FoundMedication {
  readonly statement: XmlElement;
  readonly scope: StatementScope;
}

/** One ehrSupplyPrescribe and the statement it came in. */
export interface FoundPrescribe {
  readonly prescribe: XmlElement;
  readonly found: FoundMedication;
}

/**
 * Cross-statement links between supplies, built once over every MedicationStatement: which prescriptions
 * fulfil which authorisation, and which discontinuation ends it. Linking by map keeps the whole mapping linear.
 */
export class MedicationIndex {
  /** Authorisation id → the prescriptions issued against it, in document order. */
  readonly prescribesByAuthorise = new Map<string, FoundPrescribe[]>();
  /** Authorisation id → its first discontinuation. */
  readonly discontinueByAuthorise = new Map<string, XmlElement>();
  /** Authorisation id → the element, to tell acute from repeat when mapping a prescription. */
  readonly authorises = new Map<string, XmlElement>();

  constructor(found: readonly FoundMedication[]) {
    for (const f of found) {
      for (const supply of suppliesOf(f.statement)) {
        if (supply.local === 'ehrSupplyAuthorise') {
          const id = fhirId(attr(supply, 'root', 'id'));
          if (id) this.authorises.set(id, supply);
        } else if (supply.local === 'ehrSupplyPrescribe') {
          const target = fhirId(attr(supply, 'root', 'inFulfillmentOf/priorMedicationRef/id'));
          if (!target) continue;
          const list = this.prescribesByAuthorise.get(target) ?? [];
          list.push({ prescribe: supply, found: f });
          this.prescribesByAuthorise.set(target, list);
        } else if (supply.local === 'ehrSupplyDiscontinue') {
          const target = fhirId(attr(supply, 'root', 'reversalOf/priorMedicationRef/id'));
          if (target && !this.discontinueByAuthorise.has(target))
            this.discontinueByAuthorise.set(target, supply);
        }
      }
    }
  }

  /** True where the authorisation is acute (repeatNumber 0). */
  isAcute(authoriseId: string | undefined): boolean {
    if (!authoriseId) return false;
    const auth = this.authorises.get(authoriseId);
    return attr(child(auth, 'repeatNumber'), 'value') === '0';
  }
}

/** The supply elements (authorise, prescribe, discontinue) of a MedicationStatement, in document order. */
export function suppliesOf(statement: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of childElements(statement, 'component')) {
    for (const s of childElements(c)) if (s.local.startsWith('ehrSupply')) out.push(s);
  }
  return out;
}
