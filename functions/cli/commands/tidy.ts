/**
 * `demarche archive | delete`: tidying the campaigns list through the staff
 * API, which logs who did it. Deleting is for a draft or a dry run only and
 * cannot be undone, so it asks for --yes; the server removes a bounded page
 * per request and this command asks again until nothing is left.
 */
import { DemarcheError } from '../../core/errors.js';
import type { CampaignJson } from '../output.js';
import type { TargetOptions } from '../target.js';
import { withClient } from './status.js';

type Opts = TargetOptions & { json?: boolean };

export async function archiveCommand(
  campaignId: string,
  opts: Opts & { undo?: boolean },
): Promise<void> {
  const archived = !opts.undo;
  await withClient(opts, async (client) => {
    const { campaign } = await client.call<{ campaign: CampaignJson }>(
      'POST',
      `/api/campaigns/${encodeURIComponent(campaignId)}/archive`,
      { archived },
    );
    if (opts.json)
      process.stdout.write(`${JSON.stringify({ id: campaign.id, archived }, null, 2)}\n`);
    else
      process.stdout.write(
        archived
          ? `Campaign ${campaign.id} is archived: \`demarche status\` and the dashboard list leave it out (--undo shows it again).\n`
          : `Campaign ${campaign.id} is listed again.\n`,
      );
  });
}

export async function deleteCommand(
  campaignId: string,
  opts: Opts & { yes?: boolean; reason?: string },
): Promise<void> {
  if (!opts.yes)
    throw new DemarcheError(
      'OPTION_INVALID',
      `deleting ${campaignId} removes its recipients and letters for good (its versions and audit log stay): add --yes to go ahead`,
      { field: 'yes' },
    );
  await withClient(opts, async (client) => {
    let removed = 0;
    for (
      let body: Record<string, unknown> = opts.reason ? { reason: opts.reason } : {};
      ;
      body = {}
    ) {
      const out = await client.call<{
        campaign: CampaignJson;
        removed: number;
        remaining: boolean;
      }>('POST', `/api/campaigns/${encodeURIComponent(campaignId)}/delete`, body);
      removed += out.removed;
      if (out.remaining) continue;
      if (opts.json)
        process.stdout.write(
          `${JSON.stringify({ id: out.campaign.id, deleted: true, removed }, null, 2)}\n`,
        );
      else
        process.stdout.write(
          `Campaign ${out.campaign.id} is deleted: ${removed} items removed; its versions and audit log are kept.\n`,
        );
      return;
    }
  });
}
