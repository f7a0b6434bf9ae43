/**
 * The send-rate limiter on DynamoDB: one item holds the next free send slot
 * (epoch ms) for the whole SES account, so every sender — any number of
 * Lambda instances, any campaign — draws slots from the same line.
 *
 * A container reserves slots for all its waiting senders at once: one
 * UpdateItem moves the line on by n intervals (`SET next = next + n·interval`,
 * on the condition that the line is busy and the n slots stay within the
 * longest wait), or restarts an idle line from a little ahead of now. DynamoDB
 * orders the updates, so no two senders ever get the same slot, and a
 * container has at most one reservation in flight, so its own senders never
 * compete for the item; only other containers can make a condition fail.
 * Each sender then sleeps until its slot, makes its last checks and is
 * judged on time after them. Slots reserved and not used (a
 * sender woken too late, a paused campaign) simply pass.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  INITIAL_LEAD_MS,
  lateAllowance,
  nextLead,
  type RateLimiter,
  slotInterval,
  slotsFor,
  slotsWithin,
} from '../core/pacing.js';

/** The limiter's item: one per SES account (and so per table). */
export const RATE_KEY = { pk: 'RATE#ses', sk: 'RATE' } as const;

/** The most slots one reservation takes (a container's waiting senders beyond it wait for the next). */
const MAX_GROUP = 100;

/**
 * Node keeps timers in whole milliseconds against an integer clock: a timer
 * for a slot 20.6 ms away fired up to 1.6 ms early in nearly every try, one
 * for the rounded-up delay never did (and a sender woken early must sleep
 * again, which on a busy machine can cost it its slot).
 */
const timerSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.ceil(ms)));

interface Waiter {
  /** Consecutive slots wanted (more than one after slots missed: see slotsFor). */
  span: number;
  resolve(slot: number): void;
  reject(err: unknown): void;
}

/** What a limiter has done since it started: for the bench and tests. */
export interface RateLimiterStats {
  /** UpdateItem calls that reserved slots. */
  reservations: number;
  /** Slots reserved (each one interval long). */
  slots: number;
  /** Conditional writes refused because another container moved the line first. */
  conflicts: number;
  /** Slots a sender woke too late for, so left unused. */
  missed: number;
  /** Senders refused because the line was longer than the longest wait. */
  refused: number;
}

