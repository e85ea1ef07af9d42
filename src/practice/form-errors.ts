/** One problem with a form field, as the NHS.UK error summary lists it (the href is the field's id). */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** A form that either parsed to a value or has errors to show beside the fields. */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: FieldError[] };

/** The value a posted form gives for a field: trimmed, '' when absent or repeated oddly. */
export function field(body: Readonly<Record<string, unknown>>, name: string): string {
  const v = body[name];
  return typeof v === 'string' ? v.trim() : '';
}
