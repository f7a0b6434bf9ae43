/**
 * Preflight for staff: what would make SES refuse a campaign's letters (or
 * land them in spam), each failed check with what fixes it (core/preflight.ts).
 * The same checks run again at launch and at schedule, where a failure
 * refuses the move (422 PREFLIGHT_FAILED) before anything is queued.
 */
import { z } from 'zod';
import { preflight } from '../core/preflight.js';
import { loadCampaign } from './campaign-routes.js';
import { json } from './errors.js';
import { query } from './request.js';
import type { ApiRoute } from './router.js';

const preflightQuery = z.strictObject({
  /** When the send-out would start (a schedule's time); default now. */
  at: z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 time')
    .optional(),
});

export const preflightRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/campaigns/:id/preflight',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const q = query(ctx.event, preflightQuery);
      const report = await preflight(ctx.deps, c.id, q.at ? { startAt: new Date(q.at) } : {});
      return json(200, report);
    },
  },
];
