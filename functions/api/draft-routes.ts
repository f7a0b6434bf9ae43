/**
 * Writing a campaign's content: create it (statement, translations and a
 * recipients list, inline or uploaded), edit a draft (a new version: the
 * statement and translations replaced, the list replaced or appended to), and
 * the upload slots for lists too large for a request. Every input is checked
 * before anything is written, so a refused request changes nothing; each
 * change is a version by the signed-in user's sub, which someone else must
 * approve. An uploaded list is imported by a job (202, "importing N").
 */
import { z } from 'zod';
import { readTemplate } from '../adapters/templates.js';
import type { Campaign } from '../core/campaign.js';
import { CampaignStateError, DemarcheError, NotFoundError } from '../core/errors.js';
import { recordVersion } from '../core/governance/govern.js';
import { beginImport } from '../core/import-job.js';
import { UPLOAD_ID } from '../core/job-ports.js';
import { compileLetters } from '../core/letter.js';
import { createCampaign } from '../core/launch.js';
import { importRecipients, type RecipientImport } from '../core/recipients.js';
import { loadCampaign, summary } from './campaign-routes.js';
import { json, RequestInvalidError } from './errors.js';
import { actorOf } from './governance-routes.js';
import { bodyText, jsonBody, validate } from './request.js';
import type { ApiRoute, RouteContext } from './router.js';
import {
  statementDefaults,
  statementFields,
  statementOf,
  withTranslations,
} from './statement-body.js';
import { inputWarnings } from '../core/input-warnings.js';

const uploadId = z.string().regex(UPLOAD_ID, 'is not an upload id from POST /api/uploads');
const csvField = z.string().min(1, 'is empty').max(5_000_000);

const createBody = z
  .strictObject({
    ...statementFields,
    recipientsCsv: csvField.optional(),
    recipientsUpload: uploadId.optional(),
    dryRun: z.boolean().default(false),
  })
  .refine((b) => (b.recipientsCsv === undefined) !== (b.recipientsUpload === undefined), {
    message: 'give the list as recipientsCsv or as recipientsUpload (one of them)',
    path: ['recipientsCsv'],
  });

const editBody = z
  .strictObject({
    statement: statementFields.statement.optional(),
    statementName: statementFields.statementName,
    translations: statementFields.translations,
    overrides: statementFields.overrides,
    recipients: z
      .strictObject({
        mode: z.enum(['replace', 'append']),
        csv: csvField.optional(),
        upload: uploadId.optional(),
      })
      .refine((r) => (r.csv === undefined) !== (r.upload === undefined), {
        message: 'give the list as csv or as upload (one of them)',
      })
      .optional(),
    reason: z.string().min(1).max(300).optional(),
  })
  .refine(
    (b) => b.statement !== undefined || b.translations.length > 0 || b.recipients !== undefined,
    {
      message: 'nothing to change: give a statement, translations, recipients, or several',
      path: ['(whole)'],
    },
  );

function usable(imported: RecipientImport, file: string): void {
  if (imported.recipients.length === 0)
    throw new DemarcheError(
      'RECIPIENTS_EMPTY',
      `${file}: no usable recipient rows (${imported.problems.length} skipped)`,
      { problems: imported.problems },
    );
}

async function uploaded(ctx: RouteContext, id: string): Promise<void> {
  if (!(await ctx.deps.uploads.open(id))) throw new NotFoundError('upload', id);
}

async function startImport(ctx: RouteContext, campaignId: string): Promise<void> {
  await ctx.deps.jobs.start({ action: 'import', campaignId });
}

function draftOnly(c: Campaign): void {
  if (c.status !== 'draft')
    throw new CampaignStateError(c.id, `only a draft can be edited, not a ${c.status} campaign`, {
      status: c.status,
    });
  if (c.import?.state === 'importing')
    throw new CampaignStateError(c.id, 'its list is still importing; edit it once it is done', {
      status: c.status,
    });
}

