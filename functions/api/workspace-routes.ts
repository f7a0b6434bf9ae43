/**
 * The workspace's own routes: the check a campaigner's draft gets as they
 * type (nothing stored), what changed since the last approved version, and
 * "ready for approval". Thin: parsing is core/statement.ts and
 * core/recipients.ts, the summaries core/draft-check.ts, the versions
 * core/governance/changes.ts.
 */
import { z } from 'zod';
import { verifyWindowDays } from '../adapters/dynamo-governance.js';
import { StatementInvalidError, type StatementIssue, DemarcheError } from '../core/errors.js';
import { listCheck, statementCheck } from '../core/draft-check.js';
import { requestApproval, versionChanges } from '../core/governance/changes.js';
import { importRecipients } from '../core/recipients.js';
import type { Statement } from '../core/statement.js';
import { languageFor } from '../core/compose.js';
import { NotFoundError } from '../core/errors.js';
import { markedAsTest } from '../core/single-letter.js';
import { sendTestLetter } from './letter-routes.js';
import { loadCampaign } from './campaign-routes.js';
import { json } from './errors.js';
import { actorOf } from './governance-routes.js';
import { idSchema, jsonBody } from './request.js';
import type { ApiRoute } from './router.js';
import { statementFields, statementOf } from './statement-body.js';

const checkBody = z.strictObject({
  ...statementFields,
  statement: z.string().max(200_000).default(''),
  recipientsCsv: z.string().max(5_000_000).optional(),
});

const testSendBody = z.strictObject({
  recipientId: idSchema.optional(),
  lang: z.string().max(10).optional(),
});

const requestBody = z.strictObject({
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be the full hash of the version (64 hex digits)'),
  note: z.string().max(500).optional(),
});

export const workspaceRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/drafts/check',
    role: 'campaigner',
    run: async (ctx) => {
      const body = jsonBody(ctx.event, checkBody);
      let statement: Statement | undefined;
      let issues: StatementIssue[] = [];
      if (!body.statement.trim()) issues = [{ field: 'statement', message: 'is empty' }];
      else
        try {
          statement = statementOf(body, ctx.deps);
        } catch (err) {
          if (!(err instanceof StatementInvalidError)) throw err;
          issues = err.issues;
        }
      let recipients: ReturnType<typeof listCheck> | { error: string } | undefined;
      if (body.recipientsCsv !== undefined) {
        try {
          recipients = listCheck(
            importRecipients(body.recipientsCsv, 'recipients.csv'),
            statement,
            ctx.deps.clock.now(),
            verifyWindowDays(),
          );
        } catch (err) {
          // A file that cannot be read as CSV at all: said as it is, nothing else is known.
          if (!(err instanceof DemarcheError)) throw err;
          recipients = { error: err.message };
        }
      }
      return json(200, {
        statement: statementCheck(statement, issues),
        ...(recipients ? { recipients } : {}),
      });
    },
  },
  {
    method: 'GET',
    path: '/api/campaigns/:id/changes',
    role: 'viewer',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      return json(200, await versionChanges(ctx.deps, c.id));
    },
  },
  {
    method: 'POST',
    path: '/api/campaigns/:id/request-approval',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const body = jsonBody(ctx.event, requestBody);
      const request = await requestApproval(
        ctx.deps,
        c.id,
        actorOf(ctx.staff),
        body.hash,
        body.note,
      );
      return json(200, { request });
    },
  },
  {
    // A [TEST] copy of one recipient's letter of this campaign, to the signed-in person's own address only.
    method: 'POST',
    path: '/api/campaigns/:id/test-send',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const body = jsonBody(ctx.event, testSendBody);
      const to = ctx.staff.email;
      if (!to)
        throw new DemarcheError(
          'REQUEST_INVALID',
          'your sign-in carries no verified email address to send the test letter to',
        );
      const base = body.recipientId
        ? await ctx.deps.store.getRecipient(c.id, body.recipientId)
        : (await ctx.deps.store.recipientsPage(c.id, undefined, 1)).items[0];
      if (!base) throw new NotFoundError('recipient', body.recipientId ?? '(first)');
      const sent = await sendTestLetter(
        ctx,
        markedAsTest(c.statement),
        { ...base, email: to },
        body.lang ?? languageFor(c, base),
      );
      return json(200, { to, ...sent, as: base.name });
    },
  },
];
