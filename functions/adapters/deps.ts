/**
 * The one place handlers get their adapters from. Built lazily from the
 * environment (the same variables in Lambda and locally); the local runtime
 * replaces only what has no AWS stand-in on a laptop (the queue).
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Clock, Mailer, Queue } from '../core/ports.js';
import { CampaignCache } from '../core/send.js';
import { configuredRate, type RateLimiter } from '../core/pacing.js';
import { DynamoRateLimiter } from './dynamo-rate-limiter.js';
import { DynamoHeldLetters } from './dynamo-held.js';
import { DynamoTestLetters } from './dynamo-test-letters.js';
import { DynamoCampaignEraser } from './dynamo-discard.js';
import type { CampaignEraser } from '../core/discard.js';
import type { TestLetterStore } from '../core/test-letters.js';
import type { HeldLetters } from '../core/held.js';
import { sesMaxSendRate } from './ses-quota.js';
import type { Schedules } from '../core/lifecycle.js';
import { schedulesFromEnv } from './eventbridge-schedules.js';
import { metered } from './client-meter.js';
import { systemClock } from './clock.js';
import { ConfigError } from '../core/errors.js';
import { type Config, loadConfig } from './config.js';
import { DryRunMailer } from './dry-run-mailer.js';
import { DynamoCampaignStore, dynamoClient } from './dynamo-store.js';
import { DynamoEventStore } from './dynamo-events.js';
import type { EventStore } from '../core/events/ports.js';
import { keyProviders } from './secret.js';
import { keyRingStoreFromEnv } from './key-ring-store.js';
import type { KeyRing, KeyRingStore } from '../core/key-ring.js';
import { SesMailer, sesClient } from './ses-mailer.js';
import { SqsQueue } from './sqs-queue.js';
import { S3Client } from '@aws-sdk/client-s3';
import type { RawMessageStore, ReplyStore } from '../core/replies/ports.js';
import { DynamoReplyStore } from './dynamo-replies.js';
import { S3RawStore } from './raw-store.js';
import { ENV } from './config.js';
import { approvalModeFromEnv, DynamoGovernanceStore } from './dynamo-governance.js';
import type { ApprovalMode } from '../core/governance/model.js';
import type { FallbackStore } from '../core/governance/fallback.js';
import { DynamoFallbackStore } from './dynamo-fallback.js';
import { StaffQueries } from './staff-queries.js';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { DraftStore, JobStore, Jobs, Uploads } from '../core/job-ports.js';
import type { SenderRules } from '../core/senders.js';
import { DynamoJobStore } from './dynamo-jobs.js';
import { LambdaJobs, missingJobs } from './lambda-jobs.js';
import { missingUploads, S3Uploads } from './uploads.js';
import { senderRulesFromEnv } from './deployment.js';
import type { Metrics } from '../core/metrics.js';
import { metricsFromEnv } from './metrics.js';
import type { StuckLetterStore } from '../core/stuck.js';
import { DynamoStuckLetters } from './dynamo-stuck.js';
import type { EventPublisher } from '../core/events/envelope.js';
import { eventsQueueFrom } from './sqs-events.js';
import type { ChoiceStore } from '../core/recipient-pages/choice.js';
import { DynamoChoiceStore } from './dynamo-choices.js';
import {
  type PreflightReport,
  requirePreflight,
  type SendingAccount,
  type TxtResolver,
} from '../core/preflight.js';
import { SesSendingAccount } from './ses-preflight.js';
import { DnsTxtResolver } from './dns.js';
import type { SignonStore } from '../core/signon/ports.js';
import { DynamoSignonStore } from './dynamo-signon.js';
import { DynamoDirectory } from './dynamo-directory.js';
import { addOverrides, clearOverrides, currentOverrides } from './deps-overrides.js';

export interface Deps {
  config: Config;
  store: DynamoCampaignStore;
  mailer: Mailer;
  dryRunMailer: Mailer;
  queue: Queue;
  clock: Clock;
  campaigns: CampaignCache;
  /**
   * The secret of the keyed lookups (erasure index, suppression hash of erased
   * people, sign-on), read once per container; no key rotation changes it.
   */
  secret: () => Promise<string>;
  /**
   * The key ring that signs and verifies letter links and reply addresses.
   * With `holding`, a ring lacking that key id is read again (a rotation elsewhere).
   */
  keys: (holding?: string) => Promise<KeyRing>;
  /** Where rotation reads and writes the ring (Secrets Manager, the local secret file). */
  keyStore: KeyRingStore;
  /** Delivery and engagement events: timelines, recipient state, counters. */
  events: EventStore;
  /** Replies: stored, matched and counted; raw messages in S3 (a folder locally). */
  replies: ReplyStore;
  rawStore: RawMessageStore;
  /** Versions, approvals and the audit log, and whether approval takes two people. */
  governance: DynamoGovernanceStore;
  approvalMode: ApprovalMode;
  /** Moves of a letter to a recipient's fallback address after a hard bounce. */
  fallbacks: FallbackStore;
  /** The staff API's filtered recipient reads and draft uploads. */
  staffQueries: StaffQueries;
  /** Send slots shared by every sender: SES MaxSendRate × the configured margin. */
  rateLimiter: RateLimiter;
  /** Letters held for their recipient's office hours. */
  held: HeldLetters;
  /** Test letters' web versions, kept for a few days (their letters belong to no campaign). */
  testLetters: TestLetterStore;
  /** Removes a deleted draft's or dry run's items, a page at a time. */
  eraser: CampaignEraser;
  /** The rate senders are paced to (letters/second), for plans: SES MaxSendRate × margin. */
  sendRate: () => Promise<number>;
  /** Timed launches and expiry (EventBridge Scheduler); absent locally, where the runtime's timer ticks. */
  schedules?: Schedules;
  /** Launches and imports handed to the launch function (AWS) or the runtime's background (local). */
  jobs: Jobs;
  /** Their recorded progress, stepped conditionally. */
  jobStore: JobStore & DraftStore;
  /** Large recipients lists: presigned S3 PUTs (AWS), the data folder (local). */
  uploads: Uploads;
  /** The From addresses and the reply domain this deployment allows. */
  senders: SenderRules;
  /** Operational metrics (Powertools EMF in Lambda, a recorder locally) the alarms watch. */
  metrics: Metrics;
  /** Failed and unknown letters, listed and moved on by staff (core/stuck.ts). */
  stuck: StuckLetterStore;
  /** Where the tracking routes send opens, clicks and unsubscribes: the events queue. */
  trackingEvents: EventPublisher;
  /** A recipient's own stops (all letters, or one campaign's follow-ups) and their undo. */
  choices: ChoiceStore;
  /** SES's account, identity and configuration-set reads, and TXT lookups: preflight's view. */
  sendingAccount: SendingAccount;
  dns: TxtResolver;
  /** Coalition sign-on: settings, signatories, their rate counters (core/signon). */
  signon: SignonStore;
  /** The target directory: people and offices kept across campaigns (core/directory). */
  directory: DynamoDirectory;
  /** Refuses (PreflightFailedError) a launch or schedule SES would refuse (core/preflight.ts). */
  preflight(campaignId: string, startAt?: Date): Promise<PreflightReport>;
}

