/**
 * The way out of stuck letters, for staff: list a campaign's failed and
 * unknown letters with their reason; send them again (one, a selection or
 * all); mark an unknown letter a person knows went out as sent. Resending an
 * unknown letter requires `acceptPossibleDuplicate: true` in the body: its
 * sender stopped after handing it to SES, so it may already have arrived,
 * and sending it again may deliver it twice. The server checks that field,
 * looks for SES events of each letter first, refuses after the deadline and
 * writes the audit log under the signed-in user's name (core/stuck.ts).
 */
import { z } from 'zod';
import type { CampaignRecipient } from '../core/campaign.js';
import {
  listStuck,
  markLettersSent,
  resendLetters,
  STUCK_STATES,
  WHAT_TO_DO,
} from '../core/stuck.js';
import { actorLabel } from '../core/governance/model.js';
import { auditBy } from './governance-routes.js';
import { loadCampaign } from './campaign-routes.js';
import { json } from './errors.js';
import { idSchema, jsonBody, query } from './request.js';
import type { ApiRoute } from './router.js';

const listQuery = z.strictObject({
  /** One state, paged; absent: the first page of each. */
  state: z.enum(STUCK_STATES).optional(),
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

const selection = {
  recipientIds: z.array(idSchema).min(1).max(500).optional(),
  all: z.literal(true).optional(),
};
const bothOrNeither = (b: { recipientIds?: string[]; all?: true }) =>
  (b.recipientIds !== undefined) !== (b.all === true);
const SELECTION_MESSAGE =
  'name the letters (recipientIds) or ask for all of them (all: true), not both';

const resendBody = z
  .strictObject({
    state: z.enum(STUCK_STATES),
    ...selection,
    acceptPossibleDuplicate: z.literal(true).optional(),
  })
  .refine(bothOrNeither, { message: SELECTION_MESSAGE, path: ['recipientIds'] })
  .refine((b) => b.state !== 'unknown' || b.acceptPossibleDuplicate === true, {
    message:
      'must be true to resend unknown letters: each may already have reached its recipient, and sending it again may deliver it twice',
    path: ['acceptPossibleDuplicate'],
  });

const markSentBody = z
  .strictObject({ ...selection, note: z.string().max(500).optional() })
  .refine(bothOrNeither, { message: SELECTION_MESSAGE, path: ['recipientIds'] });

/** What staff see of a stuck letter: who it is for, where it is and why. */
function view(r: CampaignRecipient) {
  return {
    recipientId: r.id,
    name: r.name,
    email: r.email,
    organisation: r.organisation,
    group: r.group,
    state: r.state,
    reason: r.failure,
    claimedAt: r.claimedAt,
    settledAt: (r as { settledAt?: string }).settledAt,
  };
}

export const stuckRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/campaigns/:id/letters/stuck',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const q = query(ctx.event, listQuery);
      const states = q.state ? [q.state] : STUCK_STATES;
      const pages = await Promise.all(
        states.map((state) => listStuck(ctx.deps, c.id, state, q.cursor, q.limit)),
      );
      return json(200, {
        whatToDo: WHAT_TO_DO,
        items: pages.flatMap((p) => p.items).map(view),
        // A cursor pages through one state only.
        ...(q.state && pages[0]!.cursor ? { cursor: pages[0]!.cursor } : {}),
        ...(!q.state && pages.some((p) => p.cursor) ? { more: true } : {}),
      });
    },
  },
  {
    method: 'POST',
    path: '/api/campaigns/:id/letters/resend',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const body = jsonBody(ctx.event, resendBody);
      const out = await resendLetters(ctx.deps, c.id, {
        ...body,
        actor: actorLabel(ctx.staff.sub, ctx.staff.email),
        audit: (action, detail) => auditBy(ctx, c.id, action, detail),
      });
      return json(200, { resent: out.done, refused: out.refused, more: out.more });
    },
  },
  {
    method: 'POST',
    path: '/api/campaigns/:id/letters/mark-sent',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const body = jsonBody(ctx.event, markSentBody);
      const out = await markLettersSent(ctx.deps, c.id, {
        ...body,
        actor: actorLabel(ctx.staff.sub, ctx.staff.email),
        audit: (action, detail) => auditBy(ctx, c.id, action, detail),
      });
      return json(200, { marked: out.done, refused: out.refused, more: out.more });
    },
  },
];
