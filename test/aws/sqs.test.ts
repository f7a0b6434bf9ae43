/**
 * The send queue on SQS (moto), through the real SqsQueue adapter and the
 * event-source poller that does what Lambda's SQS integration does: batches
 * of ten, partial batch responses, redelivery after the visibility timeout
 * with a new receipt handle, redrive to the dead-letter queue after
 * maxReceiveCount receives, and receipt handles a handler can use.
 */
import {
  ChangeMessageVisibilityCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { SqsQueue } from '../../functions/adapters/sqs-queue.js';
import { QUEUES } from '../../functions/adapters/stack-definition.js';
import type { SendJob } from '../../functions/core/ports.js';
import { motoClientConfig } from '../../functions/local/moto-stack.js';
import { SqsPoller } from '../../functions/local/sqs-poller.js';
import { REGION, useMoto } from './moto.js';

// Failures come back after three seconds here, not the stack's 18 minutes (still longer than
// the one-second batching window plus a handler, as AWS requires of a visibility timeout).
const aws = useMoto({ visibilityTimeoutSeconds: 3 });
const sqs = () => new SQSClient(motoClientConfig(aws().endpoint, REGION));
const jobs = (n: number, campaignId = 'c1'): SendJob[] =>
  Array.from({ length: n }, (_, i) => ({ campaignId, recipientId: `r-${i}` }));
const body = (r: SQSRecord) => JSON.parse(r.body) as SendJob;

let poller: SqsPoller | undefined;
afterEach(async () => {
  await poller?.stop();
  poller = undefined;
  await aws().queue.drained();
});

/** A poller on the send queue with one consumer, so that ten waiting messages make one batch. */
function poll(handler: (e: SQSEvent) => Promise<SQSBatchResponse | void>): SqsPoller {
  const q = aws().stack.sendQueue;
  poller = new SqsPoller({
    sqs: sqs(),
    queueUrl: q.url,
    queueArn: q.arn,
    region: REGION,
    batchSize: QUEUES.send.batchSize,
    maxBatchingWindowMs: QUEUES.send.maxBatchingWindowSeconds * 1000,
    concurrency: 1,
    waitTimeSeconds: 1,
  });
  poller.start(handler);
  return poller;
}

async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('SqsQueue on SQS', () => {
  it('enqueues 25 jobs in batches of ten, each arriving once with its body', async () => {
    await new SqsQueue(sqs(), aws().stack.sendQueue.url).enqueue(jobs(25));
    const seen: SendJob[] = [];
    const sizes: number[] = [];
    poll(async (e) => {
      sizes.push(e.Records.length);
      seen.push(...e.Records.map(body));
    });
    await until(() => seen.length >= 25, '25 jobs');
    await aws().queue.drained();
    expect(seen.map((j) => j.recipientId).sort()).toEqual(
      jobs(25)
        .map((j) => j.recipientId)
        .sort(),
    );
    expect(Math.max(...sizes)).toBe(10);
    expect(await aws().queue.deadLettered()).toBe(0);
  });
});

describe('the event-source poller', () => {
  it('a batch of 10 with a failing entry: nine are deleted, the failure comes back once with a new receipt handle', async () => {
    await aws().queue.enqueue(jobs(10));
    const batches: SQSRecord[][] = [];
    poll(async (e) => {
      batches.push(e.Records);
      const bad = e.Records.find((r) => body(r).recipientId === 'r-7' && batches.length === 1);
      return { batchItemFailures: bad ? [{ itemIdentifier: bad.messageId }] : [] };
    });
    await until(() => batches.length >= 2, 'the redelivery');
    await aws().queue.drained();
    const [first, second] = batches;
    expect(first).toHaveLength(10);
    expect(batches).toHaveLength(2);
    expect(second).toHaveLength(1);
    const before = first!.find((r) => body(r).recipientId === 'r-7')!;
    const again = second![0]!;
    expect(again.messageId).toBe(before.messageId);
    expect(again.receiptHandle).not.toBe(before.receiptHandle);
    expect(before.attributes.ApproximateReceiveCount).toBe('1');
    expect(again.attributes.ApproximateReceiveCount).toBe('2');
    // Lambda's record shape: the queue's ARN and region, and SQS's own MD5 of the body.
    expect(again.eventSource).toBe('aws:sqs');
    expect(again.eventSourceARN).toBe(aws().stack.sendQueue.arn);
    expect(again.awsRegion).toBe(REGION);
    expect(again.md5OfBody).toMatch(/^[0-9a-f]{32}$/);
    expect(Number(again.attributes.SentTimestamp)).toBeGreaterThan(0);
  });

  it('a handler that throws, or names a message not in the batch, fails the whole batch', async () => {
    await aws().queue.enqueue(jobs(3, 'throwing'));
    let calls = 0;
    poll(async (e) => {
      calls++;
      if (calls === 1) throw new Error('the function crashed');
      if (calls === 2) return { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] };
      expect(e.Records).toHaveLength(3);
      expect(e.Records.every((r) => r.attributes.ApproximateReceiveCount === '3')).toBe(true);
    });
    await until(() => calls >= 3, 'three deliveries');
    await aws().queue.drained();
    expect(calls).toBe(3);
  });

  it('a message that always fails is moved to the dead-letter queue by SQS after maxReceiveCount receives', async () => {
    const { maxReceiveCount } = QUEUES.send;
    await aws().queue.sendRaw(JSON.stringify({ campaignId: 'poison', recipientId: 'r-0' }));
    const counts: string[] = [];
    poll(async (e) => {
      counts.push(...e.Records.map((r) => r.attributes.ApproximateReceiveCount));
      return { batchItemFailures: e.Records.map((r) => ({ itemIdentifier: r.messageId })) };
    });
    await until(() => counts.length >= maxReceiveCount, `${maxReceiveCount} receives`);
    // SQS moves it on the receive after the last, once its visibility timeout is over.
    await aws().queue.drained();
    expect(counts).toEqual(Array.from({ length: maxReceiveCount }, (_, i) => String(i + 1)));
    // Queue counts are approximate in SQS (and the move is not atomic in moto): read until it shows.
    let deadLettered = 0;
    for (let i = 0; i < 100 && deadLettered === 0; i++) {
      deadLettered = await aws().queue.deadLettered();
      if (!deadLettered) await new Promise((r) => setTimeout(r, 50));
    }
    expect(deadLettered).toBe(1);
    const moved = await sqs().send(
      new ReceiveMessageCommand({ QueueUrl: aws().stack.sendQueue.dlqUrl, WaitTimeSeconds: 1 }),
    );
    expect(JSON.parse(moved.Messages![0]!.Body!)).toEqual({
      campaignId: 'poison',
      recipientId: 'r-0',
    });
  });

  it('hands the handler receipt handles SQS accepts: a message handed back at once returns before its timeout', async () => {
    const client = sqs();
    await aws().queue.enqueue(jobs(1, 'handed-back'));
    const seenAt: number[] = [];
    poll(async (e) => {
      seenAt.push(Date.now());
      if (seenAt.length > 1) return;
      const r = e.Records[0]!;
      await client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: aws().stack.sendQueue.url,
          ReceiptHandle: r.receiptHandle,
          VisibilityTimeout: 0,
        }),
      );
      return { batchItemFailures: [{ itemIdentifier: r.messageId }] };
    });
    await until(() => seenAt.length >= 2, 'the handed-back message');
    await aws().queue.drained();
    expect(seenAt).toHaveLength(2);
  });
});
