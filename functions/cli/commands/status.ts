/** `demarche status CAMPAIGN` and `demarche campaigns`: read through the staff API. */
import type { Counters } from '../../core/campaign.js';
import { type CampaignJson, formatStatus, statusView, type StatusView } from '../output.js';
import { type Client, openTarget, type TargetOptions } from '../target.js';

export async function withClient<T>(
  opts: TargetOptions,
  fn: (c: Client) => Promise<T>,
): Promise<T> {
  const client = await openTarget(opts);
  try {
    return await fn(client);
  } finally {
    await client.stop();
  }
}

/** The campaign and its counters, as one view. */
export async function readStatus(client: Client, campaignId: string): Promise<StatusView> {
  const id = encodeURIComponent(campaignId);
  const [campaign, stats] = await Promise.all([
    client.call<CampaignJson>('GET', `/api/campaigns/${id}`),
    client.call<{ counters: Counters }>('GET', `/api/campaigns/${id}/stats`),
  ]);
  return statusView(campaign, stats.counters);
}

export async function statusCommand(
  campaignId: string,
  opts: TargetOptions & { json?: boolean },
): Promise<StatusView> {
  return withClient(opts, async (client) => {
    const view = await readStatus(client, campaignId);
    process.stdout.write(
      opts.json ? `${JSON.stringify(view, null, 2)}\n` : `${formatStatus(view)}\n`,
    );
    return view;
  });
}

export async function listCommand(
  opts: TargetOptions & { json?: boolean; archived?: boolean },
): Promise<void> {
  await withClient(opts, async (client) => {
    const { items } = await client.call<{ items: (CampaignJson & { archived?: unknown })[] }>(
      'GET',
      `/api/campaigns${opts.archived ? '?archived=include' : ''}`,
    );
    if (opts.json) {
      process.stdout.write(
        `${JSON.stringify(
          items.map((c) => ({
            id: c.id,
            status: c.status,
            title: c.title,
            deadline: c.deadline,
            recipients: c.recipientCount,
            ...(c.progress ? { progress: c.progress } : {}),
            ...(c.archived ? { archived: true } : {}),
          })),
          null,
          2,
        )}\n`,
      );
      return;
    }
    if (items.length === 0) process.stdout.write('No campaigns yet.\n');
    for (const c of items) {
      process.stdout.write(
        `${c.id}  ${c.status.padEnd(10)} ${String(c.recipientCount).padStart(6)}  ${c.title}${c.progress ? `  (${c.progress})` : ''}${c.archived ? '  [archived]' : ''}\n`,
      );
    }
  });
}
