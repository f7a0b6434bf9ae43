/**
 * Governance routes: approve the exact current version (a campaigner whose
 * sub is not its author's, unless the deployment runs single-person
 * approval), list the versions, read and export the audit log. There is
 * deliberately no route that changes or deletes a version, an approval or an
 * audit entry.
 */
import { z } from 'zod';
import { approveVersion, audit } from '../core/governance/govern.js';
import type { Actor, AuditAction, AuditEntry } from '../core/governance/model.js';
import { verifyWindowDays } from '../adapters/dynamo-governance.js';
import type { CampaignRecipient } from '../core/campaign.js';
import { untranslated } from '../core/draft-check.js';
import { InputCheck } from '../core/input-warnings.js';
import { statementLanguages } from '../core/statement.js';
import {
  checkTargets,
  OFFICIAL_GROUPS,
  targetWarning,
  type TargetLike,
} from '../core/governance/targets.js';
import type { Staff } from './auth.js';
import { loadCampaign } from './campaign-routes.js';
import { json } from './errors.js';
import { jsonBody } from './request.js';
import type { ApiRoute, RouteContext } from './router.js';
import { csvCell } from './view.js';
import { requireSignonClosed } from './signon-routes.js';

/** Who acts: the verified sub (compared with a version's author), the email as its label. */
export function actorOf(staff: Staff): Actor {
  return { sub: staff.sub, ...(staff.email ? { email: staff.email } : {}) };
}

/** Logs an action of the signed-in user on a campaign. */
export function auditBy(
  ctx: RouteContext,
  campaignId: string,
  action: AuditAction,
  detail?: string,
): Promise<void> {
  return audit(ctx.deps, campaignId, actorOf(ctx.staff), action, detail ? { detail } : {});
}

/** The approver names the exact version they reviewed: a changed campaign is refused (409). */
const approveBody = z.strictObject({
  hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be the full version hash you reviewed (64 hex digits)'),
});

const AUDIT_COLUMNS = ['at', 'actor', 'action', 'versionHash', 'detail'] as const;

async function wholeLog(ctx: RouteContext, id: string): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await ctx.deps.governance.auditLog(id, cursor);
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

export const governanceRoutes: ApiRoute[] = [
  {
    // Officials' addresses not verified within the window (DEMARCHE_VERIFY_WINDOW_DAYS, 90 days).
    method: 'GET',
    path: '/api/campaigns/:id/targets',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const officials: TargetLike[] = [];
      // What the stored list will do with this statement: rows asking for a language it has
      // no translation for (said as an import says it), groups their titles contradict.
      const rows = new InputCheck(c.statement);
      const languages: Pick<CampaignRecipient, 'language'>[] = [];
      let cursor: string | undefined;
      do {
        const page = await ctx.deps.store.recipientsPage(c.id, cursor, 500);
        for (const r of page.items) {
          if (OFFICIAL_GROUPS.includes(r.group)) officials.push(r);
          rows.add(r);
          if (r.language) languages.push({ language: r.language });
        }
        cursor = page.cursor;
      } while (cursor);
      const check = checkTargets(officials, ctx.deps.clock.now(), verifyWindowDays());
      const warning = targetWarning(check);
      const listWarnings = rows
        .warnings()
        .filter((w) => w.code === 'group-contradicts-title')
        .map(({ code, message, count }) => ({ code, message, ...(count ? { count } : {}) }));
      const missing = untranslated(
        languages,
        statementLanguages(c.statement).map((l) => l.toLowerCase()),
        c.statement.language,
      );
      return json(200, {
        ...check,
        ...(warning ? { warning } : {}),
        ...(missing ? { untranslated: missing } : {}),
        listWarnings,
      });
    },
  },
  {
    method: 'POST',
    path: '/api/campaigns/:id/approve',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const body = jsonBody(ctx.event, approveBody);
      await requireSignonClosed(ctx, c.id);
      const { version, approval } = await approveVersion(
        ctx.deps,
        c.id,
        actorOf(ctx.staff),
        body.hash,
      );
      return json(200, { version, approval, mode: ctx.deps.approvalMode });
    },
  },
  {
    method: 'GET',
    path: '/api/campaigns/:id/versions',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const versions = await ctx.deps.governance.versions(c.id);
      const current = versions.at(-1);
      const approvals = current ? await ctx.deps.governance.approvals(c.id, current.hash) : [];
      return json(200, { versions, approvals, mode: ctx.deps.approvalMode });
    },
  },
  {
    method: 'GET',
    path: '/api/campaigns/:id/audit',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      return json(200, { items: await wholeLog(ctx, c.id) });
    },
  },
  {
    method: 'GET',
    path: '/api/campaigns/:id/audit.csv',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const entries = await wholeLog(ctx, c.id);
      await auditBy(ctx, c.id, 'exported', 'audit log (CSV)');
      const lines = [AUDIT_COLUMNS.join(',')];
      for (const e of entries) lines.push(AUDIT_COLUMNS.map((k) => csvCell(e[k])).join(','));
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="demarche-${c.id}-audit.csv"`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        },
        body: `\uFEFF${lines.join('\r\n')}\r\n`,
      };
    },
  },
];
