/**
 * `demarche edit CAMPAIGN`: a new version of a draft through the staff API:
 * the statement (and the translations beside it) replaced, the recipients
 * replaced or, with --append, added to. Any approval of the old version no
 * longer counts; a large list is uploaded and imported in the background.
 */
import { DemarcheError } from '../../core/errors.js';
import { shortHash } from '../../core/governance/model.js';
import type { CampaignJson } from '../output.js';
import {
  printProblems,
  recipientsSource,
  statementSources,
  type StatementOptions,
} from '../sources.js';
import type { TargetOptions } from '../target.js';
import { withClient } from './status.js';

export interface EditOptions extends TargetOptions, StatementOptions {
  statement?: string;
  recipients?: string;
  append?: boolean;
  reason?: string;
  json?: boolean;
}

export async function editCommand(campaignId: string, opts: EditOptions): Promise<void> {
  if (!opts.statement && !opts.recipients)
    throw new DemarcheError(
      'OPTION_INVALID',
      'edit needs --statement FILE, --recipients FILE, or both',
    );
  await withClient(opts, async (client) => {
    const list = opts.recipients ? await recipientsSource(client, opts.recipients) : undefined;
    const out = await client.call<{
      version?: { number: number; hash: string };
      campaign: CampaignJson;
      problems?: { line: number; message: string }[];
    }>('POST', `/api/campaigns/${encodeURIComponent(campaignId)}/edit`, {
      ...(opts.statement ? statementSources(opts.statement, opts) : {}),
      ...(list ? { recipients: { mode: opts.append ? 'append' : 'replace', ...list } } : {}),
      ...(opts.reason ? { reason: opts.reason } : {}),
    });
    if (out.problems && opts.recipients) printProblems(opts.recipients, out.problems);
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return;
    }
    process.stdout.write(
      out.version
        ? `Campaign ${campaignId} is now version ${out.version.number} (${shortHash(out.version.hash)}), ${out.campaign.recipientCount} recipients; it needs a new approval.\n`
        : `Campaign ${campaignId}: the list is importing (${out.campaign.progress ?? 'started'}); the new version is recorded when it is done. Follow it: npx demarche status ${campaignId}\n`,
    );
  });
}
