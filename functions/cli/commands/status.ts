import { NotFoundError } from '../../core/errors.js';
import { formatStatus, statusView } from '../output.js';
import { openTarget, type TargetOptions } from '../target.js';

export async function statusCommand(
  campaignId: string,
  opts: TargetOptions & { json?: boolean },
): Promise<void> {
  const target = await openTarget(opts);
  try {
    const campaign = await target.deps.store.getCampaign(campaignId);
    if (!campaign) throw new NotFoundError('campaign', campaignId);
    const view = statusView(campaign, await target.deps.store.counters(campaignId));
    process.stdout.write(
      opts.json ? `${JSON.stringify(view, null, 2)}\n` : `${formatStatus(view)}\n`,
    );
  } finally {
    await target.stop();
  }
}

export async function listCommand(opts: TargetOptions & { json?: boolean }): Promise<void> {
  const target = await openTarget(opts);
  try {
    const campaigns = await target.deps.store.listCampaigns(50);
    if (opts.json) {
      process.stdout.write(
        `${JSON.stringify(
          campaigns.map((c) => ({
            id: c.id,
            status: c.status,
            title: c.statement.title,
            deadline: c.statement.deadline,
            recipients: c.recipientCount,
          })),
          null,
          2,
        )}\n`,
      );
      return;
    }
    if (campaigns.length === 0) process.stdout.write('No campaigns yet.\n');
    for (const c of campaigns) {
      process.stdout.write(
        `${c.id}  ${c.status.padEnd(10)} ${String(c.recipientCount).padStart(6)}  ${c.statement.title}\n`,
      );
    }
  } finally {
    await target.stop();
  }
}
