import { attr, child, childElements, parseXml, serializeXml, type XmlElement } from '../../xml/index.ts';
import type { StatementAccount } from '../fidelity.ts';
import { fhirId } from './fhir-id.ts';
import { type StatementScope, statementId } from './statement.ts';

/** A MedicationStatement being mapped: its element and the scope of its composition. */
export interface FoundMedication {
  readonly statement: XmlElement;
  readonly scope: StatementScope;
}

/**
 * A MedicationStatement kept from the walk until the whole record is read. Its tree is kept as text and read
 * again when mapped: a medication-heavy record would otherwise hold most of its tree to the end.
 */
export interface KeptMedication {
  readonly text: string;
  readonly scope: StatementScope;
  readonly id: string | undefined;
  /** Its fidelity account, settled once it is mapped. */
  readonly account: StatementAccount;
  /** Its prescriptions, kept as elements: the prescription phase then needs no second reading. */
  readonly prescribes: readonly PlacedSupply[];
}

/** A supply and its position among its statement's supplies. */
export interface PlacedSupply {
  readonly supply: XmlElement;
  readonly position: number;
}

/** One ehrSupplyPrescribe, as the authorisation it fulfils needs it. */
export interface FoundPrescribe {
  readonly prescribe: XmlElement;
  /** Its statement's availabilityTime: the issue date where the prescription gives none. */
  readonly statementTime: XmlElement | undefined;
  /** `<statement>:<supply>` positions: names the supply in a statement read again. */
  readonly key: string;
}

/**
 * Cross-statement links between supplies, built as the walk meets each MedicationStatement: which prescriptions
 * fulfil which authorisation, and which discontinuation ends it. Linking by map keeps the whole mapping linear;
 * only the supplies another statement needs are kept as elements.
 */
export class MedicationIndex {
  /** The statements, in document order. */
  readonly kept: KeptMedication[] = [];
  /** Authorisation id → the prescriptions issued against it, in document order. */
  readonly prescribesByAuthorise = new Map<string, FoundPrescribe[]>();
  /** Authorisation id → its first discontinuation. */
  readonly discontinueByAuthorise = new Map<string, XmlElement>();
  /** Authorisation id → acute (repeatNumber 0) or not, to type a prescription. */
  private readonly acute = new Map<string, boolean>();

  /** Indexes a statement's supplies and keeps it for mapping. */
  add(statement: XmlElement, scope: StatementScope, account: StatementAccount): void {
    const ordinal = this.kept.length;
    const statementTime = child(statement, 'availabilityTime');
    const prescribes: PlacedSupply[] = [];
    suppliesOf(statement).forEach((supply, i) => {
      if (supply.local === 'ehrSupplyAuthorise') {
        const id = fhirId(attr(supply, 'root', 'id'));
        if (id) this.acute.set(id, attr(child(supply, 'repeatNumber'), 'value') === '0');
      } else if (supply.local === 'ehrSupplyPrescribe') {
        prescribes.push({ supply, position: i });
        const target = fhirId(attr(supply, 'root', 'inFulfillmentOf/priorMedicationRef/id'));
        if (!target) return;
        const list = this.prescribesByAuthorise.get(target) ?? [];
        list.push({ prescribe: supply, statementTime, key: `${ordinal}:${i}` });
        this.prescribesByAuthorise.set(target, list);
      } else if (supply.local === 'ehrSupplyDiscontinue') {
        const target = fhirId(attr(supply, 'root', 'reversalOf/priorMedicationRef/id'));
        if (target && !this.discontinueByAuthorise.has(target))
          this.discontinueByAuthorise.set(target, supply);
      }
    });
    this.kept.push({ text: serializeXml(statement), scope, id: statementId(statement), account, prescribes });
  }

  /** True where the authorisation is acute (repeatNumber 0). */
  isAcute(authoriseId: string | undefined): boolean {
    return authoriseId !== undefined && this.acute.get(authoriseId) === true;
  }
}

/** A kept statement's tree, read again from its text (only local names and attributes are read from it). */
export function loadMedication(kept: KeptMedication): FoundMedication {
  return { statement: parseXml(kept.text).root, scope: kept.scope };
}

/** The supply elements (authorise, prescribe, discontinue) of a MedicationStatement, in document order. */
export function suppliesOf(statement: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of childElements(statement, 'component')) {
    for (const s of childElements(c)) if (s.local.startsWith('ehrSupply')) out.push(s);
  }
  return out;
}
