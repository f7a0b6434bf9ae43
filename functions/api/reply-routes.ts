/**
 * The replies inbox: a campaign's replies newest first, one reply with its
 * extracted text, match (with the words staff read: strong, weak and
 * unconfirmed, confirmed), authenticity verdict and attachments, the raw
 * message as received (its bytes, from the raw message store), and the
 * audited confirmation of a weak match, after which it counts.
 */
import { keys } from '../adapters/table-definition.js';
import { decodeCursor } from '../adapters/staff-queries.js';
import { NotFoundError } from '../core/errors.js';
import { confirmWeakMatch } from '../core/replies/confirm.js';
import { actorLabel } from '../core/governance/model.js';
import { matchLabel } from '../core/replies/effects.js';
import { REPLY_KINDS, type Reply } from '../core/replies/types.js';
import { z } from 'zod';
import { loadCampaign } from './campaign-routes.js';
import { json, RequestInvalidError } from './errors.js';
import { idSchema, jsonBody, query, validate } from './request.js';
import { auditBy } from './governance-routes.js';
import type { ApiRoute, RouteContext } from './router.js';

const repliesQuery = z.strictObject({
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  kind: z.enum(REPLY_KINDS).optional(),
  recipientId: idSchema.optional(),
});

/** A replies cursor must be one this API gave out for this campaign. */
function checkReplyCursor(campaignId: string, cursor: string | undefined): void {
  if (!cursor) return;
  let key: Record<string, string> | undefined;
  try {
    key = decodeCursor(cursor);
  } catch {
    key = undefined;
  }
  const pk = keys.campaign(campaignId).pk;
  if (key?.pk !== pk || typeof key.sk !== 'string' || !key.sk.startsWith('REPLY#'))
    throw new RequestInvalidError('query string', [
      { field: 'cursor', message: 'is not a cursor this API gave out for this campaign' },
    ]);
}

/** The match as staff read it, on every reply the API returns. */
const withLabel = (r: Reply) => ({
  ...r.match,
  label: matchLabel(r),
  counts: r.match.strength === 'strong' || !!r.match.confirmedBy,
});

const confirmBody = z.strictObject({});

async function loadReply(ctx: RouteContext) {
  const c = await loadCampaign(ctx);
  const replyId = validate(idSchema, ctx.params.replyId, 'path');
  const reply = await ctx.deps.replies.getReply(c.id, replyId);
  if (!reply) throw new NotFoundError('reply', replyId);
  return { c, reply };
}

export const replyRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/campaigns/:id/replies',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const q = query(ctx.event, repliesQuery);
      checkReplyCursor(c.id, q.cursor);
      const page = await ctx.deps.replies.listReplies(c.id, q);
      return json(200, {
        items: page.items.map((r) => ({
          id: r.id,
          recipientId: r.recipientId,
          kind: r.kind,
          match: withLabel(r),
          ...(r.authenticity ? { sender: r.authenticity.summary } : {}),
          ...(r.rejectReason ? { rejectReason: r.rejectReason } : {}),
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
      const { c, reply } = await loadReply(ctx);
      await auditBy(ctx, c.id, 'viewed-replies', `reply ${reply.id}`);
      return json(200, {
        ...reply,
        match: withLabel(reply),
        rawUrl: `/api/campaigns/${c.id}/replies/${reply.id}/raw`,
      });
    },
  },
  {
    method: 'POST',
    path: '/api/campaigns/:id/replies/:replyId/confirm',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const replyId = validate(idSchema, ctx.params.replyId, 'path');
      jsonBody(ctx.event, confirmBody);
      const { reply, counted } = await confirmWeakMatch(
        ctx.deps.replies,
        c.id,
        replyId,
        // Shown on the reply as who confirmed it; the audit entry below keeps the verified sub.
        actorLabel(ctx.staff.sub, ctx.staff.email),
        ctx.deps.clock.now().toISOString(),
      );
      await auditBy(
        ctx,
        c.id,
        'confirmed-reply',
        `reply ${reply.id}: weak match to recipient ${reply.recipientId} confirmed${counted ? ', counted as replied' : ' (already counted)'}`,
      );
      return json(200, { id: reply.id, match: withLabel(reply), counted });
    },
  },
  {
    method: 'GET',
    path: '/api/campaigns/:id/replies/:replyId/raw',
    role: 'viewer',
    run: async (ctx) => {
      const { c, reply } = await loadReply(ctx);
      await auditBy(ctx, c.id, 'viewed-replies', `raw message of reply ${reply.id}`);
      const raw = reply.raw?.key ? await ctx.deps.rawStore.get(reply.raw.key) : undefined;
      if (!raw) throw new NotFoundError('raw message', reply.raw?.key ?? reply.id);
      // Served as an attachment of type message/rfc822: the browser never renders it as a page.
      return {
        statusCode: 200,
        headers: {
          'content-type': 'message/rfc822',
          'content-disposition': `attachment; filename="reply-${reply.id}.eml"`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
          'content-security-policy': "default-src 'none'; sandbox",
        },
        body: Buffer.from(raw).toString('base64'),
        isBase64Encoded: true,
      };
    },
  },
];
