/**
 * The send-rate limiter on DynamoDB: one item holds the next free send slot
 * (epoch ms) for the whole SES account, so every sender — any number of
 * Lambda instances, any campaign — draws slots from the same line. Each
 * acquire is one conditional update (two when the line was idle), never a
 * read-modify-write race: DynamoDB orders the updates, so no two senders ever
 * get the same slot.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type RateLimiter, slotInterval } from '../core/pacing.js';

/** The limiter's item: one per SES account (and so per table). */
export const RATE_KEY = { pk: 'RATE#ses', sk: 'RATE' } as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class DynamoRateLimiter implements RateLimiter {
  private interval?: Promise<number>;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** Messages per second; read once per container (SES GetAccount in AWS). */
    private readonly rate: () => Promise<number>,
    private readonly now: () => number = Date.now,
    /**
     * The longest a caller waits for a slot. A longer line (many senders, a
     * low SES rate) is refused up front, so that no sender sits on a claimed
     * letter until its Lambda times out; its job comes back from the queue.
     */
    private readonly maxWaitMs = 10_000,
  ) {}

  /** Takes the next free slot from the shared line and waits for it; a slot missed is not used. */
  async acquire(): Promise<void> {
    this.interval ??= this.rate().then(slotInterval);
    this.interval.catch(() => (this.interval = undefined));
    const interval = await this.interval;
    const line = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: RATE_KEY,
        ProjectionExpression: '#n',
        ExpressionAttributeNames: { '#n': 'next' },
      }),
    );
    const ahead = Number(line.Item?.next ?? 0) - this.now();
    if (ahead > this.maxWaitMs) {
      throw new SendLineTooLongError(ahead);
    }
    for (let attempt = 0; ; attempt++) {
      const slot = await this.reserve(interval);
      const wait = slot - this.now();
      if (wait > 0) await sleep(wait);
      // A caller woken late (a busy event loop, a thawed container) has lost
      // its slot: sending now could bunch it with the next ones, so it takes a
      // new one. The lateness allowed doubles with each try (half an interval
      // first), so that a machine slow for a while still makes progress.
      if (this.now() - slot <= (interval / 2) * 2 ** attempt) return;
    }
  }

  /** Reserves one slot: the line's next slot if it is ahead of now, else now. */
  private async reserve(interval: number): Promise<number> {
    for (;;) {
      const now = this.now();
      // Busy line: take its next slot and move it on by one interval.
      try {
        const out = await this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: RATE_KEY,
            UpdateExpression: 'SET #n = #n + :i',
            ConditionExpression: '#n >= :now',
            ExpressionAttributeNames: { '#n': 'next' },
            ExpressionAttributeValues: { ':i': interval, ':now': now },
            ReturnValues: 'UPDATED_NEW',
          }),
        );
        return Number(out.Attributes!.next) - interval;
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      }
      // Idle line (its next slot is in the past): the slot is now.
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.table,
            Key: RATE_KEY,
            UpdateExpression: 'SET #n = :next, #t = :type',
            ConditionExpression: 'attribute_not_exists(#n) OR #n < :now',
            ExpressionAttributeNames: { '#n': 'next', '#t': 'type' },
            ExpressionAttributeValues: { ':next': now + interval, ':now': now, ':type': 'rate' },
          }),
        );
        return now;
      } catch (err) {
        // Another sender restarted the line first: take a slot behind theirs.
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      }
    }
  }
}

/** The next free send slot is further ahead than a sender may wait; nothing was reserved. */
export class SendLineTooLongError extends Error {
  constructor(readonly aheadMs: number) {
    super(`the next send slot is ${Math.round(aheadMs)} ms away; the job will come back later`);
  }
}
