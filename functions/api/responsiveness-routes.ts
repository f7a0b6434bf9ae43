/**
 * Who answers: the responsiveness view per institution type, country or
 * group, across the campaigns launched in a period, as JSON or CSV. It reads
 * each campaign's recipients (at most RECIPIENTS_PER_CAMPAIGN) and its
 * auto-replies; a letter is described by its directory target (by the
 * target id it was taken with, else by its address), or by its own row.
 */
import { z } from 'zod';
import type { CampaignHead } from '../core/campaign.js';
import { Responsiveness, RESPONSIVENESS_BY } from '../core/directory/history.js';
import type { Target } from '../core/directory/model.js';
import { json } from './errors.js';
import { csvResponse } from './directory-view.js';
import { query } from './request.js';
import type { ApiRoute, RouteContext } from './router.js';
import { csvCell } from './view.js';

/** Recipients read per campaign; above it the view says it is partial. */
export const RECIPIENTS_PER_CAMPAIGN = 5000;
/** Campaigns looked at, newest first. */
export const CAMPAIGNS_READ = 200;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day such as 2026-11-01');
const responsivenessQuery = z.strictObject({
  by: z.enum(RESPONSIVENESS_BY).default('institutionType'),
  from: day.optional(),
  to: day.optional(),
});

const inPeriod = (c: CampaignHead, from?: string, to?: string) => {
  const at = (c.launchedAt ?? c.createdAt).slice(0, 10);
  return (!from || at >= from) && (!to || at <= to) && !!c.launchedAt;
};

async function responsiveness(ctx: RouteContext) {
  const q = query(ctx.event, responsivenessQuery);
  const targets = await ctx.deps.directory.all();
  const byId = new Map(targets.map((t) => [t.id, t]));
  const byEmail = new Map<string, Target>();
  for (const t of targets)
    for (const e of [t.email, ...(t.fallbackEmails ?? [])]) byEmail.set(e, t);
  const view = new Responsiveness(q.by);
  const campaigns: CampaignHead[] = [];
  let cursor: string | undefined;
  do {
    const page = await ctx.deps.store.campaignsPage(cursor, 100);
    campaigns.push(...page.items.filter((c) => inPeriod(c, q.from, q.to)));
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
      for (const r of page.items) {
        const tid = (r as unknown as { targetId?: string }).targetId;
        view.add(r, (tid ? byId.get(tid) : undefined) ?? byEmail.get(r.email), acks.get(r.id) ?? 0);
      }
      read += page.items.length;
      pc = page.cursor;
    } while (pc && read < RECIPIENTS_PER_CAMPAIGN);
    if (pc) complete = false;
  }
  return {
    by: q.by,
    ...(q.from ? { from: q.from } : {}),
    ...(q.to ? { to: q.to } : {}),
    campaigns: campaigns.length,
    complete,
    rows: view.result(),
  };
}

const COLUMNS = [
  'key',
  'letters',
  'delivered',
  'humanReplies',
  'replyRate',
  'medianHoursToReply',
  'autoAcknowledgements',
] as const;

export const responsivenessRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/targets/responsiveness',
    role: 'viewer',
    run: async (ctx) => json(200, await responsiveness(ctx)),
  },
  {
    method: 'GET',
    path: '/api/targets/responsiveness.csv',
    role: 'viewer',
    run: async (ctx) => {
      const r = await responsiveness(ctx);
      const lines = [[r.by, ...COLUMNS.slice(1)].join(',')];
      for (const row of r.rows)
        lines.push(
          COLUMNS.map((c) => csvCell((row as unknown as Record<string, unknown>)[c])).join(','),
        );
      return csvResponse(`demarche-responsiveness-by-${r.by}.csv`, lines);
    },
  },
];