export class DynamoRateLimiter implements RateLimiter {
  private interval?: Promise<number>;
  private waiting: Waiter[] = [];
  private reserving = false;
  /** The line's next free slot as last seen (sizes a reservation; never trusted for a slot). */
  private seenNext?: number;
  private lead = INITIAL_LEAD_MS;
  readonly stats: RateLimiterStats = {
    reservations: 0,
    slots: 0,
    conflicts: 0,
    missed: 0,
    refused: 0,
  };

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
    /** Waits about `ms`; take() sleeps again should it come back before the slot. */
    private readonly sleep: (ms: number) => Promise<void> = timerSleep,
  ) {}

  /**
   * Waits for the caller's own send slot from the shared line; never returns
   * early, nor later than LATE_ALLOWANCE_MS after it (a slot woken too late
   * for is left unused and new ones taken, so late senders never bunch up;
   * after each miss the caller takes twice as many consecutive slots and
   * sends once within them, so a slow machine still makes progress). Throws
   * SendLineTooLongError, having taken no slot, when the line is longer than
   * the longest wait. `beforeSend` runs after each wait, before the caller is
   * judged on time (see RateLimiter).
   */
  async acquire(beforeSend?: () => Promise<void>): Promise<void> {
    await this.take(beforeSend);
  }

  /** As acquire, resolving with the slot (epoch ms) the caller was given. */
  async take(beforeSend?: () => Promise<void>): Promise<number> {
    const interval = await this.slotInterval();
    for (let missed = 0; ; missed++) {
      const span = slotsFor(missed);
      const slot = await this.nextSlot(span, missed > 0);
      // Should a timer still fire early, sleep again: an early send is as bunched as a late one.
      for (let wait = slot - this.now(); wait > 0; wait = slot - this.now()) await this.sleep(wait);
      if (beforeSend) await beforeSend();
      // Judged after the checks, as close to the send call as the limiter can see: a
      // sender whose checks kept it past its slot would otherwise send late, bunched
      // with the senders after it.
      if (this.now() - slot <= lateAllowance(interval, span)) return slot;
      this.stats.missed++;
    }
  }

  private slotInterval(): Promise<number> {
    if (!this.interval) {
      this.interval = this.rate().then(slotInterval);
      this.interval.catch(() => (this.interval = undefined));
    }
    return this.interval;
  }

  /**
   * The first of `span` consecutive slots for one sender, from this
   * container's next reservation; a sender that missed its slot goes first.
   */
  private nextSlot(span: number, missedOne: boolean): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      if (missedOne) this.waiting.unshift({ span, resolve, reject });
      else this.waiting.push({ span, resolve, reject });
      this.startReserving();
    });
  }

  private startReserving(): void {
    if (this.reserving) return;
    this.reserving = true;
    // Senders of the same batch ask within the same turn of the event loop: one reservation serves them all.
    setImmediate(() => void this.reserveForWaiting());
  }

  private async reserveForWaiting(): Promise<void> {
    const group = this.waiting.splice(0, MAX_GROUP);
    try {
      const interval = await this.slotInterval();
      const wanted = group.reduce((n, w) => n + w.span, 0);
      const { first, count } = await this.reserve(wanted, interval);
      this.stats.slots += count;
      // Each sender gets its span of consecutive slots, in order; one whose span does not fit
      // within the longest wait is refused (slots reserved for no one simply pass).
      let offset = 0;
      for (const w of group) {
        if (offset + w.span <= count) w.resolve(first + offset * interval);
        else {
          this.stats.refused++;
          w.reject(new SendLineTooLongError(first + offset * interval - this.now()));
        }
        offset += w.span;
      }
    } catch (err) {
      group.forEach((w) => w.reject(err));
    }
    this.reserving = false;
    if (this.waiting.length > 0) this.startReserving();
  }

  /**
   * Reserves up to `wanted` consecutive slots, none further away than the
   * longest wait: `count` slots from `first` (count 0 when the line is too
   * long, `first` then being its next slot).
   */
  private async reserve(
    wanted: number,
    interval: number,
  ): Promise<{ first: number; count: number }> {
    // Whether seenNext was read during this reservation (an older one may be long out of date).
    let fresh = false;
    for (; ; fresh = true) {
      const now = this.now();
      // The first slot must still be ahead when this reservation's answer comes back.
      const floor = now + this.lead;
      const busy = this.seenNext !== undefined && this.seenNext >= floor;
      if (busy) {
        const count = slotsWithin(this.seenNext!, now, interval, this.maxWaitMs, wanted);
        if (count === 0) {
          if (fresh) return { first: this.seenNext!, count: 0 };
          await this.read();
          continue;
        }
        // Busy line: take the next `count` slots, if the line is still busy and not longer than seen.
        const next = await this.update(
          {
            UpdateExpression: 'SET #n = #n + :span',
            ConditionExpression: '#n BETWEEN :floor AND :latest',
            ExpressionAttributeValues: {
              ':span': count * interval,
              ':floor': floor,
              ':latest': now + this.maxWaitMs - (count - 1) * interval,
            },
            ReturnValues: 'UPDATED_NEW',
          },
          now,
        );
        if (next !== undefined) return { first: next - count * interval, count };
      } else {
        // Idle line (its next slot is not ahead of the floor): restart it from the floor.
        const count = slotsWithin(floor, now, interval, this.maxWaitMs, wanted);
        const next = await this.update(
          {
            UpdateExpression: 'SET #n = :next, #t = :type',
            ConditionExpression: 'attribute_not_exists(#n) OR #n < :floor',
            ExpressionAttributeValues: {
              ':next': floor + count * interval,
              ':floor': floor,
              ':type': 'rate',
            },
            ExpressionAttributeNames: { '#t': 'type' },
            ReturnValues: 'UPDATED_NEW',
          },
          now,
        );
        if (next !== undefined) return { first: floor, count };
      }
      // The line was not as last seen: seenNext now holds what it is; try again.
    }
  }

  /** Reads the line's next slot into seenNext. */
  private async read(): Promise<void> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: RATE_KEY,
        ConsistentRead: true,
        ProjectionExpression: '#n',
        ExpressionAttributeNames: { '#n': 'next' },
      }),
    );
    this.seenNext = nextOf(out.Item);
  }

  /**
   * One conditional update of the line; returns its new next slot, or
   * undefined when the condition failed (seenNext then holds the line's
   * current next slot, from the refused write itself: no extra read).
   */
  private async update(
    cmd: {
      UpdateExpression: string;
      ConditionExpression: string;
      ExpressionAttributeValues: Record<string, unknown>;
      ExpressionAttributeNames?: Record<string, string>;
      ReturnValues: 'UPDATED_NEW';
    },
    startedAt: number,
  ): Promise<number | undefined> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: RATE_KEY,
          ...cmd,
          ExpressionAttributeNames: { '#n': 'next', ...cmd.ExpressionAttributeNames },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      this.lead = nextLead(this.lead, this.now() - startedAt, this.maxWaitMs / 2);
      const next = Number(out.Attributes!.next);
      this.seenNext = next;
      this.stats.reservations++;
      return next;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      this.stats.conflicts++;
      this.seenNext = nextOf(err.Item);
      // Not every store returns the refused item: then it is read, so the next try is informed.
      if (this.seenNext === undefined) await this.read();
      return undefined;
    }
  }
}

/** The `next` attribute of a refused write's old item (marshalled or not), if it has one. */
function nextOf(item: Record<string, unknown> | undefined): number | undefined {
  const v = item?.next as { N?: string } | number | undefined;
  const n = typeof v === 'number' ? v : Number(v?.N);
  return Number.isFinite(n) ? n : undefined;
}

/** The next free send slot is further ahead than a sender may wait; nothing was reserved. */
export class SendLineTooLongError extends Error {
  constructor(readonly aheadMs: number) {
    super(`the next send slot is ${Math.round(aheadMs)} ms away; the job will come back later`);
  }
}
