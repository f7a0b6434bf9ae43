import type { SQSClient } from '@aws-sdk/client-sqs';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { EnqueueOptions, Queue, SendJob } from '../core/ports.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The delay of the i-th job, in whole seconds SQS accepts (0 to 900). */
export function delayOf(opts: EnqueueOptions | undefined, i: number): number | undefined {
  const d = Array.isArray(opts?.delaySeconds) ? opts.delaySeconds[i] : opts?.delaySeconds;
  return d === undefined ? undefined : Math.min(900, Math.max(0, Math.round(d)));
}

/** The send queue on Amazon SQS: batches of ten, failed entries retried until all are on the queue. */
export class SqsQueue implements Queue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(jobs: SendJob[], opts?: EnqueueOptions): Promise<void> {
    for (let i = 0; i < jobs.length; i += 10) {
      let entries = jobs.slice(i, i + 10).map((job, n) => {
        const delay = delayOf(opts, i + n);
        return {
          Id: String(n),
          MessageBody: JSON.stringify(job),
          ...(delay !== undefined ? { DelaySeconds: delay } : {}),
        };
      });
      for (let attempt = 0; entries.length > 0; attempt++) {
        const out = await this.sqs.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
        );
        const failed = new Set((out.Failed ?? []).map((f) => f.Id));
        entries = entries.filter((e) => failed.has(e.Id));
        if (entries.length && attempt >= 8)
          throw new Error(`SQS refused ${entries.length} send jobs`);
        if (entries.length) await sleep(100 * 2 ** attempt);
      }
    }
  }
}