let current: { deps: Deps; overrides: Partial<Deps> } | undefined;

export function deps(): Deps {
  const overrides = currentOverrides();
  if (current?.overrides !== overrides)
    current = { deps: build(loadConfig(), overrides), overrides };
  return current.deps;
}

/** Wires replacements (the local queue, a test clock) and drops the cached sets. */
export function setDeps(partial: Partial<Deps>): void {
  addOverrides(partial);
}

export function resetDeps(): void {
  clearOverrides();
}

function build(config: Config, overrides: Partial<Deps>): Deps {
  const d: Omit<Deps, 'preflight'> = parts(config, overrides);
  return {
    ...d,
    preflight: overrides.preflight ?? ((id, startAt) => requirePreflight(d, id, { startAt })),
  };
}

function parts(config: Config, overrides: Partial<Deps>): Omit<Deps, 'preflight'> {
  // One client per service for the container: one connection pool, one set-up.
  const db = dynamoClient({ region: config.region, endpoint: config.dynamoEndpoint });
  const ses = sesClient({ region: config.region, endpoint: config.sesEndpoint });
  const { secret, keys } = keyProviders(overrides);
  // The store reads suppression entries kept as a keyed hash of the address (erasure): it needs the secret.
  const store = overrides.store ?? new DynamoCampaignStore(db, config.table, secret);
  const queue =
    overrides.queue ??
    (config.sendQueueUrl
      ? new SqsQueue(metered(new SQSClient({ region: config.region }), 'sqs'), config.sendQueueUrl)
      : missingQueue());
  return {
    config,
    store,
    mailer: overrides.mailer ?? new SesMailer(ses),
    dryRunMailer: overrides.dryRunMailer ?? new DryRunMailer(),
    queue,
    clock: overrides.clock ?? systemClock,
    campaigns: overrides.campaigns ?? new CampaignCache(store),
    secret,
    keys,
    keyStore: overrides.keyStore ?? keyRingStoreFromEnv(),
    events: overrides.events ?? new DynamoEventStore(db, config.table),
    replies: overrides.replies ?? new DynamoReplyStore(db, config.table, secret),
    rawStore: overrides.rawStore ?? inboundBucket(),
    governance: overrides.governance ?? new DynamoGovernanceStore(db, config.table),
    approvalMode: overrides.approvalMode ?? approvalModeFromEnv(),
    fallbacks: overrides.fallbacks ?? new DynamoFallbackStore(db, config.table),
    staffQueries: overrides.staffQueries ?? new StaffQueries(db, config.table, secret),
    schedules: overrides.schedules ?? schedulesFromEnv(config.region),
    rateLimiter:
      overrides.rateLimiter ??
      new DynamoRateLimiter(db, config.table, async () =>
        configuredRate(await sesMaxSendRate(ses), config.sendRateMargin),
      ),
    held: overrides.held ?? new DynamoHeldLetters(db, config.table),
    testLetters: overrides.testLetters ?? new DynamoTestLetters(db, config.table),
    eraser: overrides.eraser ?? new DynamoCampaignEraser(db, config.table, secret),
    jobs: overrides.jobs ?? lambdaJobs(config.region),
    jobStore: overrides.jobStore ?? new DynamoJobStore(db, config.table),
    uploads: overrides.uploads ?? uploadBucket(config.region),
    senders: overrides.senders ?? senderRulesFromEnv(),
    sendRate:
      overrides.sendRate ??
      (async () => configuredRate(await sesMaxSendRate(ses), config.sendRateMargin)),
    metrics: overrides.metrics ?? metricsFromEnv(),
    stuck: overrides.stuck ?? new DynamoStuckLetters(db, config.table, store),
    choices: overrides.choices ?? new DynamoChoiceStore(db, config.table),
    trackingEvents: overrides.trackingEvents ?? eventsQueueFrom(config),
    sendingAccount: overrides.sendingAccount ?? new SesSendingAccount(ses),
    dns: overrides.dns ?? new DnsTxtResolver(),
    signon: overrides.signon ?? new DynamoSignonStore(db, config.table),
    directory: overrides.directory ?? new DynamoDirectory(db, config.table, secret),
  };
}

