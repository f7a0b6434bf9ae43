/**
 * Letters beyond a campaign's first: a follow-up of a sent campaign (its own
 * campaign and version, approved like any), a test letter to a colleague
 * (marked [TEST], in no campaign), the proof-of-delivery report's data with
 * the directory's history of who answers (the client renders report.html and
 * .pdf), and the deployment's rules the
 * clients show before anyone writes: approval mode, senders, reply domain,
 * the send rate plans use.
 */
import { z } from 'zod';
import { defaultFrom } from '../adapters/deployment.js';
import { readTemplate } from '../adapters/templates.js';
import { AUDIENCES, createFollowUp } from '../core/followups/followup.js';
import { audit, recordVersion } from '../core/governance/govern.js';
import { DEFAULT_PLAN_ZONE } from '../core/planner/schedule.js';
import { personalLetter } from '../core/compose.js';
import { webVersionUrl } from '../core/links.js';
import { collectReport } from '../core/report/collect.js';
import { ReportHistory } from '../core/report/history.js';
import { newTestLetterCampaignId, TEST_LETTER_DAYS, testLetterId } from '../core/test-letters.js';
import { renderReportHtml } from '../core/report/html.js';
import { GROUPS, recipientId, type Recipient } from '../core/recipients.js';
import {
  markedAsTest,
  pickRecipient,
  sampleRecipient,
  singleLetter,
} from '../core/single-letter.js';
import { parseStatement, parseTranslation, type Statement } from '../core/statement.js';
import { loadCampaign, summary } from './campaign-routes.js';
import { json } from './errors.js';
import { scanLetters, targetsOfLetters } from './letter-history.js';
import { actorOf, auditBy } from './governance-routes.js';
import { jsonBody } from './request.js';
import type { ApiRoute, RouteContext } from './router.js';
import { isoWithZone, isPlainText, statementFields, statementOf } from './statement-body.js';

const followUpBody = z.strictObject({
  statement: statementFields.statement,
  statementName: statementFields.statementName,
  translations: statementFields.translations,
  audience: z.enum(AUDIENCES),
  at: isoWithZone,
  subject: z.string().min(1).max(300).optional(),
});

const testSendBody = z.strictObject({
  ...statementFields,
  to: z.email('is not an email address').max(320),
  lang: z.string().max(10).optional(),
  recipientsCsv: z.string().min(1).max(5_000_000).optional(),
  recipientEmail: z.email().optional(),
  row: z.number().int().min(1).optional(),
  name: z.string().max(200).optional(),
  group: z.enum(GROUPS).optional(),
});

/**
 * One [TEST] letter of `statement` as `recipient` gets it, through the
 * deployment's mailer. Its web version is stored first, so the letter's
 * "view in browser" link works as soon as the letter arrives.
 */
export async function sendTestLetter(
  ctx: RouteContext,
  statement: Statement,
  recipient: Recipient,
  language: string,
): Promise<{ messageId: string; subject: string; webUrl?: string }> {
  const now = ctx.deps.clock.now();
  const links = {
    publicUrl: ctx.deps.config.publicUrl,
    keys: await ctx.deps.keys(),
    ...(ctx.deps.config.privacyUrl ? { privacyUrl: ctx.deps.config.privacyUrl } : {}),
  };
  const campaignId = newTestLetterCampaignId();
  const built = await singleLetter({
    statement,
    recipient,
    language,
    mjml: readTemplate(),
    ...links,
    test: true,
    campaignId,
    now,
  });
  const { letter, template } = built;
  const web = personalLetter(built.campaign, template, built.recipient, links, {
    pixel: false,
    web: false,
  });
  await ctx.deps.testLetters.put(
    {
      id: testLetterId(campaignId)!,
      recipientId: built.recipient.id,
      language: template.language,
      subject: letter.subject,
      html: web.html,
      sentBy: ctx.staff.sub,
      sentAt: now.toISOString(),
    },
    new Date(now.getTime() + TEST_LETTER_DAYS * 86_400_000),
  );
  const { messageId } = await ctx.deps.mailer.send({ ...letter, tags: { test: 'true' } });
  const webUrl = webVersionUrl({ ...links, campaignId, recipientId: built.recipient.id });
  return { messageId, subject: letter.subject, webUrl };
}

/** The report's model for the campaign of the route. */
async function reportOf(ctx: RouteContext) {
  const c = await loadCampaign(ctx);
  const d = ctx.deps;
  const model = await collectReport(
    {
      store: d.store,
      clock: d.clock,
      replies: { list: (id, cursor, limit) => d.replies.listReplies(id, { cursor, limit }) },
    },
    c.id,
  );
  // The directory's history: letters of other campaigns, not of this one, its original or its follow-ups.
  const own = new Set([c.id, ...(c.followUpOf ? [c.followUpOf] : [])]);
  const history = new ReportHistory();
  await scanLetters(
    ctx,
    (x) => !own.has(x.id) && !(x.followUpOf && own.has(x.followUpOf)),
    (r, target) => history.add(r, target),
  );
  const targetOf = await targetsOfLetters(ctx);
  return { c, model: history.attach(model, (row) => targetOf(row)?.id) };
}

