import nunjucks from 'nunjucks';
import type { FieldError } from '../practice/form-errors.ts';
import { formatNhsNumber } from '../practice/registration-form.ts';
import { roleName } from '../practice/roles.ts';
import { NHSUK_TEMPLATES } from './assets.ts';

const LONDON_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

const LONDON_DAY = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});

/** Renders the app's Nunjucks templates (and the NHS.UK frontend's macros), escaping everything by default. */
export type Views = (template: string, data: Record<string, unknown>) => string;

/**
 * The template environment: `src/web/views/` first, then the `nhsuk-frontend` package's templates.
 *
 * @example
 * const render = createViews(); render('sign-in.njk', { errors: [] })
 */
export function createViews(): Views {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([`${import.meta.dirname}/views`, NHSUK_TEMPLATES], { noCache: false }),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  );
  env.addGlobal('errorOf', (errors: FieldError[] | undefined, name: string) => {
    const e = errors?.find((x) => x.field === name);
    return e ? { text: e.message } : undefined;
  });
  env.addGlobal('errorList', (errors: FieldError[] | undefined) =>
    (errors ?? []).map((e) => ({ text: e.message, href: `#${e.field}` })),
  );
  env.addFilter('nhsNumber', (s: string) => formatNhsNumber(String(s ?? '')));
  env.addFilter('roleName', roleName);
  env.addFilter('when', (d: Date | string | null | undefined) => (d ? LONDON_TIME.format(new Date(d)) : ''));
  env.addFilter('day', (d: Date | string | number | null | undefined) =>
    d ? LONDON_DAY.format(new Date(d)) : '',
  );
  env.addFilter('age', (d: Date | string | null | undefined, now: number) =>
    d ? age(now - new Date(d).getTime()) : '',
  );
  return (template, data) => env.render(template, data);
}

/**
 * A duration as staff read it: minutes, hours or days.
 *
 * @example
 * age(90 * 60_000) // '1 hour 30 minutes'
 */
export function age(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 24)
    return `${plural(hours, 'hour')}${minutes % 60 ? ` ${plural(minutes % 60, 'minute')}` : ''}`;
  const days = Math.floor(hours / 24);
  return `${plural(days, 'day')}${hours % 24 ? ` ${plural(hours % 24, 'hour')}` : ''}`;
}
