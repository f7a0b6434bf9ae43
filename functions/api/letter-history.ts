/**
 * The letters of earlier campaigns, read for what the directory learns from
 * them: each launched campaign's recipients (at most RECIPIENTS_PER_CAMPAIGN)
 * with their auto-replies counted, each described by its directory target
 * (by the target id it was taken with, else by its address). The
 * responsiveness view and the proof-of-delivery report's "usually replies
 * within …" both read through here, so they count the same letters.
 */
import type { CampaignHead, CampaignRecipient } from '../core/campaign.js';
import type { Target } from '../core/directory/model.js';
import type { RouteContext } from './router.js';

/** Recipients read per campaign; above it the view says it is partial. */
export const RECIPIENTS_PER_CAMPAIGN = 5000;
/** Campaigns looked at, newest first. */
export const CAMPAIGNS_READ = 200;

export type LetterVisit = (
  r: CampaignRecipient,
  target: Target | undefined,
  autoAcks: number,
) => void;

/** A letter's target: the one it was taken from, else the target with its address. */
export async function targetsOfLetters(
  ctx: RouteContext,
): Promise<(r: { email: string; targetId?: string }) => Target | undefined> {
  const targets = await ctx.deps.directory.all();
  const byId = new Map(targets.map((t) => [t.id, t]));
  const byEmail = new Map<string, Target>();
  for (const t of targets)
    for (const e of [t.email, ...(t.fallbackEmails ?? [])]) byEmail.set(e, t);
  return (r) => (r.targetId ? byId.get(r.targetId) : undefined) ?? byEmail.get(r.email);
}

/**
 * Visits every letter of the launched campaigns `keep` accepts, newest
 * campaigns first; `complete` is false when campaigns or recipients were
 * left unread.
 */
export async function scanLetters(
  ctx: RouteContext,
  keep: (c: CampaignHead) => boolean,
  visit: LetterVisit,
): Promise<{ campaigns: number; complete: boolean }> {
  const targetOf = await targetsOfLetters(ctx);
  const campaigns: CampaignHead[] = [];
  let cursor: string | undefined;
  do {
    const page = await ctx.deps.store.campaignsPage(cursor, 100);
    campaigns.push(...page.items.filter((c) => !!c.launchedAt && keep(c)));
    cursor = page.cursor;
  } while (cursor && campaigns.length < CAMPAIGNS_READ);
  let complete = !cursor;
  for (const c of campaigns) {
    const acks = new Map<string, number>();
    let rc: string | undefined;
    do {
      const page = await ctx.deps.replies.listReplies(c.id, {
        kind: 'auto-reply',
        cursor: rc,
        limit: 200,
      });
      for (const r of page.items)
        if (r.recipientId) acks.set(r.recipientId, (acks.get(r.recipientId) ?? 0) + 1);
      rc = page.cursor;
    } while (rc);
    let read = 0;
    let pc: string | undefined;
    do {
      const page = await ctx.deps.store.recipientsPage(c.id, pc, 500);
      for (const r of page.items)
        visit(r, targetOf(r as CampaignRecipient & { targetId?: string }), acks.get(r.id) ?? 0);
      read += page.items.length;
      pc = page.cursor;
    } while (pc && read < RECIPIENTS_PER_CAMPAIGN);
    if (pc) complete = false;
  }
  return { campaigns: campaigns.length, complete };
}
