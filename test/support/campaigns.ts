/** Campaigns for the sending-engine tests: the real sample statement, n ministers, a deadline. */
import type { LocalRuntime } from '../../functions/local/runtime.js';
import type { Campaign } from '../../functions/core/campaign.js';
import { createCampaign } from '../../functions/core/launch.js';
import { importRecipients, type Recipient } from '../../functions/core/recipients.js';
import { parseStatement } from '../../functions/core/statement.js';
import { FUTURE_DEADLINE, letterMjml, ministersCsv, sharedSample } from './fixtures.js';

/** Creates a draft campaign of `n` ministers whose addresses carry `tag` (unique per test). */
export async function draftCampaign(
  runtime: LocalRuntime,
  n: number,
  tag: string,
  deadline = FUTURE_DEADLINE(),
): Promise<{ campaign: Campaign; recipients: Recipient[] }> {
  const statement = parseStatement(sharedSample(), 'belarus.txt', {
    deadline,
    subject: 'Belarus: joint statement ahead of the Foreign Affairs Council',
    from: {
      name: 'Eastern Partnership Civil Society Forum',
      address: 'forum@demarche.example.org',
    },
    replyToDomain: 'replies.demarche.example.org',
    language: 'en',
  });
  const { recipients } = importRecipients(ministersCsv(n).replaceAll('@mfa-', `@${tag}-`));
  const { campaign } = await createCampaign(runtime.deps(), {
    statement,
    recipients,
    recipientCount: recipients.length,
    mjml: letterMjml(),
  });
  return { campaign, recipients };
}
