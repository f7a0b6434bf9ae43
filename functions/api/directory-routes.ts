/**
 * The target directory's routes: list and filter (viewers), a target's page
 * with its versions, suppression state and letters, the CSV export, an
 * import compared before anything is written, and applying all or a chosen
 * part of it, a person's edit and a fallback's promotion (campaigners).
 * Every write is a version by the signed-in user's sub (core/directory).
 * Thin: the rules are core/directory/*.ts.
 */
import { z } from 'zod';
import { verifyWindowDays } from '../adapters/dynamo-governance.js';
import { applyImport, editTarget, promoteFallback } from '../core/directory/apply.js';
import { readDirectoryCsv } from '../core/directory/csv.js';
import { diffDirectory, diffSummary } from '../core/directory/diff.js';
import { targetLetter } from '../core/directory/history.js';
import {
  INSTITUTION_TYPES,
  isStale,
  type Target,
  TARGET_KINDS,
  verifiedAgeDays,
} from '../core/directory/model.js';
import { byName, facets, matcher, type Selection } from '../core/directory/select.js';
import { NotFoundError } from '../core/errors.js';
import { describeFormat, GROUPS, recipientId } from '../core/recipients.js';
import { json } from './errors.js';
import { actorOf } from './governance-routes.js';
import { directoryExport } from './directory-view.js';
import { idSchema, jsonBody, query, validate } from './request.js';
import type { ApiRoute, RouteContext } from './router.js';
import { responsivenessRoutes } from './responsiveness-routes.js';
import { directoryCampaignRoutes } from './directory-campaign-routes.js';

/** A comma-separated list in a query string (tags hold no commas: the CSV splits them on , and ;). */
const csvList = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .max(2000)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).max(50))
    .optional();

export const listQuery = z.strictObject({
  tags: csvList(z.string().max(60)),
  groups: csvList(z.enum(GROUPS)),
  countries: csvList(
    z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166 alpha-2 code')
      .transform((s) => s.toUpperCase()),
  ),
  institutionTypes: csvList(z.enum(INSTITUTION_TYPES)),
  q: z.string().trim().max(200).optional(),
  stale: z.enum(['true', 'false']).optional(),
  archived: z.enum(['true', 'false']).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const csvBody = z.strictObject({
  csv: z.string().min(1, 'is empty').max(10_000_000),
  file: z.string().max(200).optional(),
});

const applyBody = csvBody
  .extend({
    all: z.literal(true).optional(),
    keys: z.array(z.string().max(120)).max(20_000).optional(),
  })
  .refine((b) => (b.all === true) !== (b.keys !== undefined), {
    message: 'give all: true or the keys of the changes to apply (one of them)',
    path: ['keys'],
  });

const optionalText = (max: number) => z.string().trim().max(max).optional();
const editBody = z.strictObject({
  version: z.number().int().min(1),
  kind: z.enum(TARGET_KINDS).optional(),
  name: z.string().trim().min(1).max(200).optional(),
  salutation: optionalText(200),
  title: optionalText(100),
  organisation: optionalText(200),
  institutionType: z.enum(INSTITUTION_TYPES).optional(),
  country: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166 alpha-2 code')
    .transform((s) => s.toUpperCase())
    .optional(),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[a-z]{2})?$/, 'must be a language code such as en or fr')
    .optional(),
  group: z.enum(GROUPS).optional(),
  tags: z.array(z.string().trim().min(1).max(60)).max(30).optional(),
  source: optionalText(300),
  lastVerified: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-11-30')
    .optional(),
  notes: optionalText(2000),
  archived: z.boolean().optional(),
  reason: z.string().trim().min(1).max(300).optional(),
});

const promoteBody = z.strictObject({
  version: z.number().int().min(1),
  fallback: z.string().trim().toLowerCase().max(254),
});

/** A target as lists show it: its fields, and whether it needs checking. */
export function targetView(t: Target, now: Date, windowDays: number) {
  const age = verifiedAgeDays(t, now);
  return {
    ...t,
    stale: isStale(t, now, windowDays),
    ...(age !== undefined ? { verifiedDaysAgo: age } : {}),
  };
}

const activeCache = new WeakMap<readonly Target[], Target[]>();
/** The targets not archived, once per array the store hands out. */
function activeOf(all: readonly Target[]): Target[] {
  let a = activeCache.get(all);
  if (!a) {
    a = all.filter((t) => !t.archived);
    activeCache.set(all, a);
  }
  return a;
}

const countCache = new WeakMap<
  readonly Target[],
  { day: string; stale: number; failing: number }
>();
/** Stale and failing counts, once per array and day. */
function counts(targets: readonly Target[], now: Date, windowDays: number) {
  const day = `${now.toISOString().slice(0, 10)}/${windowDays}`;
  let c = countCache.get(targets);
  if (c?.day !== day) {
    c = {
      day,
      stale: targets.filter((t) => isStale(t, now, windowDays)).length,
      failing: targets.filter((t) => t.failing).length,
    };
    countCache.set(targets, c);
  }
  return { stale: c.stale, failing: c.failing };
}

async function loadTarget(ctx: RouteContext): Promise<Target> {
  const id = validate(idSchema, ctx.params.id, 'path');
  const t = await ctx.deps.directory.get(id);
  if (!t) throw new NotFoundError('target', id);
  return t;
}

/** The campaigns a target's history is looked for in: the newest 500. */
async function recentCampaigns(ctx: RouteContext) {
  const out = [];
  let cursor: string | undefined;
  do {
    const page = await ctx.deps.store.campaignsPage(cursor, 100);
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor && out.length < 500);
  return out;
}

