/**
 * What Lambda's SQS event source mapping does, for a queue on moto (or any
 * SQS endpoint): long-poll ReceiveMessage in batches (gathering up to the
 * batching window), invoke the handler with the SQSEvent Lambda would build
 * (real message ids, receipt handles and attributes, so a handler can change
 * a message's visibility), delete the messages that succeeded and leave the
 * failures to come back after the queue's visibility timeout. SQS itself
 * counts receives and moves a message to the dead-letter queue after
 * maxReceiveCount, as in AWS.
 *
 * Partial batch responses follow Lambda's rules: no response or an empty
 * `batchItemFailures` is full success; an item whose `itemIdentifier` is
 * missing, empty or not a message of the batch makes the whole batch fail; a
 * thrown error fails the whole batch.
 */
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import type { BatchHandler } from './queue.js';

export interface SqsPollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  /** Records per invocation (the event source's batch size, at most 10). */
  batchSize: number;
  /** How long a batch is gathered before the handler is invoked, however few records it has. */
  maxBatchingWindowMs: number;
  /** Batches handled at once (the event source's maximum concurrency). */
  concurrency?: number;
  /**
   * Long-poll wait of each receive (Lambda uses 20 s). stop() waits for the
   * receives under way, so this bounds how long stopping takes.
   */
  waitTimeSeconds?: number;
  /** Where a failed receive or delete is reported; the poller goes on either way. */
  onError?: (what: string, err: unknown) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The ids of the records that failed, or 'all' when the response fails the whole batch. */
export function failedIds(
  response: SQSBatchResponse | void | undefined,
  ids: ReadonlySet<string>,
): Set<string> | 'all' {
  if (response === undefined || response === null) return new Set();
  const items: unknown = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (items === undefined || items === null) return new Set();
  if (!Array.isArray(items)) return 'all';
  const failed = new Set<string>();
  for (const item of items) {
    const id: unknown = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !id || !ids.has(id)) return 'all';
    failed.add(id);
  }
  return failed;
}

