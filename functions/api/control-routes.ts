/**
 * Campaigner-only routes: create a campaign (statement + recipients CSV, bad
 * rows reported), preview a recipient's letter, and move the campaign through
 * its lifecycle (schedule, launch, pause, resume, cancel). Every status change
 * is a conditional write in the store; an illegal one is a 409 naming the
 * current status.
 */
import { z } from 'zod';
import { readTemplate } from '../adapters/templates.js';
import { letterFor, languageFor } from '../core/compose.js';
import { CampaignStateError, DemarcheError, NotFoundError } from '../core/errors.js';
import { createCampaign } from '../core/launch.js';
import { cancelCampaign, pauseCampaign, resumeCampaign } from '../core/lifecycle.js';
import { launchApproved, recordVersion } from '../core/governance/govern.js';
import { scheduleFromPlan } from '../core/planner/schedule.js';
import { parseOfficeHours } from '../core/planner/time.js';
import { formatPlan } from '../core/planner/format.js';
import { actorOf, auditBy } from './governance-routes.js';
import { importRecipients } from '../core/recipients.js';
import { parseStatement, type StatementOverrides } from '../core/statement.js';
import { loadCampaign, summary } from './campaign-routes.js';
import { json, RequestInvalidError } from './errors.js';
import { idSchema, jsonBody } from './request.js';
import type { ApiRoute } from './router.js';

const isoWithZone = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/,
    'must be ISO 8601 with a zone',
  );

const createBody = z.strictObject({
  statement: z.string().min(1, 'is empty').max(200_000),
  statementName: z.string().max(200).default('statement'),
  recipientsCsv: z.string().min(1, 'is empty').max(5_000_000),
  overrides: z
    .strictObject({
      deadline: isoWithZone.optional(),
      subject: z.string().max(300).optional(),
      meeting: z.string().max(300).optional(),
      language: z.string().max(10).optional(),
      replyToDomain: z.string().max(253).optional(),
      from: z.strictObject({ name: z.string().max(200), address: z.email() }).optional(),
    })
    .default({}),
  dryRun: z.boolean().default(false),
});

const previewBody = z.strictObject({ recipientId: idSchema.optional() });
/** Scheduling (issue 10): from the plan unless `anyTime`; office hours "08:00-18:00" on days "mon-fri". */
const scheduleBody = z.strictObject({
  at: isoWithZone.optional(),
  anyTime: z.boolean().default(false),
  rate: z.number().positive().max(10_000).optional(),
  quota: z.number().int().positive().optional(),
  window: z.string().max(20).optional(),
  days: z.string().max(40).optional(),
  zone: z.string().max(64).optional(),
});

const DEFAULT_FROM = { name: 'demarche', address: 'campaigns@demarche.example.org' };
const DEFAULT_REPLY_DOMAIN = 'replies.demarche.example.org';

/** Plain text says nothing of sender or reply domain: the server's defaults fill them, as the CLI does. */
function plainTextDefaults(o: StatementOverrides): StatementOverrides {
  const from = process.env.DEMARCHE_FROM;
  const m = from ? /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(from) : null;
  return {
    language: 'en',
    replyToDomain: process.env.DEMARCHE_REPLY_DOMAIN ?? DEFAULT_REPLY_DOMAIN,
    from: m ? { name: m[1]!, address: m[2]! } : DEFAULT_FROM,
    ...o,
  };
}

