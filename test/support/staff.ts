/**
 * Helpers for the staff API and dashboard tests: tokens signed with the local
 * runtime's key (as `npm start`'s login link is), a seeded campaign sent by
 * the real sender, and a reply item as the replies store keeps it.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../functions/adapters/config.js';
import { dynamoClient } from '../../functions/adapters/dynamo-store.js';
import { issueLocalToken } from '../../functions/adapters/staff-auth.js';
import { keys } from '../../functions/adapters/table-definition.js';
import type { Campaign } from '../../functions/core/campaign.js';
import { createCampaign, launchCampaign } from '../../functions/core/launch.js';
import { importRecipients } from '../../functions/core/recipients.js';
import type { Reply } from '../../functions/core/replies/types.js';
import { parseStatement } from '../../functions/core/statement.js';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { FUTURE_DEADLINE, letterMjml, sharedSample } from './fixtures.js';

export function staffToken(
  groups: ('campaigner' | 'viewer')[],
  sub = `staff-${groups.join('-') || 'none'}`,
) {
  return issueLocalToken(process.env[ENV.authKeyFile]!, {
    sub,
    email: `${sub}@example.org`,
    groups,
  });
}

/** A mixed list: ministers, EU institutions and NGOs in several countries. */
export function mixedCsv(n: number, tag = 'mix'): string {
  const groups = ['minister', 'eu-institution', 'ngo'];
  const countries = ['FR', 'DE', 'PL', 'BE', 'LT'];
  const rows = ['email,name,title,organisation,country,language,group'];
  for (let i = 0; i < n; i++) {
    const group = groups[i % 3]!;
    rows.push(
      `person${i}@${tag}-${group}.example.org,Person ${i} Nowak,${group === 'minister' ? 'Minister' : ''},Organisation ${i},${countries[i % 5]},en,${group}`,
    );
  }
  return rows.join('\n') + '\n';
}

export function belarusStatement(deadline = FUTURE_DEADLINE()) {
  return parseStatement(sharedSample(), 'belarus.txt', {
    deadline,
    subject: 'Belarus: joint statement ahead of the Foreign Affairs Council',
    from: {
      name: 'Eastern Partnership Civil Society Forum',
      address: 'forum@demarche.example.org',
    },
    replyToDomain: 'replies.demarche.example.org',
    meeting: 'Foreign Affairs Council',
    language: 'en',
  });
}

/** Creates a campaign over `csv`, launches it and waits until the local queue has sent every letter. */
export async function sentCampaign(runtime: LocalRuntime, csv: string): Promise<Campaign> {
  const d = runtime.deps();
  const { recipients } = importRecipients(csv);
  const { campaign } = await createCampaign(d, {
    statement: belarusStatement(),
    recipients,
    recipientCount: recipients.length,
    mjml: letterMjml(),
  });
  await launchCampaign(d, campaign.id);
  await settle(runtime);
  return (await d.store.getCampaign(campaign.id))!;
}

/** Waits until the send queue and, where the runtime has one, the SES events queue are empty. */
export async function settle(runtime: LocalRuntime): Promise<void> {
  await runtime.queue.drained();
  const events = (runtime as { eventsQueue?: { drained(): Promise<void> } }).eventsQueue;
  await events?.drained();
}

/** Stores a reply item where the staff API reads replies (CAMPAIGN#id / REPLY#replyId). */
export async function putReply(runtime: LocalRuntime, reply: Reply): Promise<void> {
  const db = dynamoClient({ region: 'eu-west-1', endpoint: runtime.dynamoEndpoint });
  await db.send(
    new PutCommand({
      TableName: runtime.table,
      Item: {
        pk: keys.campaign(reply.campaignId!).pk,
        sk: `REPLY#${reply.id}`,
        type: 'reply',
        ...reply,
      },
    }),
  );
}

export function replyFixture(
  campaignId: string,
  recipientId: string,
  id: string,
  text: string,
): Reply {
  return {
    id,
    campaignId,
    recipientId,
    match: { by: 'token', strength: 'strong', detail: 'signed reply address' },
    kind: 'human',
    reasons: [],
    receivedAt: new Date().toISOString(),
    from: { name: 'Office of the Minister <b>x</b>', address: 'office@mfa-fr.example.org' },
    envelopeTo: ['reply+abc@replies.demarche.example.org'],
    subject: 'Re: Belarus <img src=x onerror="window.__pwned=1">',
    text,
    attachments: [{ filename: 'position.pdf', mimeType: 'application/pdf', size: 12345 }],
    raw: { key: `raw/${id}.eml`, size: 2048, sha256: '0'.repeat(64) },
  };
}