function lambdaAttributes(attrs: Record<string, MessageAttributeValue>): SQSMessageAttributes {
  const out: SQSMessageAttributes = {};
  for (const [name, a] of Object.entries(attrs)) {
    out[name] = {
      dataType: a.DataType ?? 'String',
      stringValue: a.StringValue,
      binaryValue: a.BinaryValue ? Buffer.from(a.BinaryValue).toString('base64') : undefined,
      stringListValues: a.StringListValues ?? [],
      binaryListValues: (a.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
    };
  }
  return out;
}

export class SqsPoller {
  /** Messages handed to the handler so far (a redelivered message counts again). */
  received = 0;
  private running = false;
  private inFlight = 0;
  private workers: Promise<void>[] = [];
  private handler?: BatchHandler;
  private readonly opts: Required<SqsPollerOptions>;

  constructor(opts: SqsPollerOptions) {
    this.opts = {
      concurrency: 4,
      waitTimeSeconds: 20,
      onError: (what, err) => console.error(`${what}: ${(err as Error).message}`),
      ...opts,
    };
  }

  /** Starts `concurrency` consumers that hand batches to `handler`. */
  start(handler: BatchHandler): void {
    if (this.running) return;
    this.handler = handler;
    this.running = true;
    for (let i = 0; i < this.opts.concurrency; i++) this.workers.push(this.work());
  }

  /**
   * Stops receiving. Receives under way are not cut short: SQS would still
   * count one and hide its messages for a visibility timeout (18 minutes on
   * the send queue) with nobody to handle them. So they end, and what they
   * bring is handled and deleted, as is a batch being handled, as in Lambda.
   */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
    this.workers = [];
  }

  /** Sends a raw body to the queue, as another producer would (tests deliver a job twice with it). */
  async sendRaw(body: string): Promise<void> {
    await this.opts.sqs.send(
      new SendMessageCommand({ QueueUrl: this.opts.queueUrl, MessageBody: body }),
    );
  }

  /** The queue's counts as SQS reports them: waiting, in flight or waiting out a timeout, delayed. */
  async depth(
    url = this.opts.queueUrl,
  ): Promise<{ visible: number; notVisible: number; delayed: number }> {
    const out = await this.opts.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    const n = (k: string) => Number(out.Attributes?.[k as keyof typeof out.Attributes] ?? 0);
    return {
      visible: n('ApproximateNumberOfMessages'),
      notVisible: n('ApproximateNumberOfMessagesNotVisible'),
      delayed: n('ApproximateNumberOfMessagesDelayed'),
    };
  }

  /**
   * Resolves when SQS holds no message for this queue (none waiting, none in
   * flight, none waiting out its visibility timeout) and no batch is being
   * handled. A failure comes back only after the visibility timeout, so this
   * waits that long for it, as a deployment would.
   */
  async drained(pollMs = 100): Promise<void> {
    for (;;) {
      const d = await this.depth();
      if (d.visible + d.notVisible + d.delayed === 0 && this.inFlight === 0) return;
      await sleep(pollMs);
    }
  }

  private async receive(max: number, waitTimeSeconds: number): Promise<Message[]> {
    const out = await this.opts.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.opts.queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: waitTimeSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    return out.Messages ?? [];
  }

  private async work(): Promise<void> {
    const { batchSize, maxBatchingWindowMs, waitTimeSeconds } = this.opts;
    while (this.running) {
      let batch: Message[];
      try {
        batch = await this.receive(batchSize, waitTimeSeconds);
        const until = Date.now() + maxBatchingWindowMs;
        while (batch.length && batch.length < batchSize && Date.now() < until) {
          const more = await this.receive(batchSize - batch.length, 0);
          if (more.length) batch.push(...more);
          else await sleep(Math.min(50, Math.max(1, until - Date.now())));
        }
      } catch (err) {
        if (!this.running) return;
        this.opts.onError(`receiving from ${this.opts.queueUrl}`, err);
        await sleep(1000);
        continue;
      }
      if (!batch.length) continue;
      this.inFlight++;
      try {
        await this.invoke(batch);
      } finally {
        this.inFlight--;
      }
    }
  }

  private record(m: Message): SQSRecord {
    const a = m.Attributes ?? {};
    return {
      messageId: m.MessageId!,
      receiptHandle: m.ReceiptHandle!,
      body: m.Body ?? '',
      attributes: {
        ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
        SentTimestamp: a.SentTimestamp ?? '',
        SenderId: a.SenderId ?? '',
        ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? '',
        ...(a.AWSTraceHeader ? { AWSTraceHeader: a.AWSTraceHeader } : {}),
        ...(a.MessageGroupId ? { MessageGroupId: a.MessageGroupId } : {}),
        ...(a.MessageDeduplicationId ? { MessageDeduplicationId: a.MessageDeduplicationId } : {}),
        ...(a.SequenceNumber ? { SequenceNumber: a.SequenceNumber } : {}),
      },
      messageAttributes: lambdaAttributes(m.MessageAttributes ?? {}),
      md5OfBody: m.MD5OfBody ?? '',
      ...(m.MD5OfMessageAttributes ? { md5OfMessageAttributes: m.MD5OfMessageAttributes } : {}),
      eventSource: 'aws:sqs',
      eventSourceARN: this.opts.queueArn,
      awsRegion: this.opts.region,
    };
  }

  private async invoke(batch: Message[]): Promise<void> {
    this.received += batch.length;
    const ids = new Set(batch.map((m) => m.MessageId!));
    let failed: Set<string> | 'all';
    try {
      failed = failedIds(await this.handler!({ Records: batch.map((m) => this.record(m)) }), ids);
    } catch {
      failed = 'all';
    }
    if (failed === 'all') return;
    const done = batch.filter((m) => !failed.has(m.MessageId!));
    if (!done.length) return;
    try {
      const out = await this.opts.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.opts.queueUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
      // An entry SQS could not delete comes back after the visibility timeout: at least once.
      for (const f of out.Failed ?? [])
        this.opts.onError(`deleting a handled message (${f.Code})`, new Error(f.Message ?? f.Code));
    } catch (err) {
      this.opts.onError(`deleting handled messages from ${this.opts.queueUrl}`, err);
    }
  }
}
