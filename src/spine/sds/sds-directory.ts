import type {
  DirectoryLookup,
  Gp2gpReadiness,
  InteractionReliability,
  PracticeDirectoryEntry,
  SpineDirectory,
} from './sds-types.ts';

/**
 * The simulator's directory, in memory: entries indexed by ODS code, party key and ASID. Endpoints can be
 * set after start, because practice adaptors listen on ports chosen at run time.
 */
export class SdsDirectory implements SpineDirectory {
  private readonly byOdsCode = new Map<string, PracticeDirectoryEntry>();
  private readonly byParty = new Map<string, PracticeDirectoryEntry>();
  private readonly byAsidCode = new Map<string, PracticeDirectoryEntry>();

  constructor(entries: readonly PracticeDirectoryEntry[] = []) {
    for (const e of entries) this.put(e);
  }

  /** Adds or replaces an entry (the old party key and ASID stop resolving). */
  put(entry: PracticeDirectoryEntry): void {
    const old = this.byOdsCode.get(entry.ods);
    if (old) {
      this.byParty.delete(old.partyKey);
      this.byAsidCode.delete(old.asid);
    }
    this.byOdsCode.set(entry.ods, entry);
    this.byParty.set(entry.partyKey, entry);
    this.byAsidCode.set(entry.asid, entry);
  }

  /** Points a practice at its MHS inbound URL; false when the ODS code is unknown. */
  setEndpoint(ods: string, endpoint: string): boolean {
    const e = this.byOdsCode.get(ods);
    if (!e) return false;
    this.put({ ...e, endpoint });
    return true;
  }

  /** Every entry, in ODS order. */
  entries(): PracticeDirectoryEntry[] {
    return [...this.byOdsCode.values()].sort((a, b) => a.ods.localeCompare(b.ods));
  }

  /** Synchronous lookup by party key, for the router's hot path. */
  partySync(partyKey: string): PracticeDirectoryEntry | undefined {
    return this.byParty.get(partyKey);
  }

  /** Synchronous lookup by ODS code. */
  odsSync(ods: string): PracticeDirectoryEntry | undefined {
    return this.byOdsCode.get(ods);
  }

  async byOds(ods: string): Promise<DirectoryLookup> {
    return found(this.byOdsCode.get(ods));
  }

  async byPartyKey(partyKey: string): Promise<DirectoryLookup> {
    return found(this.byParty.get(partyKey));
  }

  async byAsid(asid: string): Promise<DirectoryLookup> {
    return found(this.byAsidCode.get(asid));
  }
}

function found(entry: PracticeDirectoryEntry | undefined): DirectoryLookup {
  return entry ? { kind: 'found', entry } : { kind: 'not-found' };
}

/** Whether the practice can send or receive GP2GP: in England, live, and reachable. */
export function gp2gpReadiness(entry: PracticeDirectoryEntry): Gp2gpReadiness {
  if (entry.country !== 'England') return { ready: false, reason: 'not-england' };
  if (!entry.gp2gpLive) return { ready: false, reason: 'not-live' };
  if (!entry.endpoint) return { ready: false, reason: 'no-endpoint' };
  return { ready: true };
}

/** The reliability for an interaction ID (bare, `urn:nhs:names:services:gp2gp:ID` or `…/ID`), or the fallback. */
export function reliabilityFor(
  entry: PracticeDirectoryEntry,
  interactionId: string,
  fallback: InteractionReliability,
): InteractionReliability {
  const bare = interactionId.replace(/^.*[:/]/, '');
  return entry.interactions[bare] ?? fallback;
}