export const letterRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/campaigns/:id/follow-ups',
    role: 'campaigner',
    run: async (ctx) => {
      const original = await loadCampaign(ctx);
      const body = jsonBody(ctx.event, followUpBody);
      const o = original.statement;
      const plain = isPlainText(body.statement);
      // Sender, reply domain and deadline are the original's, whatever the text says.
      const statement = parseStatement(body.statement, body.statementName, {
        deadline: o.deadline,
        from: o.from,
        replyToDomain: o.replyToDomain,
        ...(body.subject
          ? { subject: body.subject }
          : plain
            ? { subject: `Re: ${o.subject}` }
            : {}),
        ...(plain ? { language: o.language, signatories: o.signatories } : {}),
      });
      for (const t of body.translations)
        statement.translations = [
          ...(statement.translations ?? []),
          parseTranslation(t.source, t.name ?? `follow-up.${t.language}`, t.language, statement),
        ];
      const followUp = await createFollowUp(ctx.deps, original.id, {
        statement,
        audience: body.audience,
        at: new Date(body.at),
        mjml: readTemplate(),
        author: actorOf(ctx.staff),
      });
      const actor = actorOf(ctx.staff);
      const version = await recordVersion(ctx.deps, followUp.id, actor, 'follow-up created');
      await audit(ctx.deps, original.id, actor, 'followed-up', {
        detail: `follow-up ${followUp.id} to recipients ${body.audience}, at ${followUp.scheduledAt}`,
      });
      return json(201, {
        campaign: summary(followUp),
        version: { number: version.number, hash: version.hash, author: version.author },
        approval: ctx.deps.approvalMode,
      });
    },
  },
  {
    method: 'POST',
    path: '/api/test-send',
    role: 'campaigner',
    run: async (ctx) => {
      const body = jsonBody(ctx.event, testSendBody);
      const statement = markedAsTest(statementOf(body, ctx.deps));
      const base = body.recipientsCsv
        ? pickRecipient(body.recipientsCsv, 'recipients.csv', {
            ...(body.recipientEmail !== undefined
              ? { email: body.recipientEmail }
              : { row: body.row ?? 1 }),
          })
        : sampleRecipient();
      const to = body.to.trim().toLowerCase();
      // The chosen row's letter (or the sample's), delivered to the tester's own address.
      const recipient = {
        ...base,
        id: recipientId(to),
        email: to,
        ...(body.name ? { name: body.name } : {}),
        ...(body.group ? { group: body.group } : {}),
      };
      const sent = await sendTestLetter(ctx, statement, recipient, body.lang ?? statement.language);
      return json(200, { to, ...sent });
    },
  },
  {
    method: 'GET',
    path: '/api/campaigns/:id/report',
    role: 'viewer',
    run: async (ctx) => {
      const { c, model } = await reportOf(ctx);
      await auditBy(ctx, c.id, 'exported', 'proof-of-delivery report');
      return json(200, model);
    },
  },
  {
    // The same report as the page the CLI prints: the dashboard has the browser print it
    // to PDF (its print stylesheet lays it out), so no Chromium runs on the server.
    method: 'GET',
    path: '/api/campaigns/:id/report.html',
    role: 'viewer',
    run: async (ctx) => {
      const { c, model } = await reportOf(ctx);
      await auditBy(ctx, c.id, 'exported', 'proof-of-delivery report (to print)');
      const zone = c.delivery?.zone ?? c.statement.zone ?? 'Europe/Brussels';
      return {
        statusCode: 200,
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'content-disposition': `attachment; filename="demarche-report-${c.id}.html"`,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
        },
        body: renderReportHtml(model, { zone }),
      };
    },
  },
  {
    method: 'GET',
    path: '/api/settings',
    role: 'viewer',
    run: async (ctx) => {
      let sendRate: number | undefined;
      try {
        sendRate = await ctx.deps.sendRate();
      } catch {
        // SES's quota could not be read just now: the plan falls back to its defaults.
        sendRate = undefined;
      }
      return json(200, {
        approval: ctx.deps.approvalMode,
        senders: ctx.deps.senders.addresses,
        replyDomain: ctx.deps.senders.replyDomain,
        defaultFrom: defaultFrom(),
        ...(sendRate !== undefined ? { sendRate } : {}),
        plan: { window: '08:00-18:00', days: 'mon-fri', zone: DEFAULT_PLAN_ZONE },
      });
    },
  },
];
