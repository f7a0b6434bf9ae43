/**
 * Erasing a person as a job. The API records the request (beginForget) and
 * hands it to the launch function; the job (runForget) reads the places the
 * address appears from the erasure index (PERSON#<keyed hash>, written with
 * every recipient, fallback address and reply), erases each (privacy.ts) and
 * records its report step by step with a conditional write, then removes
 * that index entry. A job stopped anywhere is run again from what is left in
 * the index (the scheduler's tick restarts one whose progress stands still),
 * and erasing what is already gone finds nothing: it is idempotent. At the
 * end the address goes on our suppression list as a keyed hash (when asked,
 * or when it was already suppressed), or off SES's account-level list, and
 * leaves the job record: the report names campaigns and counts, never the
 * address.
 */
import { randomBytes } from 'node:crypto';
import type { CampaignStore, Clock } from '../ports.js';
import type { JobEvent } from '../job-ports.js';
import { normaliseEmail } from '../recipients.js';
import { CampaignStateError, DemarcheError } from '../errors.js';
import { addressKey } from '../purpose-keys.js';
import type { RawMessageStore } from '../replies/ports.js';
import type { Actor } from './model.js';
import type { GovernanceStore } from './ports.js';
import {
  eraseFallbackOf,
  type ErasedInCampaign,
  type PrivacyStore,
  type RawEraser,
} from './privacy.js';
import { hashedSuppression } from './suppression.js';

/** Point-in-time recovery keeps 35 days of the table: an erased item is gone from it after that. */
export const BACKUP_WINDOW_DAYS = 35;

/** One place an address appears, as the erasure index records it (ids only). */
export interface PersonEntry {
  pk: string;
  sk: string;
  /** `signatory`: a co-signing organisation's contact (sign-on); its id is in `recipientId`. */
  kind: 'recipient' | 'fallback' | 'reply' | 'signatory' | 'target';
  campaignId?: string;
  recipientId?: string;
  replyId?: string;
  /** A target of the directory (core/directory) with the address as its primary or a fallback. */
  targetId?: string;
}

/**
 * The directory's part of an erasure: a target whose primary is the address
 * is deleted with its whole history; one that names it otherwise (a fallback,
 * an earlier address) loses it, and its history says "(erased)" there.
 */
export interface DirectoryEraser {
  eraseAddress(targetId: string, email: string): Promise<{ targets: number; versions: number }>;
}

export interface PersonIndex {
  /** Up to `limit` entries of these keyed hashes (one per key the deployment holds). */
  entries(hashes: string[], limit: number): Promise<PersonEntry[]>;
  remove(entry: PersonEntry): Promise<void>;
}

/** SES's account-level suppression list (it holds addresses in plain text). */
export interface AccountSuppression {
  remove(email: string): Promise<'removed' | 'not-listed'>;
}

export interface ForgetReport {
  /** Each campaign the person was in, and what was erased there. */
  campaigns: ErasedInCampaign[];
  unmatchedReplies: number;
  unmatchedRawMessages: number;
  /** Directory targets deleted (with their history), and versions of other targets the address was erased from. */
  directory?: { targets: number; versions: number };
  /** Erasure-index entries read and removed. */
  indexEntries: number;
  /** On our suppression list as a keyed hash (never mailed again), never as the address. */
  suppressed: boolean;
  /** Entries kept under the address itself (follow-ups stops, lifted unsubscribes) removed. */
  addressEntries?: number;
  /** SES's own account-level list: removed from it, not on it, or kept (asked to suppress). */
  sesSuppression?: 'removed' | 'not-listed' | 'kept';
  /** What erasure cannot reach, and when it is gone there too. */
  notReached: { what: string; goneBy: string }[];
}

export interface ForgetJob {
  id: string;
  state: 'erasing' | 'done' | 'failed';
  /** Moves by one on every recorded step; a step is recorded only from the step read. */
  step: number;
  suppress: boolean;
  by: string;
  byEmail?: string;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** The address, while the job runs only: removed with the last step. */
  email?: string;
  /** Why the job is waiting (a letter to the person being sent this moment). */
  waiting?: string;
  error?: string;
  report: ForgetReport;
}

export interface ForgetJobStore {
  create(job: ForgetJob): Promise<void>;
  get(id: string): Promise<ForgetJob | undefined>;
  /** Replaces the job with `next` when its step is still `fromStep`; false otherwise. */
  advance(id: string, fromStep: number, next: ForgetJob): Promise<boolean>;
  /** Jobs still erasing (few: one per request, until done). */
  running(): Promise<ForgetJob[]>;
}

