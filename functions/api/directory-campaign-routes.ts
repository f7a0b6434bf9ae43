/**
 * Campaigns whose recipients come from the directory: created from a
 * selection plus ad-hoc rows, refreshed while a draft, and, once taken, told
 * apart from the directory as it is now (a target edited after the campaign
 * took it does not change the campaign: its approved version holds what was
 * taken). The same rules as any campaign write: a version by the caller's
 * sub, which another campaigner approves.
 */
import { z } from 'zod';
import { verifyWindowDays } from '../adapters/dynamo-governance.js';
import { readTemplate } from '../adapters/templates.js';
import type { Campaign, CampaignRecipient } from '../core/campaign.js';
import { recipientsFrom, sinceTaken, type TargetChangedSince } from '../core/directory/campaign.js';
import { isEmptySelection, type Selection, selectionSchema } from '../core/directory/select.js';
import { CampaignStateError, DemarcheError } from '../core/errors.js';
import { recordVersion } from '../core/governance/govern.js';
import { checkTargets, targetWarning } from '../core/governance/targets.js';
import { inputWarnings } from '../core/input-warnings.js';
import { createCampaign } from '../core/launch.js';
import { COLUMNS, importRecipients, type Recipient } from '../core/recipients.js';
import { loadCampaign, summary } from './campaign-routes.js';
import { json } from './errors.js';
import { actorOf } from './governance-routes.js';
import { jsonBody } from './request.js';
import type { ApiRoute, RouteContext } from './router.js';
import { statementDefaults, statementFields, statementOf } from './statement-body.js';

const createBody = z.strictObject({
  ...statementFields,
  selection: selectionSchema,
  /** Ad-hoc rows beside the selection: a recipients CSV. */
  recipientsCsv: z.string().min(1).max(5_000_000).optional(),
  dryRun: z.boolean().default(false),
});

function needsSomething(selection: Selection): void {
  if (isEmptySelection(selection))
    throw new DemarcheError(
      'REQUEST_INVALID',
      'the selection names nothing: give tags, groups, countries, institution types or a search (the whole directory is never taken by default)',
      { field: 'selection' },
    );
}

/** The selection resolved against the directory now, with the ad-hoc rows; refused when empty. */
async function resolve(
  ctx: RouteContext,
  selection: Selection,
  adHoc: Recipient[],
  lines: number[],
) {
  const out = recipientsFrom(await ctx.deps.directory.all(), selection, adHoc, lines);
  if (!out.recipients.length)
    throw new DemarcheError(
      'RECIPIENTS_EMPTY',
      'the selection takes no target and there are no ad-hoc rows',
      {
        selection,
      },
    );
  return out;
}

/** Up to 5,000 of a campaign's recipients (the split scans' bound). */
async function recipientsOf(ctx: RouteContext, id: string): Promise<CampaignRecipient[]> {
  const out: CampaignRecipient[] = [];
  let cursor: string | undefined;
  do {
    const page = await ctx.deps.store.recipientsPage(id, cursor, 500);
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor && out.length < 5000);
  return out;
}

/** The targets this campaign took that changed (or went) since, at most 100 looked up in detail. */
async function changedSince(ctx: RouteContext, c: Campaign): Promise<TargetChangedSince[]> {
  const byId = new Map((await ctx.deps.directory.all()).map((t) => [t.id, t]));
  const out: TargetChangedSince[] = [];
  for (const r of await recipientsOf(ctx, c.id)) {
    const taken = r as unknown as { targetId?: string; targetVersion?: number };
    if (!taken.targetId || taken.targetVersion === undefined) continue;
    const now = byId.get(taken.targetId);
    if (now && now.version <= taken.targetVersion) continue;
    const versions = now && out.length < 100 ? await ctx.deps.directory.versions(now.id) : [];
    const changed = sinceTaken(taken.targetId, r.name, taken.targetVersion, now, versions);
    if (changed) out.push(changed);
  }
  return out;
}

