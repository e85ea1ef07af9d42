import { attr, child, childElements, textOf, type XmlElement } from '../../xml/index.ts';

/**
 * `code/qualifier/name` (episodicity: first, new, ongoing…) as text, so the qualifier is not lost where
 * FHIR has no field for it. Written the way the NHS requesting adaptor writes it, so notes compare equal.
 */
export function episodicityOf(statement: XmlElement): string[] {
  const code = child(statement, 'code');
  if (!code) return [];
  const out: string[] = [];
  for (const q of childElements(code, 'qualifier')) {
    const name = child(q, 'name');
    if (!name) continue;
    const original = textOf(child(name, 'originalText')).trim();
    out.push(
      `Episodicity : code=${attr(name, 'code') ?? ''}, displayName=${attr(name, 'displayName') ?? ''}` +
        (original ? `, originalText=${original}` : ''),
    );
  }
  return out;
}