export interface ForgetDeps {
  store: CampaignStore;
  clock: Clock;
  privacy: PrivacyStore;
  governance: GovernanceStore;
  /** Every key the deployment holds, current first: an address is indexed under one of them. */
  secrets: () => Promise<string[]>;
  rawStore: Pick<RawMessageStore, 'delete'>;
  forgetJobs: ForgetJobStore;
  personIndex: PersonIndex;
  accountSuppression: AccountSuppression;
  jobs: { start(job: JobEvent): Promise<void> };
  directory?: DirectoryEraser;
}

export const FORGET_JOB_ID = /^f[0-9a-f]{24}$/;

/** The job as staff see it: no address. */
export function publicJob(job: ForgetJob): Omit<ForgetJob, 'email'> {
  const { email: _email, ...rest } = job;
  return rest;
}

/** Records a request to erase `rawEmail` and starts the job; answers at once. */
export async function beginForget(
  deps: Pick<ForgetDeps, 'clock' | 'forgetJobs' | 'jobs'>,
  rawEmail: string,
  options: { actor: Actor; suppress?: boolean },
): Promise<ForgetJob> {
  const email = normaliseEmail(rawEmail);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 320)
    throw new DemarcheError(
      'REQUEST_INVALID',
      `forget: ${JSON.stringify(rawEmail)} is not an email address`,
      { field: 'email' },
    );
  const at = deps.clock.now().toISOString();
  const job: ForgetJob = {
    id: `f${randomBytes(12).toString('hex')}`,
    state: 'erasing',
    step: 0,
    suppress: options.suppress ?? false,
    by: options.actor.sub,
    ...(options.actor.email ? { byEmail: options.actor.email } : {}),
    startedAt: at,
    updatedAt: at,
    email,
    report: {
      campaigns: [],
      unmatchedReplies: 0,
      unmatchedRawMessages: 0,
      indexEntries: 0,
      suppressed: false,
      notReached: [],
    },
  };
  await deps.forgetJobs.create(job);
  await deps.jobs.start({ action: 'forget', jobId: job.id });
  return job;
}

export type ForgetOutcome = 'done' | 'yielded' | 'waiting' | 'superseded' | 'idle';

/** Adds what one entry erased in a campaign to the report's line of that campaign. */
function merge(report: ForgetReport, e: ErasedInCampaign): ForgetReport {
  const campaigns = [...report.campaigns];
  const i = campaigns.findIndex((c) => c.campaignId === e.campaignId);
  if (i < 0) campaigns.push(e);
  else {
    const c = campaigns[i]!;
    campaigns[i] = {
      campaignId: c.campaignId,
      recipient: c.recipient || e.recipient,
      timeline: c.timeline + e.timeline,
      replies: c.replies + e.replies,
      rawMessages: c.rawMessages + e.rawMessages,
      fallbackOf: c.fallbackOf + e.fallbackOf,
      ...(c.signatories || e.signatories
        ? { signatories: (c.signatories ?? 0) + (e.signatories ?? 0) }
        : {}),
    };
  }
  return { ...report, campaigns };
}

