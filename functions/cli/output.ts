import type { Counters, ImportProgress, LaunchProgress } from '../core/campaign.js';
import { DemarcheError } from '../core/errors.js';

export interface StatusView {
  id: string;
  status: string;
  title: string;
  deadline: string;
  dryRun: boolean;
  recipients: number;
  sent: number;
  counters: Counters;
  createdAt: string;
  launchedAt?: string;
  completedAt?: string;
  /** The long work under way: "importing N", "queueing N of M". */
  progress?: string;
  /** Why a paused campaign is paused (a person, the reputation guard, SES), and what to do. */
  pausedReason?: string;
}

/** A campaign as GET /api/campaigns/:id answers it. */
export interface CampaignJson {
  id: string;
  status: string;
  title: string;
  deadline: string;
  dryRun: boolean;
  recipientCount: number;
  createdAt: string;
  launchedAt?: string;
  completedAt?: string;
  scheduledAt?: string;
  progress?: string;
  pausedReason?: string;
  launch?: Omit<LaunchProgress, 'cursor'>;
  import?: ImportProgress;
}

export function statusView(campaign: CampaignJson, counters: Counters): StatusView {
  return {
    id: campaign.id,
    status: campaign.status,
    title: campaign.title,
    deadline: campaign.deadline,
    dryRun: campaign.dryRun,
    recipients: campaign.recipientCount,
    sent: counters.sent,
    counters,
    createdAt: campaign.createdAt,
    ...(campaign.launchedAt ? { launchedAt: campaign.launchedAt } : {}),
    ...(campaign.completedAt ? { completedAt: campaign.completedAt } : {}),
    ...(campaign.progress ? { progress: campaign.progress } : {}),
    ...(campaign.status === 'paused' && campaign.pausedReason
      ? { pausedReason: campaign.pausedReason }
      : {}),
  };
}

export function formatStatus(v: StatusView): string {
  const c = v.counters;
  const lines = [
    `Campaign ${v.id}${v.dryRun ? ' (DRY RUN: nothing was mailed)' : ''}`,
    `  ${v.title}`,
    `  status     ${v.status}${v.progress ? ` (${v.progress})` : ''}`,
    ...(v.pausedReason ? [`  paused     ${v.pausedReason}`] : []),
    `  deadline   ${v.deadline}`,
    `  recipients ${v.recipients}`,
    `  sent ${c.sent} · failed ${c.failed} · expired ${c.expired} · suppressed ${c.suppressed} · unknown ${c.unknown}`,
  ];
  return lines.join('\n');
}

/** Prints an error the way a campaigner can act on: the message names what is wrong and where. */
export function reportError(err: unknown): number {
  if (err instanceof DemarcheError) {
    process.stderr.write(`demarche: ${err.message}\n`);
    return 1;
  }
  const e = err as Error;
  process.stderr.write(`demarche: unexpected error: ${e?.stack ?? String(err)}\n`);
  return 1;
}
