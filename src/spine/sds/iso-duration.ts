/**
 * Seconds in an ISO 8601 duration of the form SDS uses (`PT4M`, `PT1H30M`, `P1D`, `PT0.5S`), or undefined
 * where the text is not one. Years and months are refused: their length depends on the calendar.
 *
 * @example
 * parseIsoDuration('PT2M30S') // 150
 */
export function parseIsoDuration(text: string): number | undefined {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text.trim());
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) return undefined;
  const [, w, d, h, min, s] = m;
  return (
    Number(w ?? 0) * 604_800 +
    Number(d ?? 0) * 86_400 +
    Number(h ?? 0) * 3_600 +
    Number(min ?? 0) * 60 +
    Number(s ?? 0)
  );
}

/** Writes seconds as an ISO 8601 duration (`PT5M`). */
export function formatIsoDuration(seconds: number): string {
  if (seconds === 0) return 'PT0S';
  let rest = seconds;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  rest -= m * 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${rest ? `${Number(rest.toFixed(3))}S` : ''}`;
}
