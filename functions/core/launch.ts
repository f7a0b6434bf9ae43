/**
 * Creating and launching campaigns.
 *
 * Creation compiles the letter once per language and stores it with the
 * recipients as a draft. Launch moves the campaign to `sending` and streams
 * its recipients page by page onto the queue, so memory stays flat however
 * long the list is: `launchCampaign` in one go (follow-ups, tests), and
 * `queueLaunch` step by step with recorded progress (every launch a person
 * makes, through the launch function: resumable, never counted twice).
 */
import { CampaignStateError, NotFoundError } from './errors.js';
import {
  type Campaign,
  type CampaignRecipient,
  type LaunchProgress,
  newCampaignId,
} from './campaign.js';
import type { JobStore } from './job-ports.js';
import { compileLetters, type LetterTemplate } from './letter.js';
import type { Schedules } from './lifecycle.js';
import type { CampaignStore, Clock, Queue, SendJob } from './ports.js';
import type { Recipient } from './recipients.js';
import type { Statement } from './statement.js';
import type { Actor } from './governance/model.js';

export interface CreateInput {
  statement: Statement;
  recipients: Iterable<Recipient> | AsyncIterable<Recipient>;
  recipientCount: number;
  mjml: string;
  dryRun?: boolean;
  configurationSet?: string;
  /** Where people's replies are forwarded (else the statement's staffAddress). */
  staffAddress?: string;
  id?: string;
  /** The campaigner creating it. */
  author?: Actor;
}

/** Compiles the letter (once) and stores a draft campaign with its recipients. */
export async function createCampaign(
  deps: { store: CampaignStore; clock: Clock },
  input: CreateInput,
): Promise<{ campaign: Campaign; templates: LetterTemplate[] }> {
  const now = deps.clock.now();
  if (Date.parse(input.statement.deadline) <= now.getTime()) {
    throw new CampaignStateError(
      '(new)',
      `the deadline ${input.statement.deadline} has already passed`,
      {
        field: 'deadline',
      },
    );
  }
  // One MJML run per language the statement has, never per recipient.
  const templates = await compileLetters(input.statement, input.mjml);
  const campaign: Campaign = {
    id: input.id ?? newCampaignId(now),
    status: 'draft',
    statement: input.statement,
    languages: templates.map((t) => t.language),
    recipientCount: input.recipientCount,
    dryRun: input.dryRun ?? false,
    createdAt: now.toISOString(),
    ...(input.configurationSet ? { configurationSet: input.configurationSet } : {}),
    // The statement's front matter may set both; an explicit input wins for the address.
    ...((input.staffAddress ?? input.statement.staffAddress)
      ? { staffAddress: input.staffAddress ?? input.statement.staffAddress }
      : {}),
    ...(input.statement.tracking ? { tracking: input.statement.tracking } : {}),
    ...(input.author ? { author: input.author } : {}),
  };
  await deps.store.createCampaign(campaign, templates);
  let batch: Recipient[] = [];
  for await (const r of input.recipients) {
    batch.push(r);
    if (batch.length === 500) {
      await deps.store.putRecipients(campaign.id, batch);
      batch = [];
    }
  }
  if (batch.length) await deps.store.putRecipients(campaign.id, batch);
  return { campaign, templates };
}

/**
 * Starts sending a draft or scheduled campaign: one job per pending recipient.
 * Calling it again on a campaign already sending re-enqueues the letters still
 * pending (a resumed launch); claims make the repeats harmless.
 */
