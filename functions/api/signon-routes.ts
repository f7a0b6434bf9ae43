/**
 * Coalition sign-on, the staff side: open sign-on on a draft (a closing
 * time before the deadline; the invite link), list the signatories by state
 * with their possible duplicates, approve, reject or merge, rename and
 * order them (each audited under the signed-in sub), close sign-on, which
 * locks the approved list into the statement: a new content version, which
 * needs its own approval. Any change while closed locks again (a new
 * version again), so an approval never covers a list it did not see.
 */
import { readTemplate } from '../adapters/templates.js';
import type { Campaign } from '../core/campaign.js';
import { CampaignStateError, NotFoundError } from '../core/errors.js';
import type { AuditAction } from '../core/governance/model.js';
import { moderate } from '../core/signon/flow.js';
import { closeSignon, lockSignatories } from '../core/signon/lock.js';
import { duplicateFlags, ordered } from '../core/signon/list.js';
import { renamedMail } from '../core/signon/mail.js';
import { personalInvites, readInvitees, type Invitee } from '../core/signon/invites.js';
import {
  closingTimeProblem,
  editBody,
  moderateBody,
  openBody,
  openLetterBody,
  SIGNATORY_STATES,
  type Signatory,
  type SignonSettings,
} from '../core/signon/model.js';
import { inviteUrl, listUrl, openLetterUrl } from '../core/signon/links.js';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { loadCampaign } from './campaign-routes.js';
import { json } from './errors.js';
import { actorOf, auditBy } from './governance-routes.js';
import { jsonBody, query, validate, idSchema } from './request.js';
import type { ApiRoute, RouteContext } from './router.js';
import { csvCell } from './view.js';

function draftOnly(c: Campaign): void {
  if (c.status !== 'draft')
    throw new CampaignStateError(c.id, `sign-on is for a draft; this campaign is ${c.status}`, {
      status: c.status,
    });
}

async function settingsOf(ctx: RouteContext, c: Campaign): Promise<SignonSettings> {
  const s = await ctx.deps.signon.settings(c.id);
  if (!s) throw new NotFoundError('sign-on of campaign', c.id);
  return s;
}

/** Refuses an approval while sign-on still takes signatures: the list is not part of the version yet. */
export async function requireSignonClosed(ctx: RouteContext, campaignId: string): Promise<void> {
  const s = await ctx.deps.signon.settings(campaignId);
  if (s?.state === 'open')
    throw new CampaignStateError(
      campaignId,
      'sign-on is still open: close it first, so the approved signatories are part of the version you approve',
      { signon: 'open' },
    );
}

/** What staff see of a signatory (everything: they moderate it), with its duplicate flags. */
function view(s: Signatory, flags: ReturnType<typeof duplicateFlags>) {
  return { ...s, duplicates: flags.get(s.id) ?? [] };
}

async function listing(ctx: RouteContext, c: Campaign) {
  const all = await ctx.deps.signon.list(c.id);
  const flags = duplicateFlags(all);
  const counts = Object.fromEntries(SIGNATORY_STATES.map((st) => [st, 0])) as Record<
    string,
    number
  >;
  for (const s of all) counts[s.state]!++;
  return { all: ordered(all), flags, counts };
}

/** What a lock compiles: the letter's MJML, and the signed full-list link it puts in the letter. */
async function letterParts(ctx: RouteContext, campaignId: string) {
  return {
    mjml: readTemplate(),
    listUrl: listUrl(ctx.deps.config.publicUrl, await ctx.deps.secret(), campaignId),
  };
}

/** Locks the approved list again after a change while closed (core/signon/lock.ts), by the acting person. */
async function lock(ctx: RouteContext, campaignId: string, reason: string) {
  return lockSignatories(
    ctx.deps,
    campaignId,
    actorOf(ctx.staff),
    reason,
    await letterParts(ctx, campaignId),
  );
}

const invitesBody = z
  .strictObject({
    /** `organisation,email` rows of the member organisations to invite. */
    csv: z.string().max(1_000_000).optional(),
    /** Also the campaign's own NGO recipients (the member organisations it writes to). */
    fromRecipients: z.boolean().default(false),
  })
  .refine((b) => b.csv !== undefined || b.fromRecipients, {
    message: 'give csv, or fromRecipients: true, or both',
    path: ['(whole)'],
  });