export const draftRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/campaigns',
    role: 'campaigner',
    run: async (ctx) => {
      const body = jsonBody(ctx.event, createBody);
      const statement = statementOf(body, ctx.deps);
      const imported = body.recipientsCsv ? importRecipients(body.recipientsCsv) : undefined;
      if (imported) usable(imported, 'recipients.csv');
      if (body.recipientsUpload) await uploaded(ctx, body.recipientsUpload);
      const actor = actorOf(ctx.staff);
      const { campaign } = await createCampaign(ctx.deps, {
        statement,
        recipients: imported?.recipients ?? [],
        recipientCount: imported?.recipients.length ?? 0,
        mjml: readTemplate(),
        dryRun: body.dryRun,
        configurationSet: ctx.deps.config.configurationSet,
        author: actor,
      });
      if (!imported) {
        const importing = await beginImport(ctx.deps, campaign.id, {
          uploadId: body.recipientsUpload!,
          mode: 'create',
          by: actor,
          reason: 'created',
        });
        await startImport(ctx, campaign.id);
        return json(202, {
          campaign: summary(importing),
          follow: `GET /api/campaigns/${campaign.id} shows the import`,
        });
      }
      // Version 1 of its content, by this user: another campaigner approves it.
      const version = await recordVersion(ctx.deps, campaign.id, actor, 'created');
      return json(201, {
        version: { number: version.number, hash: version.hash, author: version.author },
        campaign: summary(campaign),
        recipients: imported.recipients.length,
        problems: imported.problems,
        // Defaults a recipient would notice (signed "demarche", English to rows that asked for French …).
        warnings: inputWarnings(statement, imported.recipients, statementDefaults(body)),
      });
    },
  },
  {
    method: 'POST',
    path: '/api/campaigns/:id/edit',
    role: 'campaigner',
    run: async (ctx) => {
      const c = await loadCampaign(ctx);
      const body = jsonBody(ctx.event, editBody);
      draftOnly(c);
      // Everything is read and checked first: a refused edit writes nothing.
      const edited = body.statement
        ? statementOf({ ...body, statement: body.statement }, ctx.deps)
        : body.translations.length
          ? withTranslations(c.statement, body.translations, ctx.deps, body.statementName)
          : undefined;
      // The co-signatories locked when sign-on closed stay with a new text (they signed the campaign's statement).
      const statement =
        edited && c.statement.cosign ? { ...edited, cosign: c.statement.cosign } : edited;
      const now = ctx.deps.clock.now();
      if (statement && Date.parse(statement.deadline) <= now.getTime())
        throw new CampaignStateError(
          c.id,
          `the deadline ${statement.deadline} has already passed`,
          {
            field: 'deadline',
          },
        );
      const templates = statement ? await compileLetters(statement, readTemplate()) : undefined;
      const list = body.recipients;
      const imported = list?.csv ? importRecipients(list.csv, 'recipients.csv') : undefined;
      if (imported && list?.mode === 'replace') usable(imported, 'recipients.csv');
      if (list?.upload) await uploaded(ctx, list.upload);
      const actor = actorOf(ctx.staff);
      const reason =
        body.reason ??
        [
          body.statement
            ? 'statement replaced'
            : statement
              ? `translation ${body.translations.map((t) => t.language).join(', ')} set`
              : '',
          list ? `recipients ${list.mode === 'replace' ? 'replaced' : 'added'}` : '',
        ]
          .filter(Boolean)
          .join(', ');

      if (statement && templates) {
        const ok = await ctx.deps.jobStore.replaceStatement(
          c.id,
          statement,
          templates,
          now.toISOString(),
        );
        if (!ok)
          throw new CampaignStateError(
            c.id,
            'the campaign changed meanwhile; reload and try again',
          );
      }
      if (list?.upload) {
        const importing = await beginImport(ctx.deps, c.id, {
          uploadId: list.upload,
          mode: list.mode,
          by: actor,
          reason,
        });
        await startImport(ctx, c.id);
        return json(202, {
          campaign: summary(importing),
          follow: `GET /api/campaigns/${c.id} shows the import; the version is recorded when it is done`,
        });
      }
      if (imported) {
        if (list?.mode === 'replace') await ctx.deps.jobStore.clearRecipients(c.id);
        await ctx.deps.store.putRecipients(c.id, imported.recipients);
        const count = await ctx.deps.jobStore.countRecipients(c.id);
        await ctx.deps.store.transition(c.id, ['draft'], 'draft', now.toISOString(), {
          recipientCount: count,
        });
      }
      const version = await recordVersion(ctx.deps, c.id, actor, reason);
      return json(200, {
        version: { number: version.number, hash: version.hash, author: version.author },
        campaign: summary((await ctx.deps.store.getCampaign(c.id))!),
        ...(imported
          ? { recipients: imported.recipients.length, problems: imported.problems }
          : {}),
      });
    },
  },
  {
    // A slot for a large list: the client PUTs the CSV to `url` (S3 in AWS), then names the id.
    method: 'POST',
    path: '/api/uploads',
    role: 'campaigner',
    run: async (ctx) => json(201, await ctx.deps.uploads.create()),
  },
  {
    // The local runtime's upload target (in AWS the presigned URL is S3's, not this route).
    method: 'PUT',
    path: '/api/uploads/:upload',
    role: 'campaigner',
    run: async (ctx) => {
      const id = validate(uploadId, ctx.params.upload, 'path');
      const text = bodyText(ctx.event);
      if (!text)
        throw new RequestInvalidError('body', [
          { field: '(whole)', message: 'the upload is empty' },
        ]);
      await ctx.deps.uploads.put(id, text);
      return json(200, { id, bytes: Buffer.byteLength(text) });
    },
  },
];
