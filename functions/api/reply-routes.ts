/**
 * The replies inbox: a campaign's replies newest first, and one reply with
 * its extracted text, match and attachments. The raw message stays in the
 * raw store; its route answers once the replies store exposes it.
 */
import { keys } from '../adapters/table-definition.js';
import { decodeCursor } from '../adapters/staff-queries.js';
import { NotFoundError } from '../core/errors.js';
import { loadCampaign } from './campaign-routes.js';
import { json, RequestInvalidError } from './errors.js';
import { idSchema, pageQuery, query, validate } from './request.js';
import type { ApiRoute } from './router.js';

function checkReplyCursor(campaignId: string, cursor: string | undefined): void {
  if (!cursor) return;
  let key: Record<string, string> | undefined;
  try {
    key = decodeCursor(cursor);
  } catch {
    key = undefined;
  }
  if (key?.pk !== keys.campaign(campaignId).pk || !String(key.sk).startsWith('REPLY#'))
    throw new RequestInvalidError('query string', [
      { field: 'cursor', message: 'is not a cursor this API gave out for this campaign' },
    ]);
}

export const replyRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/campaigns/:id/replies',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const q = query(ctx.event, pageQuery);
      checkReplyCursor(c.id, q.cursor);
      const page = await ctx.deps.staffReplies.list(c.id, q.cursor, q.limit);
      return json(200, {
        items: page.items.map((r) => ({
          id: r.id,
          recipientId: r.recipientId,
          kind: r.kind,
          match: r.match,
          receivedAt: r.receivedAt,
          from: r.from,
          subject: r.subject,
          excerpt: (r.text ?? '').slice(0, 200),
        })),
        ...(page.cursor ? { cursor: page.cursor } : {}),
      });
    },
  },
  {
    method: 'GET',
    path: '/api/campaigns/:id/replies/:replyId',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const replyId = validate(idSchema, ctx.params.replyId, 'path');
      const reply = await ctx.deps.staffReplies.get(c.id, replyId);
      if (!reply) throw new NotFoundError('reply', replyId);
      return json(200, { ...reply, rawUrl: `/api/campaigns/${c.id}/replies/${reply.id}/raw` });
    },
  },
  {
    method: 'GET',
    path: '/api/campaigns/:id/replies/:replyId/raw',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const replyId = validate(idSchema, ctx.params.replyId, 'path');
      const reply = await ctx.deps.staffReplies.get(c.id, replyId);
      if (!reply) throw new NotFoundError('reply', replyId);
      throw new NotFoundError('raw message', reply.raw?.key ?? replyId);
    },
  },
];