const listQuery = z.strictObject({ state: z.enum(SIGNATORY_STATES).optional() });

const CSV_COLUMNS = [
  'state',
  'displayName',
  'name',
  'latin',
  'country',
  'orgType',
  'website',
  'contactName',
  'contactEmail',
  'initiator',
  'order',
  'submittedAt',
  'confirmedAt',
  'decidedAt',
  'decidedBy',
  'mergedInto',
  'id',
] as const;

/** The signatories as CSV (UTF-8 with a BOM, for spreadsheets), in the list's order. */
export function signatoriesCsv(list: Signatory[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const s of list) lines.push(CSV_COLUMNS.map((k) => csvCell(s[k])).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

async function step(
  ctx: RouteContext,
  c: Campaign,
  action: AuditAction,
  s: Signatory,
  detail: string,
) {
  await auditBy(ctx, c.id, action, `${s.displayName} (${s.id}): ${detail}`);
  return lock(ctx, c.id, `signatories changed after sign-on closed: ${s.displayName} ${detail}`);
}

export const signonRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/campaigns/:id/signon',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const settings = await ctx.deps.signon.settings(c.id);
      const q = query(ctx.event, listQuery);
      const { all, flags, counts } = await listing(ctx, c);
      return json(200, {
        settings: settings ?? null,
        ...(settings
          ? {
              inviteUrl: inviteUrl(ctx.deps.config.publicUrl, await ctx.deps.secret(), settings),
              openLetterUrl: openLetterUrl(
                ctx.deps.config.publicUrl,
                await ctx.deps.secret(),
                c.id,
              ),
            }
          : {}),
        locked: c.statement.cosign?.signatories.length ?? 0,
        counts,
        items: all.filter((s) => !q.state || s.state === q.state).map((s) => view(s, flags)),
      });
    },
  },
  {
    method: 'GET',
    path: '/api/campaigns/:id/signatories.csv',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const q = query(ctx.event, listQuery);
      const { all } = await listing(ctx, c);
      await auditBy(ctx, c.id, 'exported', 'signatories (CSV)');
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="demarche-${c.id}-signatories.csv"`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        },
        body: signatoriesCsv(all.filter((s) => !q.state || s.state === q.state)),
      };
    },
  },
  {
    method: 'POST',
    path: '/api/campaigns/:id/signon/open',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      draftOnly(c);
      const body = jsonBody(ctx.event, openBody);
      const now = ctx.deps.clock.now();
      const problem = closingTimeProblem(body.closesAt, c.statement.deadline, now);
      if (problem) throw new CampaignStateError(c.id, problem, { field: 'closesAt' });
      const before = await ctx.deps.signon.settings(c.id);
      const actor = actorOf(ctx.staff);
      const settings: SignonSettings = {
        campaignId: c.id,
        state: 'open',
        closesAt: new Date(body.closesAt).toISOString(),
        inviteKey:
          before && !body.newKey ? before.inviteKey : randomBytes(12).toString('base64url'),
        openedAt: now.toISOString(),
        openedBy: actor.sub,
        languages: c.languages,
        // Reopening keeps the campaigner's choice about the public open-letter page.
        ...(before?.openLetter ? { openLetter: before.openLetter } : {}),
      };
      await ctx.deps.signon.putSettings(settings);
      await auditBy(
        ctx,
        c.id,
        'signon-opened',
        `until ${settings.closesAt}${body.newKey ? ', new invite key' : ''}`,
      );
      return json(200, {
        settings,
        inviteUrl: inviteUrl(ctx.deps.config.publicUrl, await ctx.deps.secret(), settings),
      });
    },
  },
  {
    // Personal invite links, one per organisation (nothing is stored or sent: staff share them).
    method: 'POST',
    path: '/api/campaigns/:id/signon/invites',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const body = jsonBody(ctx.event, invitesBody);
      const settings = await settingsOf(ctx, c);
      const read = body.csv ? readInvitees(body.csv) : { invitees: [], problems: [] };
      const invitees: Invitee[] = [...read.invitees];
      if (body.fromRecipients) {
        let cursor: string | undefined;
        do {
          const page = await ctx.deps.store.recipientsPage(c.id, cursor, 500);
          for (const r of page.items)
            if (r.group === 'ngo' && !invitees.some((x) => x.email === r.email))
              invitees.push({ organisation: r.organisation ?? r.name, email: r.email });
          cursor = page.cursor;
        } while (cursor);
      }
      const secret = await ctx.deps.secret();
      return json(200, {
        invites: personalInvites(ctx.deps.config.publicUrl, secret, settings, invitees),
        problems: read.problems,
      });
    },
  },
  {
    method: 'POST',
    path: '/api/campaigns/:id/signon/close',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      draftOnly(c);
      await settingsOf(ctx, c);
      // Conditional on it being open: a close racing the scheduler's is audited once.
      const out = await closeSignon(
        ctx.deps,
        c.id,
        actorOf(ctx.staff),
        'the approved signatories locked into the statement',
        await letterParts(ctx, c.id),
      );
      const closed = out.settings ?? (await settingsOf(ctx, c));
      const version = out.version;
      return json(200, { settings: closed, ...(version ? { version } : {}) });
    },
  },
  {
    // The public open-letter page: off unless turned on; shown only once the letters went out.
    method: 'POST',
    path: '/api/campaigns/:id/signon/open-letter',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const body = jsonBody(ctx.event, openLetterBody);
      await settingsOf(ctx, c);
      const openLetter = {
        on: body.on,
        at: ctx.deps.clock.now().toISOString(),
        by: actorOf(ctx.staff).sub,
      };
      if (!(await ctx.deps.signon.updateSettings(c.id, { openLetter })))
        throw new NotFoundError('sign-on of campaign', c.id);
      await auditBy(ctx, c.id, 'open-letter', body.on ? 'turned on' : 'turned off');
      return json(200, {
        settings: await settingsOf(ctx, c),
        openLetterUrl: openLetterUrl(ctx.deps.config.publicUrl, await ctx.deps.secret(), c.id),
      });
    },
  },
  {
    method: 'POST',
    path: '/api/campaigns/:id/signatories/:sid',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      draftOnly(c);
      const sid = validate(idSchema, ctx.params.sid, 'path');
      const body = jsonBody(ctx.event, moderateBody);
      const s = await moderate(ctx.deps, c.id, sid, body.action, ctx.staff.sub, body.mergeInto);
      const action: AuditAction =
        body.action === 'approve'
          ? 'signatory-approved'
          : body.action === 'reject'
            ? 'signatory-rejected'
            : 'signatory-reopened';
      const version = await step(
        ctx,
        c,
        action,
        s,
        body.mergeInto ? `merged into ${body.mergeInto}` : body.action,
      );
      return json(200, { signatory: s, ...(version ? { version } : {}) });
    },
  },
  {
    method: 'POST',
    path: '/api/campaigns/:id/signatories/:sid/edit',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      draftOnly(c);
      const sid = validate(idSchema, ctx.params.sid, 'path');
      const body = jsonBody(ctx.event, editBody);
      const s = await ctx.deps.signon.get(c.id, sid);
      if (!s) throw new NotFoundError('signatory', sid);
      const renamed = body.displayName !== undefined && body.displayName !== s.displayName;
      const fields: Partial<Signatory> = {
        ...(renamed ? { displayName: body.displayName } : {}),
        ...(body.initiator !== undefined ? { initiator: body.initiator } : {}),
        ...(body.order !== undefined ? { order: body.order ?? undefined } : {}),
      };
      if (Object.keys(fields).length) await ctx.deps.signon.update(c.id, sid, fields);
      let told = false;
      if (renamed && s.state !== 'rejected' && s.state !== 'pending') {
        // The organisation is told how its name will stand under the statement (one mail, sent
        // as a test letter is: a staff action, not a flood to pace).
        try {
          await ctx.deps.mailer.send(renamedMail(c.statement, s, body.displayName!));
          await ctx.deps.signon.update(c.id, sid, {
            renameNotifiedAt: ctx.deps.clock.now().toISOString(),
          });
          told = true;
        } catch {
          told = false;
        }
      }
      const after = (await ctx.deps.signon.get(c.id, sid))!;
      const detail = [
        renamed
          ? `display name "${s.displayName}" → "${after.displayName}"${told ? ' (told)' : ' (not told: mail failed)'}`
          : '',
        body.initiator !== undefined ? `initiator ${body.initiator}` : '',
        body.order !== undefined ? `order ${body.order ?? 'alphabetical'}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      const version = await step(ctx, c, 'signatory-edited', s, detail);
      return json(200, { signatory: after, told, ...(version ? { version } : {}) });
    },
  },
];
