/**
 * Reading campaigns: the list, one campaign, its stats (counter items only,
 * O(1) in the campaign's size), and its splits by group and country and time
 * series (from a bounded stream of recipient items, flagged `complete: false`
 * when the campaign is larger than the bound).
 */
import type { Campaign, CampaignHead, CampaignRecipient } from '../core/campaign.js';
import { z } from 'zod';
import { decodeCursor } from '../adapters/dynamo-store.js';
import { GSI1_PARTITION } from '../adapters/table-definition.js';
import { NotFoundError } from '../core/errors.js';
import { GROUPS } from '../core/recipients.js';
import { trackingFor } from '../core/tracking.js';
import { json } from './errors.js';
import { idSchema, query, validate } from './request.js';
import type { ApiRoute, RouteContext } from './router.js';
import { funnel, SeriesBuilder, SplitBuilder } from './view.js';

/** Recipients read at most for splits and series; above it they cover the first ones only. */
export const SPLIT_SCAN_LIMIT = 5000;

const listQuery = z.strictObject({
  cursor: z
    .string()
    .max(2000)
    .optional()
    .refine((c) => c === undefined || isCampaignsCursor(c), 'is not a cursor this API gave out'),
  limit: z.coerce.number().int().min(1).max(100).default(100),
  /** Archived campaigns are left out unless asked for; deleted ones are never listed. */
  archived: z.enum(['hide', 'include', 'only']).default('hide'),
});

/** A campaigns cursor is the key of a campaign in the campaigns index, as this API gave it out. */
function isCampaignsCursor(cursor: string): boolean {
  try {
    const key = decodeCursor(cursor);
    return (
      key?.gsi1pk === GSI1_PARTITION.campaigns &&
      typeof key.pk === 'string' &&
      key.pk.startsWith('CAMPAIGN#') &&
      key.sk === 'META' &&
      typeof key.gsi1sk === 'string'
    );
  } catch {
    return false;
  }
}

export async function loadCampaign(ctx: RouteContext): Promise<Campaign> {
  const id = validate(idSchema, ctx.params.id, 'path');
  const campaign = await ctx.deps.store.getCampaign(id);
  if (!campaign) throw new NotFoundError('campaign', id);
  return campaign;
}

/** The long work under way, in words: "importing 2,500", "queueing 1,500 of 100,000". */
export function progressText(c: CampaignHead): string | undefined {
  const n = (x: number) => x.toLocaleString('en-GB');
  if (c.import?.state === 'importing') return `importing ${n(c.import.imported)}`;
  if (c.import?.state === 'failed') return `import failed: ${c.import.error ?? 'unknown error'}`;
  if (c.launch?.state === 'queueing')
    return `queueing ${n(c.launch.queued)} of ${n(c.launch.total)}`;
  if (c.launch?.state === 'failed') return `launch refused: ${c.launch.error ?? 'unknown error'}`;
  return undefined;
}

/** The fields the list and the header of the dashboard show. */
export function summary(c: CampaignHead) {
  const progress = progressText(c);
  const { cursor: _cursor, ...launch } = c.launch ?? ({} as NonNullable<Campaign['launch']>);
  return {
    id: c.id,
    status: c.status,
    title: c.statement.title,
    subject: c.statement.subject,
    meeting: c.statement.meeting,
    deadline: c.statement.deadline,
    recipientCount: c.recipientCount,
    dryRun: c.dryRun,
    createdAt: c.createdAt,
    launchedAt: c.launchedAt,
    completedAt: c.completedAt,
    ...(c.scheduledAt ? { scheduledAt: c.scheduledAt } : {}),
    // Why it is paused (a person, the reputation guard, SES refusing to send) and what fixes it.
    ...(c.status === 'paused' && c.pausedReason
      ? { pausedReason: c.pausedReason, pausedAt: c.pausedAt }
      : {}),

    // The plan it was scheduled from and the office hours it sends in.
    ...(c.plan ? { plan: c.plan } : {}),
    ...(c.delivery ? { delivery: c.delivery } : {}),
    ...(c.followUpOf ? { followUpOf: c.followUpOf, followUpAudience: c.followUpAudience } : {}),
    ...(c.pausedReason && c.status === 'paused' ? { pausedReason: c.pausedReason } : {}),
    ...(c.launch ? { launch } : {}),
    ...(c.import ? { import: c.import } : {}),
    ...(progress ? { progress } : {}),
    // "Ready for approval": shown to the other campaigners until approved or replaced by a new version.
    ...(c.approvalRequest && c.status === 'draft' ? { approvalRequest: c.approvalRequest } : {}),
    ...(c.author ? { author: c.author } : {}),
    ...(c.archive?.archived ? { archived: c.archive } : {}),
    ...(c.deleted ? { deleted: c.deleted } : {}),
  };
}

