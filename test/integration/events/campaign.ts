/** Test campaigns for the events tests, stored through the real store on DynamoDB Local. */
import { type Campaign, newCampaignId } from '../../../functions/core/campaign.js';
import type { TrackingPolicy } from '../../../functions/core/events/tracking.js';
import { compileLetters } from '../../../functions/core/letter.js';
import { importRecipients, type Recipient } from '../../../functions/core/recipients.js';
import { parseStatement } from '../../../functions/core/statement.js';
import type { LocalRuntime } from '../../../functions/local/runtime.js';
import { exampleStatement, FUTURE_DEADLINE, letterMjml } from '../../support/fixtures.js';

/** A CSV of `n` recipients of one group, with addresses unique to `tag`. */
export function groupCsv(n: number, group: string, tag: string, domain = 'example.org'): string {
  const rows = ['email,name,organisation,country,language,group'];
  for (let i = 0; i < n; i++)
    rows.push(`${tag}${i}@${domain},Alex Ng${i},Member Org ${i},FR,en,${group}`);
  return rows.join('\n') + '\n';
}

/** Stores a campaign (status sending) with the example statement, which has a link, and these recipients. */
export async function storeCampaign(
  runtime: LocalRuntime,
  csv: string,
  opts: { tracking?: TrackingPolicy; status?: Campaign['status'] } = {},
): Promise<{ campaign: Campaign; recipients: Recipient[] }> {
  const d = runtime.deps();
  const statement = parseStatement(exampleStatement(), 'statement.md', {
    deadline: FUTURE_DEADLINE(),
  });
  const templates = await compileLetters(statement, letterMjml());
  const now = new Date();
  const { recipients } = importRecipients(csv);
  const campaign: Campaign = {
    id: newCampaignId(now),
    status: opts.status ?? 'sending',
    statement,
    languages: templates.map((t) => t.language),
    recipientCount: recipients.length,
    dryRun: false,
    createdAt: now.toISOString(),
    ...(opts.tracking ? { tracking: opts.tracking } : {}),
  };
  await d.store.createCampaign(campaign, templates);
  await d.store.putRecipients(campaign.id, recipients);
  return { campaign, recipients };
}
