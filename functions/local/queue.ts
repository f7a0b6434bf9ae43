/**
 * An in-process queue with the SQS semantics the sender relies on: batches
 * of up to ten, partial batch failures, redelivery after a visibility
 * timeout, a dead-letter list after N receives, at-least-once delivery. The
 * handler is called with a real SQSEvent, exactly as Lambda would.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { EnqueueOptions, Queue, SendJob } from '../core/ports.js';
import { delayOf } from '../adapters/sqs-queue.js';

export interface LocalQueueOptions {
  name?: string;
  batchSize?: number;
  /** Batches handled at once (Lambda's maximum concurrency on the event source). */
  concurrency?: number;
  visibilityTimeoutMs?: number;
  maxReceiveCount?: number;
  /** Enqueue waits while this many messages wait: a laptop buffer, not an SQS limit. */
  maxDepth?: number;
  /**
   * Real milliseconds per second of a message's DelaySeconds (default 1000). Tests
   * shorten delays as they shorten the visibility timeout, so a hand-back is quick.
   */
  delayMsPerSecond?: number;
}

interface Message {
  messageId: string;
  body: string;
  receiveCount: number;
  sentAt: number;
  firstReceivedAt?: number;
}

export type BatchHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

/**
 * What the local runtime needs of a queue it feeds a handler from: this
 * in-process queue, or a real SQS queue on moto with its event-source poller
 * (functions/local/moto-runtime.ts).
 */
export interface RuntimeQueue {
  enqueue(jobs: SendJob[]): Promise<void>;
  /** Puts a raw body on the queue, as another producer would. */
  sendRaw(body: string): void | Promise<void>;
  /** Resolves when nothing waits, nothing is in flight and no redelivery is pending. */
  drained(): Promise<void>;
  /** Starts handing batches to `handler`, as Lambda's event source does. */
  start(handler: BatchHandler): void;
  stop(): Promise<void>;
  /** Messages handed to the handler so far (a redelivered message counts again). */
  readonly received: number;
}

export class LocalQueue implements Queue, RuntimeQueue {
  readonly dlq: Message[] = [];
  private ready: Message[] = [];
  private head = 0;
  private delayed = new Set<NodeJS.Timeout>();
  private inFlight = 0;
  private running = false;
  private workers: Promise<void>[] = [];
  private wake: (() => void)[] = [];
  private idle: (() => void)[] = [];
  private room: (() => void)[] = [];
  private handler?: BatchHandler;
  readonly opts: Required<LocalQueueOptions>;
  received = 0;
  /** Messages sent with a delay so far (hand-backs, in the sender's case). */
  delayedSends = 0;
  /**
   * The SQS requests this queue stands in for, counted as our producers and
   * Lambda's event source make them: a SendMessageBatch per ten jobs
   * enqueued (adapters/sqs-queue.ts), a SendMessage per raw body (EventBridge,
   * the tracking routes), a ReceiveMessage per batch handed over, a
   * DeleteMessageBatch per batch with a success. The cost bench prices them.
   */
  readonly requests = { send: 0, receive: 0, delete: 0 };
  /** Handler calls and their billed milliseconds (each rounded up to 1 ms, as Lambda bills). */
  readonly invocations = { count: 0, billedMs: 0 };

  constructor(opts: LocalQueueOptions = {}) {
    this.opts = {
      name: 'demarche-send',
      batchSize: 10,
      concurrency: 4,
      visibilityTimeoutMs: 2_000,
      maxReceiveCount: 5,
      maxDepth: 20_000,
      delayMsPerSecond: 1_000,
      ...opts,
    };
  }

  get depth(): number {
    return this.ready.length - this.head + this.delayed.size + this.inFlight;
  }

