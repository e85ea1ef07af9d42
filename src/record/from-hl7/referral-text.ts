/**
 * A RequestStatement's text, read back into a referral's fields. GP2GP's RequestStatement has no place for a
 * referral's recipients by name, its description or an "asap" priority (its priority codes cannot tell asap
 * from urgent), so a sender writes them as labelled lines: one `Recipient: …` line per recipient, `Priority:
 * ASAP`, and `Description: …` last (it may run over several lines), as `to-hl7/plan-and-request.ts` writes them.
 * Unlabelled lines are the referral's notes.
 */

/** What the text of a RequestStatement says. */
export interface ReferralText {
  readonly recipients: readonly string[];
  readonly description?: string;
  readonly asap: boolean;
  /** Everything else, line breaks kept. */
  readonly notes?: string;
}

const RECIPIENT = /^Recipient: (.+)$/;
const DESCRIPTION = /^Description: /;

/** Splits a RequestStatement's text into recipients, description, the asap flag and notes. */
export function readReferralText(text: string | undefined): ReferralText {
  const recipients: string[] = [];
  const rest: string[] = [];
  let asap = false;
  let description: string | undefined;
  const lines = (text ?? '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const recipient = RECIPIENT.exec(line.trim());
    if (recipient?.[1]) recipients.push(recipient[1].trim());
    else if (line.trim() === 'Priority: ASAP') asap = true;
    else if (DESCRIPTION.test(line.trim())) {
      description = [line.trim().replace(DESCRIPTION, ''), ...lines.slice(i + 1)].join('\n').trim();
      break;
    } else rest.push(line);
  }
  const notes = rest.join('\n').trim();
  return {
    recipients,
    ...(description ? { description } : {}),
    asap,
    ...(notes ? { notes } : {}),
  };
}
