/**
 * The launch function: the long work the API and the scheduler hand over.
 * `{ action: 'launch', campaignId }` queues a begun launch (also the older
 * `{ campaignId }`), `{ action: 'import', campaignId }` imports an uploaded
 * list. Both go on from their recorded progress, so Lambda's retries, a
 * resumed stall (the scheduler's tick) or a second invocation never do a
 * step twice. A run that nears the function's time limit stops between two
 * steps; the scheduler's tick finds its progress standing still and starts
 * it again (a function may not be granted the right to invoke itself without
 * a dependency cycle in the stack).
 */
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { deps } from '../adapters/deps.js';
import { logger } from '../adapters/logger.js';
import { runLaunch } from '../core/governance/govern.js';
import { runImport } from '../core/import-job.js';
import type { JobEvent } from '../core/job-ports.js';

const log = logger('launch');
const id = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/);
const eventSchema = z.union([
  z.object({ action: z.enum(['launch', 'import']), campaignId: id }),
  z.object({ campaignId: id }).transform((e) => ({ action: 'launch' as const, ...e })),
]);

/** Time kept back for the last step and the self-invocation before Lambda's limit. */
const MARGIN_MS = 60_000;

export async function handler(
  event: unknown,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<{ campaignId: string; outcome: string }> {
  const job: JobEvent = eventSchema.parse(event);
  const d = deps();
  const stopAt = context ? Date.now() + context.getRemainingTimeInMillis() - MARGIN_MS : undefined;
  const { outcome } =
    job.action === 'import'
      ? await runImport(d, job.campaignId, { stopAt })
      : await runLaunch(d, job.campaignId, { stopAt });
  log.info('job run', { ...job, outcome });
  return { campaignId: job.campaignId, outcome };
}
