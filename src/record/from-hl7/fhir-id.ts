/**
 * An extract id (usually a UUID) as a valid FHIR id (`[A-Za-z0-9\-.]{1,64}`): other characters become `-`,
 * and leading ones (some senders prefix `_`) are dropped. Every id and every reference goes through this, so
 * links still meet.
 */
export function fhirId(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (/^[A-Za-z0-9.-]{1,64}$/.test(raw)) return raw;
  const cleaned = raw
    .replace(/[^A-Za-z0-9.-]/g, '-')
    .replace(/^-+/, '')
    .slice(0, 64);
  return cleaned || undefined;
}
