/**
 * Campaigner-only routes: preview a recipient's letter, and move the campaign
 * through its lifecycle (schedule, launch, pause, resume, cancel). Every
 * status change is a conditional write in the store; an illegal one is a 409
 * naming the current status. Launch answers 202 at once: it records the
 * launch of the approved version and hands the queueing to the launch
 * function, whose progress GET /api/campaigns/:id shows.
 */
import { z } from 'zod';
import { letterFor, languageFor } from '../core/compose.js';
import { NotFoundError } from '../core/errors.js';
import { cancelCampaign, pauseCampaign, resumeCampaign } from '../core/lifecycle.js';
import { beginLaunch } from '../core/governance/govern.js';
import { dryRunCampaign } from '../core/dry-run.js';
import { logger } from '../adapters/logger.js';
import { scheduleFromPlan } from '../core/planner/schedule.js';
import { parseOfficeHours } from '../core/planner/time.js';
import { formatPlan } from '../core/planner/format.js';
import { actorOf, auditBy } from './governance-routes.js';
import { loadCampaign, summary } from './campaign-routes.js';
import { json, RequestInvalidError } from './errors.js';
import { idSchema, jsonBody } from './request.js';
import type { ApiRoute } from './router.js';
import { isoWithZone } from './statement-body.js';

const log = logger('staff-api');
const pauseBody = z.strictObject({ reason: z.string().max(300).optional() });

const previewBody = z.strictObject({ recipientId: idSchema.optional() });
/** Scheduling: from the plan unless `anyTime`; office hours "08:00-18:00" on days "mon-fri". */
const scheduleBody = z.strictObject({
  at: isoWithZone.optional(),
  anyTime: z.boolean().default(false),
  rate: z.number().positive().max(10_000).optional(),
  quota: z.number().int().positive().optional(),
  window: z.string().max(20).optional(),
  days: z.string().max(40).optional(),
  zone: z.string().max(64).optional(),
});

export const controlRoutes: ApiRoute[] = [
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
        privacyUrl: ctx.deps.config.privacyUrl,
        keys: await ctx.deps.keys(),
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
    // Composes every pending letter as the sender would, mails none, changes nothing.
    method: 'POST',
    path: '/api/campaigns/:id/dry-run',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      return json(200, await dryRunCampaign(ctx.deps, c.id));
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
      const { campaign } = await beginLaunch(ctx.deps, c.id, actorOf(ctx.staff));
      try {
        await ctx.deps.jobs.start({ action: 'launch', campaignId: c.id });
      } catch (err) {
        // The launch is recorded: the scheduler's tick finds it standing still and starts it.
        log.error('handing the launch over failed', { campaignId: c.id, error: err as Error });
      }
      return json(202, {
        campaign: summary(campaign),
        follow: `GET /api/campaigns/${c.id} shows the queueing; /stats the letters`,
      });
    },
  },
  {
    method: 'POST',
    path: '/api/campaigns/:id/pause',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const body = ctx.event.body ? jsonBody(ctx.event, pauseBody) : {};
      const who = ctx.staff.email ?? ctx.staff.sub;
      const reason = body.reason ? `${body.reason} (paused by ${who})` : `paused by ${who}`;
      const paused = await pauseCampaign(ctx.deps, c.id, reason);
      await auditBy(ctx, c.id, 'paused', body.reason);
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