/** Every letter sent to any address the target has or had, newest first. */
async function lettersOf(ctx: RouteContext, t: Target, emails: string[]) {
  const campaigns = await recentCampaigns(ctx);
  const byId = new Map(campaigns.map((c) => [c.id, c]));
  const records = await ctx.deps.directory.letters(
    campaigns.map((c) => c.id),
    [...new Set(emails)].map(recipientId),
  );
  const letters = await Promise.all(
    records.map(async (r) => {
      const replies = await ctx.deps.replies.listReplies(r.campaignId, {
        recipientId: r.id,
        limit: 50,
      });
      return targetLetter(byId.get(r.campaignId)!, r, replies.items);
    }),
  );
  return letters.sort((a, b) => ((a.sentAt ?? '') < (b.sentAt ?? '') ? 1 : -1));
}

export const directoryRoutes: ApiRoute[] = [
  ...directoryCampaignRoutes,
  {
    method: 'GET',
    path: '/api/targets',
    role: 'viewer',
    run: async (ctx) => {
      const q = query(ctx.event, listQuery);
      const now = ctx.deps.clock.now();
      const windowDays = verifyWindowDays();
      // Sorted by name already; the same array (and its facets) while nothing changed.
      const all = await ctx.deps.directory.all();
      const active = q.archived === 'true' ? all.filter((t) => t.archived) : activeOf(all);
      const selection: Selection = {
        ...(q.tags ? { tags: q.tags } : {}),
        ...(q.groups ? { groups: q.groups } : {}),
        ...(q.countries ? { countries: q.countries } : {}),
        ...(q.institutionTypes ? { institutionTypes: q.institutionTypes } : {}),
        ...(q.q ? { q: q.q } : {}),
      };
      const m = matcher(selection);
      const matching = active.filter(
        (t) =>
          m(t) && (q.stale === undefined || isStale(t, now, windowDays) === (q.stale === 'true')),
      );
      return json(200, {
        total: active.length,
        matching: matching.length,
        ...counts(active, now, windowDays),
        windowDays,
        offset: q.offset,
        limit: q.limit,
        items: matching
          .slice(q.offset, q.offset + q.limit)
          .map((t) => targetView(t, now, windowDays)),
        facets: facets(active),
      });
    },
  },
  {
    method: 'GET',
    path: '/api/targets/export.csv',
    role: 'viewer',
    run: async (ctx) => {
      const all = (await ctx.deps.directory.all()).filter((t) => !t.archived).sort(byName);
      return directoryExport(all);
    },
  },
  ...responsivenessRoutes,
  {
    // The comparison only: nothing is written.
    method: 'POST',
    path: '/api/targets/import',
    role: 'campaigner',
    run: async (ctx) => {
      const body = jsonBody(ctx.event, csvBody);
      const file = readDirectoryCsv(body.csv, body.file ?? 'directory.csv');
      const diff = diffDirectory(await ctx.deps.directory.all(), file);
      return json(200, {
        summary: `${diffSummary(diff)}; ${file.problems.length} row${file.problems.length === 1 ? '' : 's'} skipped (${describeFormat(file.format)})`,
        read: file.read,
        problems: file.problems,
        diff,
      });
    },
  },
  {
    method: 'POST',
    path: '/api/targets/import/apply',
    role: 'campaigner',
    run: async (ctx) => {
      const body = jsonBody(ctx.event, applyBody);
      const fileName = body.file ?? 'directory.csv';
      const file = readDirectoryCsv(body.csv, fileName);
      const { diff, ...result } = await applyImport(
        ctx.deps.directory,
        file,
        body.all ? { all: true } : { keys: body.keys! },
        actorOf(ctx.staff),
        ctx.deps.clock.now().toISOString(),
        fileName,
      );
      return json(200, { ...result, compared: diffSummary(diff) });
    },
  },
  {
    method: 'GET',
    path: '/api/targets/:id',
    role: 'viewer',
    run: async (ctx) => {
      const t = await loadTarget(ctx);
      const versions = await ctx.deps.directory.versions(t.id);
      const emails = [t.email, ...(t.fallbackEmails ?? [])];
      for (const v of versions)
        for (const c of v.changes)
          if (c.field === 'email')
            emails.push(...[c.before, c.after].filter((x): x is string => !!x));
      const [letters, suppressed] = await Promise.all([
        lettersOf(ctx, t, emails),
        ctx.deps.store.isSuppressed(t.email),
      ]);
      return json(200, {
        target: targetView(t, ctx.deps.clock.now(), verifyWindowDays()),
        suppressed,
        versions,
        letters,
      });
    },
  },
  {
    method: 'POST',
    path: '/api/targets/:id/edit',
    role: 'campaigner',
    run: async (ctx) => {
      const t = await loadTarget(ctx);
      const { version, reason, ...change } = jsonBody(ctx.event, editBody);
      const next = await editTarget(
        ctx.deps.directory,
        t,
        version,
        change,
        actorOf(ctx.staff),
        ctx.deps.clock.now().toISOString(),
        reason,
      );
      return json(200, { target: next });
    },
  },
  {
    method: 'POST',
    path: '/api/targets/:id/promote',
    role: 'campaigner',
    run: async (ctx) => {
      const t = await loadTarget(ctx);
      const body = jsonBody(ctx.event, promoteBody);
      const next = await promoteFallback(
        ctx.deps.directory,
        t,
        body.version,
        body.fallback,
        actorOf(ctx.staff),
        ctx.deps.clock.now().toISOString(),
      );
      return json(200, { target: next });
    },
  },
];
