/**
 * The replies inbox: a campaign's replies newest first, one reply with its
 * extracted text, match (with the words staff read: strong, weak and
 * unconfirmed, confirmed), authenticity verdict and attachments, the raw
 * message as received (its bytes, from the raw message store), and the
 * audited confirmation of a weak match, after which it counts.
 */
import { keys, PARTITION } from '../adapters/table-definition.js';
import { decodeCursor } from '../adapters/staff-queries.js';
import { NotFoundError } from '../core/errors.js';
import { confirmWeakMatch } from '../core/replies/confirm.js';
import { actorLabel } from '../core/governance/model.js';
import { matchLabel } from '../core/replies/effects.js';
import { REPLY_KINDS, type Reply } from '../core/replies/types.js';
import { z } from 'zod';
import { loadCampaign } from './campaign-routes.js';
import { json, RequestInvalidError } from './errors.js';
import { bool, idSchema, jsonBody, query, validate } from './request.js';
import { auditBy } from './governance-routes.js';
import type { ApiRoute, RouteContext } from './router.js';

const repliesQuery = z.strictObject({
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  kind: z.enum(REPLY_KINDS).optional(),
  recipientId: idSchema.optional(),
  handled: bool.optional(),
});

/** A replies cursor must be one this API gave out for this campaign (or for the unmatched replies). */
function checkReplyCursor(campaignId: string | undefined, cursor: string | undefined): void {
  if (!cursor) return;
  let key: Record<string, string> | undefined;
  try {
    key = decodeCursor(cursor);
  } catch {
    key = undefined;
  }
  const pk = campaignId ? keys.campaign(campaignId).pk : PARTITION.unmatchedReplies;
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

/** One line of a replies list. */
const summary = (r: Reply) => ({
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
  attachments: (r.attachments ?? []).map((a) => ({ filename: a.filename, size: a.size })),
  ...(r.readBy ? { readBy: r.readBy, readAt: r.readAt } : {}),
  ...(r.handledBy ? { handledBy: r.handledBy, handledAt: r.handledAt } : {}),
});

/** Who wrote, as the recipients list knows them: name, title, organisation, country. */
async function withPeople(ctx: RouteContext, campaignId: string, replies: Reply[]) {
  const ids = [...new Set(replies.map((r) => r.recipientId).filter((x): x is string => !!x))];
  const people = new Map(
    (await ctx.deps.staffQueries.recipientsById(campaignId, ids)).map((p) => [p.id, p]),
  );
  return replies.map((r) => {
    const p = r.recipientId ? people.get(r.recipientId) : undefined;
    return {
      ...summary(r),
      ...(p
        ? {
            person: {
              name: p.name,
              ...(p.title ? { title: p.title } : {}),
              ...(p.organisation ? { organisation: p.organisation } : {}),
              ...(p.country ? { country: p.country } : {}),
              group: p.group,
            },
          }
        : {}),
    };
  });
}

const handledBody = z.strictObject({ handled: z.boolean() });

/** The raw message as an attachment of type message/rfc822: the browser never renders it as a page. */
function rawResponse(id: string, raw: Uint8Array) {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'message/rfc822',
      'content-disposition': `attachment; filename="reply-${id}.eml"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    },
    body: Buffer.from(raw).toString('base64'),
    isBase64Encoded: true,
  };
}

const confirmBody = z.strictObject({});

async function loadReply(ctx: RouteContext) {
  const c = await loadCampaign(ctx);
  const replyId = validate(idSchema, ctx.params.replyId, 'path');
  const reply = await ctx.deps.replies.getReply(c.id, replyId);
  if (!reply) throw new NotFoundError('reply', replyId);
  return { c, reply };
}

const replyCountQuery = z.strictObject({
  kind: z.enum(REPLY_KINDS).optional(),
  handled: bool.optional(),
});

export const replyRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/campaigns/:id/reply-count',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const q = query(ctx.event, replyCountQuery);
      return json(200, { count: await ctx.deps.replies.countReplies(c.id, q), ...q });
    },
  },
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
        items: await withPeople(ctx, c.id, page.items),
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
      // The first reader is kept on the reply: "read by …" in the inbox.
      const read = reply.readBy
        ? {}
        : {
            readBy: actorLabel(ctx.staff.sub, ctx.staff.email),
            readAt: ctx.deps.clock.now().toISOString(),
          };
      if (read.readBy)
        await ctx.deps.replies.markRead(c.id, reply.id, { by: read.readBy, at: read.readAt });
      return json(200, {
        ...reply,
        ...read,
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
    // Handled (answered, passed on) or back to "to handle": shown with who did it, and audited
    // under the verified token subject.
    method: 'POST',
    path: '/api/campaigns/:id/replies/:replyId/handled',
    role: 'campaigner',
    run: async (ctx) => {
      const { c, reply } = await loadReply(ctx);
      const { handled } = jsonBody(ctx.event, handledBody);
      const mark = handled
        ? { by: actorLabel(ctx.staff.sub, ctx.staff.email), at: ctx.deps.clock.now().toISOString() }
        : undefined;
      const changed = await ctx.deps.replies.markHandled(c.id, reply.id, mark);
      if (changed)
        await auditBy(
          ctx,
          c.id,
          'handled-reply',
          `reply ${reply.id}${reply.from?.address ? ` from ${reply.from.address}` : ''} ${handled ? 'marked handled' : 'marked to handle again'}`,
        );
      const now = await ctx.deps.replies.getReply(c.id, reply.id);
      return json(200, {
        id: reply.id,
        changed,
        ...(now?.handledBy ? { handledBy: now.handledBy, handledAt: now.handledAt } : {}),
      });
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
      return rawResponse(reply.id, raw);
    },
  },
  // Replies that matched no campaign (no token, no known Message-ID, no known
  // sender): staff read them to find a reply that went astray. They belong to
  // no campaign, so no campaign's audit log records the reading.
  {
    method: 'GET',
    path: '/api/replies/unmatched',
    role: 'viewer',
    run: async (ctx) => {
      const q = query(ctx.event, repliesQuery);
      checkReplyCursor(undefined, q.cursor);
      const page = await ctx.deps.replies.listReplies(undefined, q);
      return json(200, {
        items: page.items.map(summary),
        ...(page.cursor ? { cursor: page.cursor } : {}),
      });
    },
  },
  {
    method: 'GET',
    path: '/api/replies/unmatched/:replyId',
    role: 'viewer',
    run: async (ctx) => {
      const replyId = validate(idSchema, ctx.params.replyId, 'path');
      const reply = await ctx.deps.replies.getReply(undefined, replyId);
      if (!reply) throw new NotFoundError('reply', replyId);
      return json(200, {
        ...reply,
        match: withLabel(reply),
        rawUrl: `/api/replies/unmatched/${reply.id}/raw`,
      });
    },
  },
  {
    method: 'GET',
    path: '/api/replies/unmatched/:replyId/raw',
    role: 'viewer',
    run: async (ctx) => {
      const replyId = validate(idSchema, ctx.params.replyId, 'path');
      const reply = await ctx.deps.replies.getReply(undefined, replyId);
      const raw = reply?.raw?.key ? await ctx.deps.rawStore.get(reply.raw.key) : undefined;
      if (!reply || !raw) throw new NotFoundError('raw message', replyId);
      return rawResponse(reply.id, raw);
    },
  },
];