export async function launchCampaign(
  deps: { store: CampaignStore; queue: Queue; clock: Clock; schedules?: Schedules },
  campaignId: string,
  pageSize = 500,
): Promise<{ queued: number }> {
  const campaign = await deps.store.getCampaign(campaignId);
  if (!campaign) throw new NotFoundError('campaign', campaignId);
  const now = deps.clock.now();
  if (Date.parse(campaign.statement.deadline) <= now.getTime()) {
    throw new CampaignStateError(
      campaignId,
      `cannot launch: the deadline ${campaign.statement.deadline} has passed`,
    );
  }
  const firstLaunch = campaign.status !== 'sending';
  if (firstLaunch) {
    const moved = await deps.store.transition(
      campaignId,
      ['draft', 'scheduled'],
      'sending',
      now.toISOString(),
      {
        launchedAt: now.toISOString(),
      },
    );
    if (!moved) {
      throw new CampaignStateError(
        campaignId,
        `cannot launch a campaign that is ${campaign.status}`,
        {
          status: campaign.status,
        },
      );
    }
    // At the deadline, letters still queued expire (EventBridge Scheduler in AWS).
    await deps.schedules?.set('expire', campaignId, new Date(campaign.statement.deadline));
  }
  let queued = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.store.recipientsPage(campaignId, cursor, pageSize);
    const jobs: SendJob[] = page.items
      .filter((r) => r.state === 'pending')
      .map((r) => ({ campaignId, recipientId: r.id }));
    if (jobs.length) {
      await deps.queue.enqueue(jobs);
      // Only the first launch counts: a resumed launch re-enqueues letters already counted.
      if (firstLaunch) await deps.store.addToCounter(campaignId, 'queued', jobs.length);
      queued += jobs.length;
    }
    cursor = page.cursor;
  } while (cursor);
  return { queued };
}

/** What a run of the launch queueing ended with. */
export type QueueOutcome =
  /** Every recipient is on the queue. */
  | 'queued'
  /** Stopped at `stopAt` with pages left: run it again to go on. */
  | 'yielded'
  /** Another runner moved the progress on, or the campaign left sending: nothing more to do here. */
  | 'superseded'
  /** There was no launch in progress. */
  | 'idle';

export interface QueueOptions {
  pageSize?: number;
  /** Epoch ms after which no new page is started (a Lambda's remaining time). */
  stopAt?: number;
  /** Runs on each page's pending recipients before they are queued (the version stamp). */
  beforeQueue?: (pending: CampaignRecipient[]) => Promise<void>;
  /** Test hook: runs after a page is on the queue and before its progress is recorded. */
  afterEnqueue?: (step: number) => Promise<void>;
}

/**
 * Queues a launched campaign's letters from where its recorded progress
 * stands, one page per step. Each step enqueues the page's pending letters,
 * then records the next cursor and the count in one conditional write on the
 * step number (with the `queued` counter in the same transaction). A runner
 * that dies between the two leaves the step unrecorded: the next run queues
 * that page again, which the senders' claims make harmless (each letter is
 * still sent once), and counts it once.
 */
export async function queueLaunch(
  deps: { store: CampaignStore; queue: Queue; clock: Clock; jobStore: JobStore },
  campaignId: string,
  opts: QueueOptions = {},
): Promise<{ outcome: QueueOutcome; progress?: LaunchProgress }> {
  const campaign = await deps.store.getCampaign(campaignId);
  if (!campaign) throw new NotFoundError('campaign', campaignId);
  let progress = campaign.launch;
  if (!progress || progress.state !== 'queueing') return { outcome: 'idle', progress };
  for (;;) {
    if (opts.stopAt !== undefined && deps.clock.now().getTime() >= opts.stopAt)
      return { outcome: 'yielded', progress };
    const page = await deps.store.recipientsPage(campaignId, progress.cursor, opts.pageSize ?? 500);
    const pending = page.items.filter((r) => r.state === 'pending');
    await opts.beforeQueue?.(pending);
    if (pending.length)
      await deps.queue.enqueue(pending.map((r) => ({ campaignId, recipientId: r.id })));
    await opts.afterEnqueue?.(progress.step);
    const { cursor: _old, ...rest } = progress;
    const next: LaunchProgress = {
      ...rest,
      // Every recipient of the page counts: a letter a sender already took
      // from an unrecorded earlier run of this page was queued by it.
      queued: progress.queued + page.items.length,
      step: progress.step + 1,
      updatedAt: deps.clock.now().toISOString(),
      state: page.cursor ? 'queueing' : 'queued',
      ...(page.cursor ? { cursor: page.cursor } : {}),
    };
    const advanced = await deps.jobStore.advance(campaignId, 'launch', progress.step, next, {
      statuses: ['sending', 'paused'],
      ...(page.items.length ? { counter: { name: 'queued', n: page.items.length } } : {}),
    });
    if (!advanced) return { outcome: 'superseded', progress };
    progress = next;
    if (next.state === 'queued') return { outcome: 'queued', progress };
  }
}