/** Runs (or goes on with) an erasure job; see the file's comment. */
export async function runForget(
  deps: ForgetDeps,
  jobId: string,
  opts: { stopAt?: number; pageSize?: number } = {},
): Promise<{ outcome: ForgetOutcome; job?: ForgetJob }> {
  let job = await deps.forgetJobs.get(jobId);
  if (!job || job.state !== 'erasing' || !job.email) return { outcome: 'idle', job };
  const email = job.email;
  const now = () => deps.clock.now().toISOString();
  const step = async (change: Partial<ForgetJob>): Promise<boolean> => {
    const next: ForgetJob = { ...job!, ...change, step: job!.step + 1, updatedAt: now() };
    if (!('waiting' in change)) delete next.waiting;
    const ok = await deps.forgetJobs.advance(jobId, job!.step, next);
    if (ok) job = next;
    return ok;
  };
  const secrets = await deps.secrets();
  const hashes = secrets.map((s) => addressKey(s, email));
  for (;;) {
    const entries = await deps.personIndex.entries(hashes, opts.pageSize ?? 25);
    if (!entries.length) break;
    for (const entry of entries) {
      let erased: ErasedInCampaign | { replies: number; rawMessages: number };
      if (entry.kind === 'target') {
        const d = (await deps.directory?.eraseAddress(entry.targetId!, email)) ?? {
          targets: 0,
          versions: 0,
        };
        const was = job.report.directory ?? { targets: 0, versions: 0 };
        const directory = { targets: was.targets + d.targets, versions: was.versions + d.versions };
        if (
          !(await step({
            report: { ...job.report, directory, indexEntries: job.report.indexEntries + 1 },
          }))
        )
          return { outcome: 'superseded', job };
        await deps.personIndex.remove(entry);
        continue;
      }
      try {
        erased = await eraseEntry(deps, entry, email, now());
      } catch (err) {
        // A letter to the person is being sent this moment: wait for it (the tick runs the job again).
        if (err instanceof CampaignStateError) {
          await step({ waiting: err.message });
          return { outcome: 'waiting', job };
        }
        throw err;
      }
      const report =
        'campaignId' in erased
          ? merge(job.report, erased)
          : {
              ...job.report,
              unmatchedReplies: job.report.unmatchedReplies + erased.replies,
              unmatchedRawMessages: job.report.unmatchedRawMessages + erased.rawMessages,
            };
      if (!(await step({ report: { ...report, indexEntries: report.indexEntries + 1 } })))
        return { outcome: 'superseded', job };
      await deps.personIndex.remove(entry);
      if (
        'campaignId' in erased &&
        (erased.recipient || erased.fallbackOf || erased.timeline || erased.signatories)
      )
        await deps.governance.appendAudit({
          campaignId: erased.campaignId,
          at: now(),
          actor: job.by,
          ...(job.byEmail ? { actorEmail: job.byEmail } : {}),
          action: 'erased',
          detail: `one person's personal data erased on request (job ${job.id}: ${erased.timeline} timeline entries, ${erased.replies} replies, ${erased.rawMessages} raw messages); counts kept`,
        });
      if (opts.stopAt !== undefined && deps.clock.now().getTime() >= opts.stopAt)
        return { outcome: 'yielded', job };
    }
  }
  const at = now();
  const suppressed = job.suppress || (await deps.store.isSuppressed(email));
  if (suppressed)
    await deps.privacy.suppressHashed(
      email,
      hashedSuppression(secrets[0]!, email),
      'erasure request: never mail again',
      at,
    );
  const addressEntries = await deps.privacy.dropAddressEntries(email);
  // SES's own list holds the address in plain text: off it, unless the person is to stay
  // suppressed (then SES's list is a second guard; our entry is the keyed hash).
  const ses = job.suppress ? 'kept' : await deps.accountSuppression.remove(email);
  const goneBy = new Date(deps.clock.now().getTime() + BACKUP_WINDOW_DAYS * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const { email: _gone, ...rest } = job;
  job = rest;
  const done = await step({
    state: 'done',
    finishedAt: at,
    report: {
      ...rest.report,
      suppressed,
      addressEntries,
      sesSuppression: ses,
      notReached: [
        {
          what: `the table's point-in-time recovery (${BACKUP_WINDOW_DAYS} days of backups)`,
          goneBy,
        },
      ],
    },
  });
  return { outcome: done ? 'done' : 'superseded', job };
}

/** Erases what one index entry points at; already gone is nothing to erase. */
async function eraseEntry(
  deps: ForgetDeps,
  entry: PersonEntry,
  email: string,
  at: string,
): Promise<ErasedInCampaign | { replies: number; rawMessages: number }> {
  const eraseRaw: RawEraser = async (keys) => {
    for (const key of keys) await deps.rawStore.delete(key);
  };
  const none = { recipient: false, timeline: 0, replies: 0, rawMessages: 0, fallbackOf: 0 };
  if (entry.kind === 'reply') {
    const out = await deps.privacy.eraseReply(entry.campaignId, entry.replyId!, eraseRaw);
    return entry.campaignId ? { campaignId: entry.campaignId, ...none, ...out } : out;
  }
  const campaignId = entry.campaignId!;
  const rid = entry.recipientId!;
  if (entry.kind === 'signatory')
    return {
      campaignId,
      ...none,
      signatories: (await deps.privacy.eraseSignatoryContact(campaignId, rid, at)) ? 1 : 0,
    };
  if (entry.kind === 'fallback')
    return {
      campaignId,
      ...none,
      fallbackOf: await eraseFallbackOf(deps, campaignId, rid, email, at),
    };
  // A letter not yet sent is settled as not to be sent (counted as suppressed, so the
  // campaign still completes); one being sent this moment is left to finish first.
  const r = await deps.store.getRecipient(campaignId, rid);
  if (r?.state === 'claimed')
    throw new CampaignStateError(
      campaignId,
      'a letter to this person is being sent right now; the erasure goes on in a minute',
    );
  if (r?.state === 'pending' || r?.state === 'held')
    await deps.store.settle(
      campaignId,
      rid,
      ['pending', 'held'],
      'suppressed',
      at,
      'erased on request',
    );
  return {
    campaignId,
    ...(await deps.privacy.eraseRecipient(campaignId, rid, email, at, eraseRaw)),
    fallbackOf: 0,
  };
}
