import { readFileSync } from 'node:fs';
import { parsePatientsConfig } from '../pds/pds-config.ts';
import type { PdsPatientRecord } from '../pds/pds-types.ts';
import { parseDirectoryConfig } from '../sds/sds-config.ts';
import type { PracticeDirectoryEntry } from '../sds/sds-types.ts';
import type { TlsMode } from '../tls/tls-identity.ts';
import type { FaultPlan } from './fault-injector.ts';
import { FaultInjector } from './fault-injector.ts';

/** A simulator config file, validated. */
export interface SimulatorConfig {
  readonly host?: string;
  readonly port?: number;
  readonly tls?: TlsMode;
  readonly practices: readonly PracticeDirectoryEntry[];
  readonly patients: readonly PdsPatientRecord[];
  readonly faults?: FaultPlan;
}

/** A config, or every problem found in it. */
export type SimulatorConfigResult =
  | { readonly ok: true; readonly config: SimulatorConfig }
  | { readonly ok: false; readonly errors: readonly string[] };

/**
 * Validates a simulator config: `{ host?, port?, tls?: "mutual"|"off", sds: {defaults?, practices}, pds?: {patients},
 * faults?: {seed, rates, delayMs, …} }`.
 */
export function parseSimulatorConfig(value: unknown): SimulatorConfigResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, errors: ['config: expected a JSON object'] };
  const v = value as Record<string, unknown>;
  const errors: string[] = [];
  const sds = parseDirectoryConfig(v.sds ?? { practices: [] });
  if (!sds.ok) errors.push(...sds.errors);
  const pds = parsePatientsConfig(v.pds);
  if (!pds.ok) errors.push(...pds.errors);
  if (
    v.port !== undefined &&
    (!Number.isInteger(v.port) || (v.port as number) < 0 || (v.port as number) > 65535)
  )
    errors.push('port: 0..65535');
  if (v.host !== undefined && typeof v.host !== 'string') errors.push('host: expected a string');
  if (v.tls !== undefined && v.tls !== 'mutual' && v.tls !== 'off') errors.push('tls: "mutual" or "off"');
  let faults: FaultPlan | undefined;
  if (v.faults !== undefined) {
    try {
      faults = v.faults as FaultPlan;
      new FaultInjector(faults); // validates rates and bounds
    } catch (e) {
      errors.push(`faults: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (errors.length || !sds.ok || !pds.ok) return { ok: false, errors };
  return {
    ok: true,
    config: {
      ...(typeof v.host === 'string' ? { host: v.host } : {}),
      ...(typeof v.port === 'number' ? { port: v.port } : {}),
      ...(v.tls === 'mutual' || v.tls === 'off' ? { tls: v.tls } : {}),
      practices: sds.entries,
      patients: pds.patients,
      ...(faults ? { faults } : {}),
    },
  };
}

/** Reads and validates a config file. */
export function loadSimulatorConfig(file: string): SimulatorConfigResult {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { ok: false, errors: [`${file}: ${e instanceof Error ? e.message : String(e)}`] };
  }
  return parseSimulatorConfig(json);
}
