/**
 * Reads what the report needs through the store interfaces: the campaign,
 * its counters, its recipients page by page, and its replies.
 */
import type { Page, CampaignStore, Clock } from '../ports.js';
import { NotFoundError } from '../errors.js';
import type { CampaignRecipient } from '../campaign.js';
import type { Reply } from '../replies/types.js';
import { buildReport, type ReportFollowUp, type ReportModel } from './model.js';

/**
 * A campaign's replies, newest or oldest first, cursor-paged. The staff
 * replies reader (adapters/staff-queries.ts) has this shape; the replies
 * store's listReplies can be wrapped to it.
 */
export interface ReplyReader {
  list(campaignId: string, cursor: string | undefined, limit: number): Promise<Page<Reply>>;
}

/**
 * Collects and builds the report of one campaign. Without a reply reader the
 * report shows who replied (from the recipient records) but not what they
 * wrote.
 */
export async function collectReport(
  deps: { store: CampaignStore; clock: Clock; replies?: ReplyReader },
  campaignId: string,
): Promise<ReportModel> {
  const campaign = await deps.store.getCampaign(campaignId);
  if (!campaign) throw new NotFoundError('campaign', campaignId);
  const recipients: CampaignRecipient[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.recipientsPage(campaignId, cursor, 500);
    recipients.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  const replies: Reply[] = [];
  if (deps.replies) {
    let rc: string | undefined;
    do {
      const page = await deps.replies.list(campaignId, rc, 200);
      replies.push(...page.items);
      rc = page.cursor;
    } while (rc);
  }
  // The follow-ups of this campaign are part of its record: what was asked again, and of whom.
  const followUps: ReportFollowUp[] = [];
  for (const f of (await deps.store.listCampaigns(1000))
    .filter((c) => c.followUpOf === campaignId)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
    const counters = await deps.store.counters(f.id);
    followUps.push({
      id: f.id,
      subject: f.statement.subject,
      ...(f.followUpAudience ? { audience: f.followUpAudience } : {}),
      status: f.status,
      ...(f.scheduledAt ? { scheduledAt: f.scheduledAt } : {}),
      ...(f.launchedAt ? { launchedAt: f.launchedAt } : {}),
      recipients: f.recipientCount,
      sent: counters.sent,
      replied: counters.replied,
    });
  }
  return buildReport({
    campaign,
    counters: await deps.store.counters(campaignId),
    recipients,
    replies,
    generatedAt: deps.clock.now(),
    followUps,
  });
}
