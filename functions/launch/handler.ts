/**
 * The launch function: the long work the API and the scheduler hand over.
 * `{ action: 'launch', campaignId }` queues a begun launch (also the older
 * `{ campaignId }`), `{ action: 'import', campaignId }` imports an uploaded
 * list, `{ action: 'forget', jobId }` erases a person. Each goes on from its
 * recorded progress, so Lambda's retries, a resumed stall (the scheduler's
 * tick) or a second invocation never do a step twice. A run that nears the
 * function's time limit stops between two steps; the scheduler's tick finds
 * its progress standing still and starts it again (a function may not be
 * granted the right to invoke itself without a dependency cycle in the
 * stack). The event carries ids only: an erasure's address is in its job
 * record, never in an invocation payload (which Lambda keeps for retries
 * and a failure destination).
 */
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { deps } from '../adapters/deps.js';
import { forgetDeps } from '../adapters/dynamo-forget.js';
import { logger } from '../adapters/logger.js';
import { FORGET_JOB_ID, runForget } from '../core/governance/forget-job.js';
import { runLaunch } from '../core/governance/govern.js';
import { runImport } from '../core/import-job.js';
import type { JobEvent } from '../core/job-ports.js';

const log = logger('launch');
const id = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/);
const eventSchema = z.union([
  z.object({ action: z.enum(['launch', 'import']), campaignId: id }),
  z.object({ action: z.literal('forget'), jobId: z.string().regex(FORGET_JOB_ID) }),
  z.object({ campaignId: id }).transform((e) => ({ action: 'launch' as const, ...e })),
]);

/** Time kept back for the last step and the self-invocation before Lambda's limit. */
const MARGIN_MS = 60_000;

export async function handler(
  event: unknown,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<{ campaignId?: string; jobId?: string; outcome: string }> {
  const job: JobEvent = eventSchema.parse(event);
  const d = deps();
  const stopAt = context ? Date.now() + context.getRemainingTimeInMillis() - MARGIN_MS : undefined;
  if (job.action === 'forget') {
    const { outcome } = await runForget(forgetDeps(d), job.jobId, { stopAt });
    log.info('job run', { ...job, outcome });
    return { jobId: job.jobId, outcome };
  }
  const { outcome } =
    job.action === 'import'
      ? await runImport(d, job.campaignId, { stopAt })
      : await runLaunch(d, job.campaignId, { stopAt });
  log.info('job run', { ...job, outcome });
  return { campaignId: job.campaignId, outcome };
}
