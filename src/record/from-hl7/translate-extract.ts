import { parseXml, parseXmlStream } from '../../xml/index.ts';
import { ExtractStreamTranslator, type ExtractTranslation } from './extract-stream.ts';

export {
  type DegradeReason,
  type FidelityReason,
  type FidelityReport,
  fidelitySummary,
  type SkipReason,
} from '../fidelity.ts';
export { ExtractError, type ExtractTranslation } from './extract-stream.ts';

/**
 * EHR Extract (RCMR_IN030000UK06/UK07, bare HL7 XML) → GP Connect 1.6 STU3 Bundle (type "collection").
 * Throws {@link ExtractError} only where the message is not an extract at all; anything wrong inside the record
 * is degraded or skipped with a warning, and `fidelity` accounts for every statement (mapped, degraded, or
 * skipped by reason) for the transfer engine to store. Runs the same streaming core as {@link translateExtractStream}, so
 * each ehrComposition's tree is let go once translated even when the text is already in memory.
 *
 * @example
 * const { bundle, fidelity, warnings } = translateExtractToBundle(readFileSync('extract.xml'));
 */
export function translateExtractToBundle(input: string | Uint8Array): ExtractTranslation {
  const translator = new ExtractStreamTranslator();
  return translator.finish(parseXml(input, translator.options));
}

/**
 * The same translation from UTF-8 chunks (a file stream): the extract is never held whole, as text or as a
 * tree, so memory follows the size of the Bundle rather than of the extract.
 *
 * @example
 * const { bundle } = await translateExtractStream(createReadStream('extract.xml'));
 */
export async function translateExtractStream(chunks: AsyncIterable<Uint8Array>): Promise<ExtractTranslation> {
  const translator = new ExtractStreamTranslator();
  return translator.finish(await parseXmlStream(chunks, translator.options));
}