export const directoryCampaignRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/campaigns/from-directory',
    role: 'campaigner',
    run: async (ctx) => {
      const body = jsonBody(ctx.event, createBody);
      needsSomething(body.selection);
      const statement = statementOf(body, ctx.deps);
      const adHoc = body.recipientsCsv
        ? importRecipients(body.recipientsCsv, 'ad-hoc.csv', { keepColumns: true })
        : undefined;
      const taken = await resolve(ctx, body.selection, adHoc?.recipients ?? [], adHoc?.lines ?? []);
      const actor = actorOf(ctx.staff);
      const { campaign } = await createCampaign(ctx.deps, {
        statement,
        recipients: taken.recipients,
        recipientCount: taken.recipients.length,
        mjml: readTemplate(),
        dryRun: body.dryRun,
        configurationSet: ctx.deps.config.configurationSet,
      });
      const at = ctx.deps.clock.now().toISOString();
      await ctx.deps.directory.putSelection(campaign.id, {
        selection: body.selection,
        targets: taken.targets,
        adHoc: taken.adHoc,
        takenAt: at,
        takenBy: actor.sub,
      });
      const version = await recordVersion(
        ctx.deps,
        campaign.id,
        actor,
        `created from the directory: ${taken.targets} targets, ${taken.adHoc} ad-hoc rows`,
      );
      const stale = targetWarning(
        checkTargets(taken.recipients, ctx.deps.clock.now(), verifyWindowDays()),
      );
      return json(201, {
        version: { number: version.number, hash: version.hash, author: version.author },
        campaign: summary(campaign),
        recipients: taken.recipients.length,
        targets: taken.targets,
        adHoc: taken.adHoc,
        problems: [...(adHoc?.problems ?? []), ...taken.problems].sort((a, b) => a.line - b.line),
        warnings: [
          ...inputWarnings(statement, taken.recipients, statementDefaults(body)),
          ...(stale ? [stale] : []),
        ],
      });
    },
  },
  {
    // What the campaign took, and which of those targets changed in the directory since.
    method: 'GET',
    path: '/api/campaigns/:id/directory',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const taken = await ctx.deps.directory.selection(c.id);
      if (!taken) return json(200, { fromDirectory: false });
      const changed = await changedSince(ctx, c);
      return json(200, {
        fromDirectory: true,
        ...taken,
        // A draft can take the directory as it is now (a new version); after approval it keeps what it took.
        refreshable: c.status === 'draft',
        changed,
      });
    },
  },
  {
    method: 'POST',
    path: '/api/campaigns/:id/directory/refresh',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      if (c.status !== 'draft')
        throw new CampaignStateError(
          c.id,
          `only a draft takes the directory again; a ${c.status} campaign keeps the recipients it was approved with`,
          { status: c.status },
        );
      const taken = await ctx.deps.directory.selection(c.id);
      if (!taken)
        throw new CampaignStateError(c.id, 'its recipients were not taken from the directory');
      const adHoc = (await recipientsOf(ctx, c.id)).filter(
        (r) => !(r as unknown as { targetId?: string }).targetId,
      );
      const out = await resolve(
        ctx,
        taken.selection,
        adHoc.map((r) => recipientFields(r)),
        [],
      );
      const at = ctx.deps.clock.now().toISOString();
      await ctx.deps.jobStore.clearRecipients(c.id);
      await ctx.deps.store.putRecipients(c.id, out.recipients);
      const count = await ctx.deps.jobStore.countRecipients(c.id);
      await ctx.deps.store.transition(c.id, ['draft'], 'draft', at, { recipientCount: count });
      await ctx.deps.directory.putSelection(c.id, {
        ...taken,
        targets: out.targets,
        adHoc: out.adHoc,
        takenAt: at,
        takenBy: ctx.staff.sub,
      });
      const version = await recordVersion(
        ctx.deps,
        c.id,
        actorOf(ctx.staff),
        `recipients taken again from the directory: ${out.targets} targets, ${out.adHoc} ad-hoc rows`,
      );
      return json(200, {
        version: { number: version.number, hash: version.hash, author: version.author },
        campaign: summary((await ctx.deps.store.getCampaign(c.id))!),
        targets: out.targets,
        adHoc: out.adHoc,
      });
    },
  },
];

/** The recipient's own fields, as a list row would give them (state and stamps dropped). */
function recipientFields(r: CampaignRecipient): Recipient {
  const out: Record<string, unknown> = { id: r.id };
  for (const k of COLUMNS) if (r[k] !== undefined) out[k] = r[k];
  return out as unknown as Recipient;
}
