import { type ClassifyOptions, classifyConversations } from '../classify-logs.ts';
import { ConversationGrouper } from '../conversation.ts';
import { readSpineLogText } from '../spine-log-reader.ts';
import type { Transfer } from '../transfer.ts';

/**
 * Classifies Spine log CSV texts (one per file) in memory, as `gp2gp classify` does files.
 *
 * @example
 * classifyTexts([spineLogCsv(script.entries)], { cutoffDays: 14 })[0]?.outcome.status
 */
export function classifyTexts(texts: readonly string[], options: ClassifyOptions): Transfer[] {
  const grouper = new ConversationGrouper();
  texts.forEach((text, i) => {
    readSpineLogText(text, `log${i + 1}.csv`, (m) => grouper.add(m));
  });
  return classifyConversations(grouper, options).transfers;
}