export const controlRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/campaigns',
    role: 'campaigner',
    run: async (ctx) => {
      const body = jsonBody(ctx.event, createBody);
      const plainText = !/^\uFEFF?---\r?\n/.test(body.statement);
      const overrides = plainText ? plainTextDefaults(body.overrides) : body.overrides;
      const statement = parseStatement(body.statement, body.statementName, overrides);
      const imported = importRecipients(body.recipientsCsv, 'recipients.csv');
      if (imported.recipients.length === 0)
        throw new DemarcheError(
          'RECIPIENTS_EMPTY',
          `recipients.csv: no usable recipient rows (${imported.problems.length} skipped)`,
          { problems: imported.problems },
        );
      const { campaign } = await createCampaign(ctx.deps, {
        statement,
        recipients: imported.recipients,
        recipientCount: imported.recipients.length,
        mjml: readTemplate(),
        dryRun: body.dryRun,
        configurationSet: ctx.deps.config.configurationSet,
      });
      // Version 1 of its content, by this user (issue 11): another campaigner approves it.
      const version = await recordVersion(ctx.deps, campaign.id, actorOf(ctx.staff), 'created');
      return json(201, {
        version: { number: version.number, hash: version.hash, author: version.author },
        campaign: summary(campaign),
        recipients: imported.recipients.length,
        problems: imported.problems,
      });
    },
  },
  {
    method: 'POST',
    path: '/api/campaigns/:id/preview',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const body = jsonBody(ctx.event, previewBody);
      const recipient = body.recipientId
        ? await ctx.deps.store.getRecipient(c.id, body.recipientId)
        : (await ctx.deps.store.recipientsPage(c.id, undefined, 1)).items[0];
      if (!recipient) throw new NotFoundError('recipient', body.recipientId ?? '(first)');
      const template = await ctx.deps.store.getTemplate(c.id, languageFor(c, recipient));
      if (!template)
        throw new NotFoundError('letter template', `${c.id}/${languageFor(c, recipient)}`);
      const letter = letterFor(c, template, recipient, {
        publicUrl: ctx.deps.config.publicUrl,
        secret: await ctx.deps.secret(),
      });
      return json(200, {
        recipientId: recipient.id,
        to: letter.to,
        from: letter.from,
        replyTo: letter.replyTo,
        subject: letter.subject,
        html: letter.html,
        text: letter.text,
        // List-Unsubscribe and the like, as the message carries them (the dashboard shows them).
        headers: letter.headers ?? {},
      });
    },
  },
  {
    method: 'POST',
    path: '/api/campaigns/:id/schedule',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const body = jsonBody(ctx.event, scheduleBody);
      if (body.anyTime && !body.at)
        throw new RequestInvalidError('body', [
          { field: 'at', message: 'a launch time is needed to send at any hour' },
        ]);
      const { campaign, plan } = await scheduleFromPlan(ctx.deps, c.id, {
        ...(body.at ? { at: new Date(body.at) } : {}),
        rate: body.rate ?? (await ctx.deps.sendRate()),
        ...(body.quota ? { quota: body.quota } : {}),
        hours: parseOfficeHours(body.window, body.days),
        ...(body.zone ? { zone: body.zone } : {}),
        anyTime: body.anyTime,
        actor: actorOf(ctx.staff),
      });
      return json(200, { ...summary(campaign), ...(plan ? { planText: formatPlan(plan) } : {}) });
    },
  },
  {
    method: 'POST',
    path: '/api/campaigns/:id/launch',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      if (c.status === 'sending')
        throw new CampaignStateError(c.id, 'the campaign is already sending', { status: c.status });
      const { queued } = await launchApproved(ctx.deps, c.id, actorOf(ctx.staff));
      return json(202, { queued, campaign: summary((await ctx.deps.store.getCampaign(c.id))!) });
    },
  },
  {
    method: 'POST',
    path: '/api/campaigns/:id/pause',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const reason = `paused by ${ctx.staff.email ?? ctx.staff.sub}`;
      const paused = await pauseCampaign(ctx.deps, c.id, reason);
      await auditBy(ctx, c.id, 'paused');
      return json(200, summary(paused));
    },
  },
  {
    method: 'POST',
    path: '/api/campaigns/:id/resume',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const { campaign, queued } = await resumeCampaign(ctx.deps, c.id);
      await auditBy(ctx, c.id, 'resumed', `${queued} letters back on the queue`);
      return json(200, { queued, campaign: summary(campaign) });
    },
  },
  {
    method: 'POST',
    path: '/api/campaigns/:id/cancel',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const { campaign, expired } = await cancelCampaign(ctx.deps, c.id);
      await auditBy(ctx, c.id, 'cancelled', `${expired} letters not sent`);
      return json(200, { expired, campaign: summary(campaign) });
    },
  },
];
