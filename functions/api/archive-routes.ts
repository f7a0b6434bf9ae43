/**
 * Tidying the campaigns list (core/discard.ts): archive or show again any
 * campaign that is not live; delete a draft or a dry run. Both are audited
 * by the signed-in campaigner. Deleting answers `remaining: true` while
 * items are left: the client asks again (each request removes a bounded
 * page, so a large draft never outlasts the API's time limit).
 */
import { z } from 'zod';
import { deleteCampaign, setArchived } from '../core/discard.js';
import { loadCampaign, summary } from './campaign-routes.js';
import { json } from './errors.js';
import { actorOf, auditBy } from './governance-routes.js';
import { jsonBody } from './request.js';
import type { ApiRoute } from './router.js';

const archiveBody = z.strictObject({ archived: z.boolean().default(true) });
const deleteBody = z.strictObject({ reason: z.string().trim().max(300).optional() });

export const archiveRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/campaigns/:id/archive',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const { archived } = jsonBody(ctx.event, archiveBody);
      const done = await setArchived(ctx.deps, c, archived, actorOf(ctx.staff));
      await auditBy(ctx, c.id, archived ? 'archived' : 'unarchived');
      return json(200, { campaign: summary(done) });
    },
  },
  {
    method: 'POST',
    path: '/api/campaigns/:id/delete',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const { reason } = jsonBody(ctx.event, deleteBody);
      const out = await deleteCampaign(ctx.deps, c, actorOf(ctx.staff), reason || undefined);
      if (out.first)
        await auditBy(
          ctx,
          c.id,
          'deleted',
          `${c.dryRun ? 'dry run' : 'draft'} deleted with its ${c.recipientCount} recipients${reason ? `: ${reason}` : ''}`,
        );
      return json(out.remaining ? 202 : 200, {
        campaign: summary(out.campaign),
        removed: out.removed,
        remaining: out.remaining,
      });
    },
  },
];
