/**
 * Who answers: the responsiveness view per institution type, country or
 * group, across the campaigns launched in a period, as JSON or CSV, from
 * the letters letter-history.ts reads.
 */
import { z } from 'zod';
import type { CampaignHead } from '../core/campaign.js';
import { Responsiveness, RESPONSIVENESS_BY } from '../core/directory/history.js';
import { json } from './errors.js';
import { scanLetters } from './letter-history.js';
import { csvResponse } from './directory-view.js';
import { query } from './request.js';
import type { ApiRoute, RouteContext } from './router.js';
import { csvCell } from './view.js';

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
  const view = new Responsiveness(q.by);
  const { campaigns, complete } = await scanLetters(
    ctx,
    (c) => inPeriod(c, q.from, q.to),
    (r, target, acks) => view.add(r, target, acks),
  );
  return {
    by: q.by,
    ...(q.from ? { from: q.from } : {}),
    ...(q.to ? { to: q.to } : {}),
    campaigns,
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
