import type { CodeableConcept, Coding, Resource } from 'fhir/r3.js';
import { DEGRADED_TAG } from '../record/codes/index.ts';

/** The words of a concept: its text, else its first coding's display, else its code. */
export function conceptText(c: CodeableConcept | undefined): string {
  if (!c) return '';
  return c.text ?? c.coding?.find((x) => x.display)?.display ?? c.coding?.[0]?.code ?? '';
}

/** The codings of a concept as "system|code" lines for staff (the original codes a degrade kept). */
export function codingsOf(c: CodeableConcept | undefined): readonly Coding[] {
  return c?.coding ?? [];
}

/** True where the translator could not find a SNOMED CT code for the entry (`docs/record-translation.md`). */
export function isDegraded(r: Resource): boolean {
  return r.meta?.tag?.some((t) => t.system === DEGRADED_TAG.system && t.code === DEGRADED_TAG.code) === true;
}

/** A short name for a coding system URL. */
export function systemName(system: string | undefined): string {
  if (!system) return 'code';
  if (system.includes('snomed')) return 'SNOMED CT';
  if (system.includes('readv2') || system.includes('read.info')) return 'Read v2';
  if (system.includes('ctv3')) return 'CTV3';
  if (system.includes('emis')) return 'EMIS';
  return system.replace(/^https?:\/\//, '');
}
