import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { LocalQueue } from '../../../functions/local/queue.js';

const job = (n: number) => ({ campaignId: 'c1', recipientId: `r${n}` });

describe('the local queue', () => {
  it('delivers in batches of at most ten, each body once when all succeed', async () => {
    const q = new LocalQueue({ concurrency: 2 });
    const seen: string[] = [];
    const sizes: number[] = [];
    q.start(async (e: SQSEvent) => {
      sizes.push(e.Records.length);
      seen.push(...e.Records.map((r) => JSON.parse(r.body).recipientId));
    });
    await q.enqueue(Array.from({ length: 35 }, (_, i) => job(i)));
    await q.drained();
    await q.stop();
    expect(seen.sort()).toEqual(Array.from({ length: 35 }, (_, i) => `r${i}`).sort());
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
  });

  it('redelivers only the failed items of a batch, with a growing receive count', async () => {
    const q = new LocalQueue({ visibilityTimeoutMs: 10 });
    const counts = new Map<string, string[]>();
    q.start(async (e) => {
      const failures = [];
      for (const r of e.Records) {
        const id = JSON.parse(r.body).recipientId as string;
        counts.set(id, [...(counts.get(id) ?? []), r.attributes.ApproximateReceiveCount]);
        if (id === 'r1' && r.attributes.ApproximateReceiveCount === '1')
          failures.push({ itemIdentifier: r.messageId });
      }
      return { batchItemFailures: failures };
    });
    await q.enqueue([job(0), job(1), job(2)]);
    await q.drained();
    await q.stop();
    expect(counts.get('r0')).toEqual(['1']);
    expect(counts.get('r1')).toEqual(['1', '2']);
  });

  it('moves a message to the dead-letter list after maxReceiveCount failures', async () => {
    const q = new LocalQueue({ visibilityTimeoutMs: 5, maxReceiveCount: 3 });
    let calls = 0;
    q.start(async () => {
      calls++;
      throw new Error('handler crashed');
    });
    await q.enqueue([job(9)]);
    await q.drained();
    await q.stop();
    expect(calls).toBe(3);
    expect(q.dlq).toHaveLength(1);
    expect(JSON.parse(q.dlq[0]!.body)).toEqual(job(9));
  });
});
