/**
 * Sender: SQS batch of send jobs → one letter each, with partial batch
 * failures so that only the jobs that must be retried come back.
 *
 * The well-formed jobs of a batch are sent together (core/send.ts sendBatch:
 * one claim transaction, one suppression read, one record transaction per
 * campaign); Powertools' batch processor then reports each record's own
 * result, so a malformed or failed job is retried alone. A job whose letter
 * was handed back unsent (pacing, throttles, a paused campaign) is not a
 * failure: it goes back on the queue as a new message after a short jittered
 * delay, or is dropped when `resume` queues its letter anew
 * (core/handback.ts), so that no slow or paused campaign reaches the DLQ.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { deps } from '../adapters/deps.js';
import { logger } from '../adapters/logger.js';
import { type HandBack, handBackFor } from '../core/handback.js';
import { METRIC } from '../core/metrics.js';
import type { SendJob } from '../core/ports.js';
import { finishIfDone, readCampaign } from '../core/progress.js';
import { guardReputation } from '../core/reputation.js';
import { sendBatch, type JobResult } from '../core/send.js';

const log = logger('sender');

const jobSchema = z.object({
  campaignId: z.string().min(1).max(64),
  recipientId: z.string().min(1).max(64),
  handBacks: z.number().int().min(0).max(1_000_000).optional(),
});

function parseJob(record: SQSRecord): SendJob {
  return jobSchema.parse(JSON.parse(record.body));
}

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const d = deps();
  const jobs = new Map<string, SendJob>();
  for (const record of event.Records) {
    try {
      jobs.set(record.messageId, parseJob(record));
    } catch {
      // Reported below by the processor, record by record.
    }
  }
  const ids = [...jobs.keys()];
  const results = new Map<string, JobResult>();
  (await sendBatch(d, [...jobs.values()])).forEach((r, i) => results.set(ids[i]!, r));

  // Hand-backs first: each goes back on the queue (or is dropped) before its record is deleted.
  const handBacks = new Map<string, HandBack>();
  for (const [id, r] of results) {
    const back = 'error' in r ? handBackFor(r.error, jobs.get(id)!.handBacks ?? 0) : undefined;
    if (back) handBacks.set(id, back);
  }
  const again = [...handBacks].filter(([, b]) => !b.drop);
  let requeueError: unknown;
  if (again.length) {
    try {
      await d.queue.enqueue(
        again.map(([id]) => {
          const job = jobs.get(id)!;
          return { ...job, handBacks: (job.handBacks ?? 0) + 1 };
        }),
        { delaySeconds: again.map(([, b]) => (b.drop ? 0 : b.delayMs / 1000)) },
      );
      d.metrics.count(METRIC.handBacks, again.length);
    } catch (err) {
      // Not on the queue again: these records fail instead, and SQS redelivers them.
      requeueError = err;
    }
  }

  const processor = new BatchProcessor(EventType.SQS);
  const response = await processPartialResponse(
    event,
    async (record: SQSRecord) => {
      const job = jobs.get(record.messageId) ?? parseJob(record);
      const result = results.get(record.messageId)!;
      const back = handBacks.get(record.messageId);
      if (back && (back.drop || requeueError === undefined)) {
        log.debug('job handed back', { ...job, reason: back.reason, back });
        return back.drop ? 'dropped' : 'handed-back';
      }
      if ('error' in result) {
        log.warn('job to retry', {
          ...job,
          error: (result.error as Error)?.message ?? String(result.error),
        });
        throw result.error;
      }
      log.debug('job done', { ...job, outcome: result.outcome });
      return result.outcome;
    },
    processor,
    { throwOnFullBatchFailure: false },
  );
  let sent = 0;
  let failed = 0;
  for (const r of results.values()) {
    if ('outcome' in r && r.outcome === 'sent') sent++;
    if ('outcome' in r && r.outcome === 'failed') failed++;
  }
  if (sent) d.metrics.count(METRIC.lettersSent, sent);
  if (failed) d.metrics.count(METRIC.lettersFailed, failed);
  if (response.batchItemFailures.length)
    d.metrics.count(METRIC.batchItemFailures, response.batchItemFailures.length);

  // Once per batch, not per letter: completion is a read of the counter shards.
  // One read of the campaign and its counters serves both checks.
  for (const id of new Set([...jobs.values()].map((j) => j.campaignId))) {
    const known = await readCampaign(d.store, id);
    const paused = await guardReputation(d, id, undefined, known);
    if (paused) {
      log.warn('campaign paused', { campaignId: id, reason: paused });
      // This container's letters still waiting for a send slot see the pause at once.
      await d.campaigns.fresh(id, Date.now());
    } else await finishIfDone(d, id, known);
  }
  d.metrics.flush();
  return response;
}