/** The launch function (DEMARCHE_LAUNCH_FUNCTION), invoked asynchronously. */
function lambdaJobs(region: string): Jobs {
  const fn = process.env[ENV.launchFunction];
  return fn ? new LambdaJobs(metered(new LambdaClient({ region }), 'lambda'), fn) : missingJobs();
}

/** The bucket large recipients lists are uploaded to (DEMARCHE_UPLOAD_BUCKET). */
function uploadBucket(region: string): Uploads {
  const bucket = process.env[ENV.uploadBucket];
  return bucket ? new S3Uploads(metered(new S3Client({ region }), 's3'), bucket) : missingUploads();
}

/** The bucket SES receipt rules write raw replies to (DEMARCHE_INBOUND_BUCKET). */
function inboundBucket(): RawMessageStore {
  const bucket = process.env[ENV.inboundBucket];
  if (bucket) return new S3RawStore(metered(new S3Client({}), 's3'), bucket);
  const missing = async (): Promise<never> => {
    throw new ConfigError(
      'no raw message store: set DEMARCHE_INBOUND_BUCKET or run through the local runtime',
    );
  };
  return { put: missing, get: missing, size: missing, delete: missing };
}

function missingQueue(): Queue {
  return {
    enqueue: async () => {
      throw new ConfigError(
        'no send queue: set DEMARCHE_SEND_QUEUE_URL or run through the local runtime',
      );
    },
  };
}