/** Streams up to SPLIT_SCAN_LIMIT recipients into the builders. */
async function scan(ctx: RouteContext, id: string, visit: (r: CampaignRecipient) => void) {
  let cursor: string | undefined;
  let scanned = 0;
  do {
    const page = await ctx.deps.store.recipientsPage(id, cursor, 500);
    page.items.forEach(visit);
    scanned += page.items.length;
    cursor = page.cursor;
  } while (cursor && scanned < SPLIT_SCAN_LIMIT);
  return { scanned, complete: !cursor };
}

export const campaignRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/me',
    role: 'viewer',
    run: async ({ staff }) => json(200, staff),
  },
  {
    method: 'GET',
    path: '/api/campaigns',
    role: 'viewer',
    // 100 a page, newest first; `cursor` in the answer asks for the next (`?cursor=`).
    run: async (ctx) => {
      const q = query(ctx.event, listQuery);
      const page = await ctx.deps.store.campaignsPage(q.cursor, q.limit);
      const shown = page.items.filter((c) => {
        if (c.deleted) return false;
        const archived = Boolean(c.archive?.archived);
        return q.archived === 'include' || archived === (q.archived === 'only');
      });
      return json(200, {
        // A page may list fewer than `limit` once archived ones are left out; the cursor goes on.
        items: shown.map(summary),
        ...(page.cursor ? { cursor: page.cursor } : {}),
      });
    },
  },
  {
    method: 'GET',
    path: '/api/campaigns/:id',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      // Per group, what its letters track: the dashboard shows "not tracked" rather than "not opened".
      const tracking = Object.fromEntries(GROUPS.map((g) => [g, trackingFor(c.tracking, g)]));
      return json(200, { ...summary(c), languages: c.languages, statement: c.statement, tracking });
    },
  },
  {
    method: 'GET',
    path: '/api/campaigns/:id/stats',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const counters = await ctx.deps.staffQueries.counters(c.id);
      return json(200, {
        campaignId: c.id,
        status: c.status,
        ...(c.status === 'paused' && c.pausedReason ? { pausedReason: c.pausedReason } : {}),
        deadline: c.statement.deadline,

        funnel: funnel(c, counters),
        counters,
        readAt: ctx.deps.clock.now().toISOString(),
      });
    },
  },
  {
    method: 'GET',
    path: '/api/campaigns/:id/splits',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const b = new SplitBuilder();
      const { scanned, complete } = await scan(ctx, c.id, (r) => b.add(r));
      return json(200, { source: 'recipient-scan', scanned, complete, ...b.result() });
    },
  },
  {
    method: 'GET',
    path: '/api/campaigns/:id/series',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const b = new SeriesBuilder();
      const { scanned, complete } = await scan(ctx, c.id, (r) => b.add(r));
      return json(200, {
        source: 'recipient-scan',
        scanned,
        complete,
        ...b.result(c, ctx.deps.clock.now()),
      });
    },
  },
];
