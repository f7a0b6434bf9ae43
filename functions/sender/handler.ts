/**
 * Sender: SQS batch of send jobs → one letter each, with partial batch
 * failures so that only the jobs that must be retried come back.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { deps } from '../adapters/deps.js';
import { logger } from '../adapters/logger.js';
import { finishIfDone } from '../core/progress.js';
import { guardReputation } from '../core/reputation.js';
import { sendLetter } from '../core/send.js';

const log = logger('sender');

const jobSchema = z.object({
  campaignId: z.string().min(1).max(64),
  recipientId: z.string().min(1).max(64),
});

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const d = deps();
  const touched = new Set<string>();
  const processor = new BatchProcessor(EventType.SQS);
  const response = await processPartialResponse(
    event,
    async (record: SQSRecord) => {
      const job = jobSchema.parse(JSON.parse(record.body));
      touched.add(job.campaignId);
      const outcome = await sendLetter(d, job);
      log.debug('job done', { ...job, outcome });
      return outcome;
    },
    processor,
    { throwOnFullBatchFailure: false },
  );
  // Once per batch, not per letter: completion is a read of the counter shards.
  for (const id of touched) {
    const paused = await guardReputation(d, id);
    if (paused) log.warn('campaign paused', { campaignId: id, reason: paused });
    await finishIfDone(d, id);
  }
  return response;
}
