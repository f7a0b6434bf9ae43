/**
 * Long work the API hands over instead of doing within a request: queueing a
 * launch and importing an uploaded list. The API records the job on the
 * campaign and starts it through `Jobs` (an asynchronous Lambda invoke in
 * AWS, a background task of the local runtime); the job records its progress
 * step by step through `JobStore`, so it can stop at any point and be run
 * again from where it stood.
 */
import type { CampaignStatus, CounterName, ImportProgress, LaunchProgress } from './campaign.js';
import type { LetterTemplate } from './letter.js';
import type { Statement } from './statement.js';

export type JobEvent =
  { action: 'launch'; campaignId: string } | { action: 'import'; campaignId: string };

export interface Jobs {
  /** Starts the job in the background and returns at once. */
  start(job: JobEvent): Promise<void>;
}

export interface JobStore {
  /**
   * Replaces the job's progress with `next` when its step is still `fromStep`
   * and the campaign is in one of `statuses`; moves `counter` in the same
   * transaction. False when either condition failed (another runner went on,
   * or the campaign was cancelled): the caller stops.
   */
  advance<K extends 'launch' | 'import'>(
    campaignId: string,
    job: K,
    fromStep: number,
    next: K extends 'launch' ? LaunchProgress : ImportProgress,
    opts: { statuses: CampaignStatus[]; counter?: { name: CounterName; n: number } },
  ): Promise<boolean>;
  /** Deletes every recipient of a draft (a list being replaced); idempotent. */
  clearRecipients(campaignId: string): Promise<void>;
  /** How many recipient items the campaign holds (a count query, no items read). */
  countRecipients(campaignId: string): Promise<number>;
}

/** Large recipients lists, uploaded outside the API's request size limits. */
export interface Uploads {
  /** A new upload slot: where and how the client PUTs the file. */
  create(): Promise<{ id: string; url: string; method: 'PUT'; headers: Record<string, string> }>;
  /** The uploaded text, streamed; undefined when nothing was uploaded under `id`. */
  open(id: string): Promise<AsyncIterable<string> | undefined>;
  /** Stores a body under `id` (the local runtime's upload route; S3 takes the PUT itself in AWS). */
  put(id: string, body: string): Promise<void>;
}

/** Upload ids: random, URL-safe, checked at every boundary. */
export const UPLOAD_ID = /^u[0-9a-f]{32}$/;

/** Edits of a draft's content beyond adding recipients. */
export interface DraftStore {
  /** Replaces a draft's statement and compiled letters (conditional on it being a draft). */
  replaceStatement(
    campaignId: string,
    statement: Statement,
    templates: LetterTemplate[],
    at: string,
  ): Promise<boolean>;
}