  async enqueue(jobs: SendJob[], opts?: EnqueueOptions): Promise<void> {
    this.requests.send += Math.ceil(jobs.length / 10);
    for (const [i, job] of jobs.entries()) {
      while (this.running && this.ready.length - this.head >= this.opts.maxDepth) {
        await new Promise<void>((r) => this.room.push(r));
      }
      const m = {
        messageId: randomUUID(),
        body: JSON.stringify(job),
        receiveCount: 0,
        sentAt: Date.now(),
      };
      const delay = delayOf(opts, i) ?? 0;
      if (delay > 0) this.later(m, delay * this.opts.delayMsPerSecond);
      else this.push(m);
    }
  }

  /** Makes a message visible after `ms` (DelaySeconds, or a visibility timeout running out). */
  private later(m: Message, ms: number): void {
    if (m.receiveCount === 0) this.delayedSends++;
    const t = setTimeout(() => {
      this.delayed.delete(t);
      this.push(m);
    }, ms);
    this.delayed.add(t);
  }

  /** Puts a raw body on the queue (tests use it to deliver a job twice, or a malformed one). */
  sendRaw(body: string): void {
    this.requests.send++;
    this.push({ messageId: randomUUID(), body, receiveCount: 0, sentAt: Date.now() });
  }

  private push(m: Message): void {
    this.ready.push(m);
    this.wake.shift()?.();
  }

  /** Starts `concurrency` consumers that hand batches to `handler`. */
  start(handler: BatchHandler): void {
    if (this.running) return;
    this.handler = handler;
    this.running = true;
    for (let i = 0; i < this.opts.concurrency; i++) this.workers.push(this.work());
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake.splice(0).forEach((w) => w());
    this.room.splice(0).forEach((w) => w());
    await Promise.all(this.workers);
    this.workers = [];
    for (const t of this.delayed) clearTimeout(t);
    this.delayed.clear();
  }

  /** Resolves when nothing waits, nothing is in flight and no redelivery is pending. */
  drained(): Promise<void> {
    if (this.depth === 0) return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }

  private take(): Message[] {
    const batch: Message[] = [];
    while (batch.length < this.opts.batchSize && this.head < this.ready.length) {
      batch.push(this.ready[this.head++]!);
    }
    if (this.head > 1024 && this.head * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.head);
      this.head = 0;
    }
    if (batch.length) this.room.splice(0).forEach((w) => w());
    return batch;
  }

  private async work(): Promise<void> {
    while (this.running) {
      const batch = this.take();
      if (batch.length === 0) {
        this.settleIdle();
        await new Promise<void>((r) => this.wake.push(r));
        continue;
      }
      this.inFlight += batch.length;
      const now = Date.now();
      for (const m of batch) {
        m.receiveCount++;
        m.firstReceivedAt ??= now;
      }
      this.received += batch.length;
      this.requests.receive++;
      let failed: Set<string>;
      const t0 = performance.now();
      try {
        const res = await this.handler!({ Records: batch.map((m) => this.record(m)) });
        failed = new Set((res?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      } catch {
        failed = new Set(batch.map((m) => m.messageId));
      }
      this.invocations.count++;
      this.invocations.billedMs += Math.ceil(performance.now() - t0);
      if (failed.size < batch.length) this.requests.delete++;
      this.inFlight -= batch.length;
      for (const m of batch) if (failed.has(m.messageId)) this.redeliver(m);
      this.settleIdle();
    }
  }

  private redeliver(m: Message): void {
    if (m.receiveCount >= this.opts.maxReceiveCount) {
      this.dlq.push(m);
      return;
    }
    this.later(m, this.opts.visibilityTimeoutMs);
  }

  private settleIdle(): void {
    if (this.depth === 0) this.idle.splice(0).forEach((r) => r());
  }

  private record(m: Message): SQSRecord {
    return {
      messageId: m.messageId,
      receiptHandle: `${m.messageId}#${m.receiveCount}`,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(m.sentAt),
        SenderId: 'local',
        ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt ?? m.sentAt),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:local:000000000000:${this.opts.name}`,
      awsRegion: 'local',
    };
  }
}
