import { type XmlChild, type XmlSpec, x } from '../../xml/index.ts';
import type { Hl7Code } from './hl7-code.ts';

/**
 * Builds the XML for a coded value under the given element name (`code`, `value`…), in MIM order: attributes,
 * originalText, then translations. Extra attributes (e.g. `xsi:type`) may be passed.
 *
 * @example
 * serializeXml(hl7CodeSpec('code', fromFhirCodeableConcept(obs.code, 'record-entry')))
 */
export function hl7CodeSpec(
  name: string,
  code: Hl7Code,
  extraAttrs: Readonly<Record<string, string>> = {},
): XmlSpec {
  const children: XmlChild[] = [];
  if (code.originalText) children.push(x('originalText', {}, code.originalText));
  for (const t of code.translations) {
    children.push(x('translation', { code: t.code, codeSystem: t.codeSystem, displayName: t.displayName }));
  }
  return x(
    name,
    {
      ...extraAttrs,
      code: code.code,
      codeSystem: code.codeSystem,
      displayName: code.displayName,
      nullFlavor: code.code ? undefined : (code.nullFlavor ?? 'UNK'),
    },
    ...children,
  );
}
