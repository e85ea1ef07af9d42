/**
 * True for a 10-digit NHS number whose check digit passes the modulus 11 algorithm.
 *
 * @example
 * isValidNhsNumber('9990000018') // true
 */
export function isValidNhsNumber(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  const check = checkDigit(value.slice(0, 9));
  return check !== undefined && check === Number(value[9]);
}

/** The modulus 11 check digit for nine digits, or undefined where none exists (remainder gives 10). */
export function checkDigit(nineDigits: string): number | undefined {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nineDigits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return undefined;
  return check;
}

/**
 * The `n`th synthetic NHS number in the 999 test range that passes the check (n from 0), for fixtures and
 * simulated populations; never a real patient's number.
 *
 * @example
 * syntheticNhsNumber(0) // '9990000018'
 */
export function syntheticNhsNumber(n: number): string {
  let found = -1;
  // at most one in eleven candidates has no check digit, so this walks about 1.1 n steps
  for (let body = 0; body < 1_000_000; body++) {
    const nine = `999${String(body).padStart(6, '0')}`;
    const check = checkDigit(nine);
    if (check === undefined) continue;
    if (++found === n) return `${nine}${check}`;
  }
  throw new RangeError(`no synthetic NHS number at index ${n}`);
}
