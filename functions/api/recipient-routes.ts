/**
 * Recipients for staff: a filtered, cursor-paged table; one recipient with
 * their timeline; the CSV export of recipients and results; and, for
 * campaigners, adding recipients to a draft (bad rows reported by line).
 */
import { z } from 'zod';
import type { CampaignRecipient } from '../core/campaign.js';
import { timelineFromRecord } from '../core/engagement.js';
import { CampaignStateError, NotFoundError } from '../core/errors.js';
import { importRecipients } from '../core/recipients.js';
import { keys } from '../adapters/table-definition.js';
import { decodeCursor, SORT_LIMIT } from '../adapters/staff-queries.js';
import { loadCampaign } from './campaign-routes.js';
import { recordVersion } from '../core/governance/govern.js';
import { fallbackSummary } from '../core/governance/fallback.js';
import { actorOf, auditBy } from './governance-routes.js';
import { json, RequestInvalidError } from './errors.js';
import { bodyText, idSchema, jsonBody, query, recipientsQuery, validate } from './request.js';
import type { ApiRoute } from './router.js';
import { CSV_COLUMNS, csvRow } from './view.js';

/** A cursor must be one this API gave out for this campaign's recipients. */
function checkCursor(campaignId: string, cursor: string | undefined): void {
  if (!cursor) return;
  let key: Record<string, string> | undefined;
  try {
    key = decodeCursor(cursor);
  } catch {
    key = undefined;
  }
  const ok =
    key !== undefined &&
    typeof key === 'object' &&
    Object.keys(key).length === 2 &&
    key.pk === keys.campaign(campaignId).pk &&
    typeof key.sk === 'string' &&
    (key.sk.startsWith('RCPT#') || key.sk.startsWith('FIND#') || /^SORT#\d{1,6}$/.test(key.sk));
  if (!ok)
    throw new RequestInvalidError('query string', [
      { field: 'cursor', message: 'is not a cursor this API gave out for this campaign' },
    ]);
}

/** What the table shows of a recipient (the send internals stay in the store). */
export function row(r: CampaignRecipient) {
  // The stores strip storage's fields (the search words among them: dynamo-items.ts).
  const { claimId: _c, ...rest } = r;
  return rest;
}

const uploadJson = z.strictObject({ csv: z.string().min(1).max(5_000_000) });

export const recipientRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/campaigns/:id/recipients',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const q = query(ctx.event, recipientsQuery);
      checkCursor(c.id, q.cursor);
      const { cursor, limit, sort, order, ...filter } = q;
      const page = sort
        ? await ctx.deps.staffQueries.sortedRecipients(
            c.id,
            filter,
            sort,
            order ?? 'asc',
            cursor,
            limit,
          )
        : await ctx.deps.staffQueries.recipients(c.id, filter, cursor, limit);
      if (!page)
        throw new RequestInvalidError('query string', [
          {
            field: 'sort',
            message: `sorting reads the whole list, up to ${SORT_LIMIT.toLocaleString('en-GB')} recipients: filter or search first (more match)`,
          },
        ]);
      return json(200, {
        items: page.items.map(row),
        ...(page.cursor ? { cursor: page.cursor } : {}),
        scanned: page.scanned,
        filteredBy: filter.q ? 'search-index' : 'page-stream',
      });
    },
  },
  {
    // How many recipients a filter or search matches ("1–50 of 312"): the list's own
    // count when nothing is filtered, else a COUNT read over the recipients (bounded).
    method: 'GET',
    path: '/api/campaigns/:id/recipient-count',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const {
        cursor: _c,
        limit: _l,
        sort: _s,
        order: _o,
        ...filter
      } = query(ctx.event, recipientsQuery);
      const filtered = Object.values(filter).some((v) => v !== undefined && v !== '');
      if (!filtered) return json(200, { count: c.recipientCount, complete: true });
      return json(200, await ctx.deps.staffQueries.countRecipients(c.id, filter));
    },
  },
  {
    method: 'GET',
    path: '/api/campaigns/:id/recipients/:rid',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const rid = validate(idSchema, ctx.params.rid, 'path');
      const r = await ctx.deps.store.getRecipient(c.id, rid);
      if (!r) throw new NotFoundError('recipient', rid);
      // The events store's timeline (every send, delivery, open, click, reply, bounce);
      // a recipient with no events yet shows what their own record says.
      const events = await ctx.deps.events.timeline(c.id, rid);
      const timeline = events.length
        ? events.map((e) => ({
            at: e.at,
            what: e.actor ? `${e.type} (${e.actor})` : e.type,
            ...(e.reason || e.link || e.bounceType
              ? { detail: [e.bounceType, e.reason, e.link].filter(Boolean).join(' · ') }
              : {}),
            ...(e.anomaly ? { anomaly: true } : {}),
          }))
        : timelineFromRecord(r);
      // Moves to a fallback address, in time order with the rest.
      const moves = fallbackSummary(r);
      const withMoves = moves.length
        ? [
            ...timeline,
            ...(r.fallbackHistory ?? []).map((m, i) => ({
              at: m.at,
              what: 'fallback',
              detail: moves[i]!,
            })),
          ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
        : timeline;
      return json(200, {
        recipient: row(r),
        timeline: withMoves,
        timelineSource: events.length ? 'events' : 'record',
        ...(moves.length ? { fallbacks: moves } : {}),
      });
    },
  },
  {
    method: 'GET',
    path: '/api/campaigns/:id/export.csv',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const lines = [CSV_COLUMNS.join(',')];
      let cursor: string | undefined;
      do {
        const page = await ctx.deps.store.recipientsPage(c.id, cursor, 500);
        for (const r of page.items) lines.push(csvRow(r, c.tracking));
        cursor = page.cursor;
      } while (cursor);
      await auditBy(ctx, c.id, 'exported', `recipients CSV (${lines.length - 1} rows)`);
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="demarche-${c.id}.csv"`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        },
        body: `\uFEFF${lines.join('\r\n')}\r\n`,
      };
    },
  },
  {
    method: 'POST',
    path: '/api/campaigns/:id/recipients',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      if (c.status !== 'draft')
        throw new CampaignStateError(
          c.id,
          `recipients can only be added to a draft, not a ${c.status} campaign`,
          {
            status: c.status,
          },
        );
      const type = ctx.event.headers?.['content-type'] ?? '';
      const csv = type.startsWith('text/csv')
        ? bodyText(ctx.event)
        : jsonBody(ctx.event, uploadJson).csv;
      const imported = importRecipients(csv, 'upload.csv');
      const { added, existing } = await ctx.deps.staffQueries.addRecipients(
        c.id,
        imported.recipients,
      );
      // A changed recipient selection is a new version: any approval of the old one is void.
      const version = added
        ? await recordVersion(ctx.deps, c.id, actorOf(ctx.staff), `${added} recipients added`)
        : undefined;
      return json(200, {
        added,
        existing,
        rows: imported.rows,
        problems: imported.problems,
        ...(version ? { version: { number: version.number, hash: version.hash } } : {}),
      });
    },
  },
];
