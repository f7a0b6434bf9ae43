/**
 * The shared send-rate limiter on DynamoDB Local: two limiters (two Lambda
 * instances) drawing from one line never put more than the rate into any
 * one-second window; many senders in several instances at once get distinct
 * slots at least one interval apart; a line longer than a sender may wait
 * is refused without taking a slot; and, on a clock the test moves, a sender
 * neither goes before its slot when its timer fires early nor after it when
 * its last checks kept it.
 */
import { describe, expect, it } from 'vitest';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  DynamoRateLimiter,
  RATE_KEY,
  SendLineTooLongError,
} from '../../functions/adapters/dynamo-rate-limiter.js';
import { dynamoClient } from '../../functions/adapters/dynamo-store.js';
import {
  busiestWindow,
  lateAllowance,
  slotInterval,
  slotsFor,
} from '../../functions/core/pacing.js';
import { useRuntime } from '../support/runtime.js';

const runtime = useRuntime({ schedulerTickMs: 0 });

describe('the shared rate limiter', { timeout: 300_000 }, () => {
  it('paces two instances together to the rate, in any one-second window', async () => {
    const db = () => dynamoClient({ region: 'eu-west-1', endpoint: runtime().dynamoEndpoint });
    const a = new DynamoRateLimiter(db(), runtime().table, async () => 20);
    const b = new DynamoRateLimiter(db(), runtime().table, async () => 20);
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 ? a : b).acquire().then(() => times.push(Date.now())),
      ),
    );
    expect(times).toHaveLength(50);
    expect(busiestWindow(times)).toBeLessThanOrEqual(20);
  });

  it('refuses a line longer than the longest wait, and takes no slot for it', async () => {
    const db = dynamoClient({ region: 'eu-west-1', endpoint: runtime().dynamoEndpoint });
    const key = { TableName: runtime().table, Key: RATE_KEY };
    const slow = new DynamoRateLimiter(db, runtime().table, async () => 1, Date.now, 1_500);
    const far = Date.now() + 60_000;
    await db.send(new PutCommand({ TableName: runtime().table, Item: { ...RATE_KEY, next: far } }));

    const refused = await slow.acquire().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SendLineTooLongError);
    expect((refused as Error).message).toMatch(/^the next send slot is \d+ ms away/);
    expect((await db.send(new GetCommand(key))).Item!.next).toBe(far);

    // An idle line (its next slot in the past) gives a slot at once.
    await db.send(
      new PutCommand({ TableName: runtime().table, Item: { ...RATE_KEY, next: Date.now() - 1 } }),
    );
    await slow.acquire();
    expect((await db.send(new GetCommand(key))).Item!.next).toBeGreaterThan(Date.now());
  });

  it('gives many concurrent senders in four instances distinct slots, one interval apart or more', async () => {
    const rate = 50;
    const interval = slotInterval(rate);
    const limiters = Array.from(
      { length: 4 },
      () =>
        new DynamoRateLimiter(
          dynamoClient({ region: 'eu-west-1', endpoint: runtime().dynamoEndpoint }),
          runtime().table,
          async () => rate,
        ),
    );
    // 160 senders asking at once, in four waves, as batches of a queue arrive.
    const slots: number[] = [];
    for (let wave = 0; wave < 4; wave++) {
      const got = await Promise.all(Array.from({ length: 40 }, (_, i) => limiters[i % 4]!.take()));
      slots.push(...got);
    }
    expect(new Set(slots).size).toBe(160);
    const sorted = [...slots].sort((x, y) => x - y);
    const gaps = sorted.slice(1).map((s, i) => s - sorted[i]!);
    // Never closer than one interval (to a microsecond: epoch ms as doubles), and exactly one
    // apart except where a reservation restarted an idle line or a sender missed its slot.
    expect(Math.min(...gaps)).toBeGreaterThan(interval - 1e-3);
    const uneven = gaps.filter((g) => Math.abs(g - interval) >= 1e-3).length;
    const sum = (f: (l: DynamoRateLimiter) => number) => limiters.reduce((n, l) => n + f(l), 0);
    expect(uneven).toBeLessThanOrEqual(sum((l) => l.stats.reservations + 2 * l.stats.missed));
    expect(busiestWindow(sorted)).toBeLessThanOrEqual(rate);
    // The line moved on past every slot handed out: none can be handed out again.
    const item = await limiters[0]!['db'].send(
      new GetCommand({ TableName: runtime().table, Key: RATE_KEY, ConsistentRead: true }),
    );
    expect(item.Item!.next).toBeGreaterThanOrEqual(sorted.at(-1)! + interval - 1e-3);
    // Senders of one instance asking together share a reservation (16 groups of 10 asked;
    // a sender that missed its slot asks again).
    expect(sum((l) => l.stats.reservations)).toBeLessThanOrEqual(
      2 * 16 + sum((l) => l.stats.missed),
    );
  });

  it('serves what fits in the longest wait and refuses the rest, reserving nothing for them', async () => {
    const real = dynamoClient({ region: 'eu-west-1', endpoint: runtime().dynamoEndpoint });
    // Two a second: slots 515 ms apart, so exactly one fits in the 100 ms left below.
    const rate = 2;
    const interval = slotInterval(rate);
    // Every reservation the limiter makes, as it asked for it.
    const spans: number[] = [];
    const db = {
      send: async (cmd: UpdateCommand | GetCommand) => {
        const out = await real.send(cmd as UpdateCommand);
        const span = (cmd.input as { ExpressionAttributeValues?: Record<string, number> })
          .ExpressionAttributeValues?.[':span'];
        if (span !== undefined) spans.push(span);
        return out;
      },
    } as unknown as DynamoDBDocumentClient;
    // A busy line whose next slot is 900 ms away: with a 1 s longest wait, one slot fits.
    const asked = Date.now();
    await real.send(
      new PutCommand({ TableName: runtime().table, Item: { ...RATE_KEY, next: asked + 900 } }),
    );
    const limiter = new DynamoRateLimiter(db, runtime().table, async () => rate, Date.now, 1_000);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => limiter.take().catch((e: unknown) => e)),
    );
    const slots = outcomes.filter((o): o is number => typeof o === 'number');
    const refused = outcomes.filter((o) => o instanceof SendLineTooLongError);
    expect(slots.length + refused.length).toBe(20);
    // One sender served (unless the machine woke it too late, and its next try was refused too).
    expect(refused.length).toBeGreaterThanOrEqual(19);
    expect((refused[0] as Error).message).toMatch(/^the next send slot is \d+ ms away/);
    for (const slot of slots) expect(slot - asked).toBeLessThanOrEqual(1_000);
    // The nineteen refused took nothing: the one reservation for them all was one slot long.
    expect(spans[0]).toBeCloseTo(interval, 6);
  });

  it('a sender woken too late leaves its slot unused and takes twice as many in a row', async () => {
    const real = dynamoClient({ region: 'eu-west-1', endpoint: runtime().dynamoEndpoint });
    const rate = 10;
    const interval = slotInterval(rate);
    // The clock jumps 300 ms once the first reservation is answered: the sender sleeps through its slot.
    let skew = 0;
    const db = {
      send: async (cmd: Parameters<DynamoDBDocumentClient['send']>[0]) => {
        const out = await real.send(cmd);
        skew = 300;
        return out;
      },
    } as unknown as DynamoDBDocumentClient;
    await real.send(new PutCommand({ TableName: runtime().table, Item: { ...RATE_KEY, next: 0 } }));
    const limiter = new DynamoRateLimiter(
      db,
      runtime().table,
      async () => rate,
      () => Date.now() + skew,
    );
    const slot = await limiter.take();
    expect(limiter.stats.missed).toBeGreaterThanOrEqual(1);
    const item = await real.send(
      new GetCommand({ TableName: runtime().table, Key: RATE_KEY, ConsistentRead: true }),
    );
    // The slot it sent in opens its span: as many slots as its misses call for, all its own.
    expect(item.Item!.next - slot).toBeCloseTo(slotsFor(limiter.stats.missed) * interval, 3);
    expect(limiter.stats.slots).toBe(
      1 +
        Array.from({ length: limiter.stats.missed }, (_, m) => slotsFor(m + 1)).reduce(
          (a, b) => a + b,
        ),
    );
  });
  /** A limiter on a clock only the test moves, on a line idle since long ago. */
  async function onTestClock(sleep: (clock: { t: number }, ms: number) => void) {
    const db = dynamoClient({ region: 'eu-west-1', endpoint: runtime().dynamoEndpoint });
    await db.send(new PutCommand({ TableName: runtime().table, Item: { ...RATE_KEY, next: 0 } }));
    const clock = { t: 1_000_000 };
    const limiter = new DynamoRateLimiter(
      db,
      runtime().table,
      async () => 10,
      () => clock.t,
      10_000,
      async (ms) => sleep(clock, ms),
    );
    return { clock, limiter };
  }

  it('never lets a sender go before its slot when its timer fires early', async () => {
    // Node's timers may fire a millisecond or two before the delay asked (whole
    // milliseconds against a cached loop time): here every wait longer than 2 ms ends 2 ms short.
    const { clock, limiter } = await onTestClock((c, ms) => (c.t += ms > 2 ? ms - 2 : ms));
    for (let i = 0; i < 5; i++) {
      const slot = await limiter.take();
      expect(clock.t).toBeGreaterThanOrEqual(slot);
    }
  });

  it('judges a sender on time after its last checks: checks that kept it late cost the slot', async () => {
    const { clock, limiter } = await onTestClock((c, ms) => (c.t += ms));
    const interval = slotInterval(10);
    // The first check waits 50 ms on storage (a cache refresh), well past the slot's allowance.
    let checks = 0;
    const first = await limiter.take(async () => {
      if (checks++ === 0) clock.t += 50;
    });
    expect(checks).toBe(2);
    expect(limiter.stats.missed).toBe(1);
    // It sends within the two slots its miss gave it, and not later.
    expect(clock.t).toBeGreaterThanOrEqual(first);
    expect(clock.t - first).toBeLessThanOrEqual(lateAllowance(interval, slotsFor(1)));

    // What the checks throw (a paused campaign) is thrown as is, and nothing is retried.
    const paused = new Error('campaign is paused');
    const refused = await limiter
      .take(async () => {
        throw paused;
      })
      .catch((e: unknown) => e);
    expect(refused).toBe(paused);
    expect(limiter.stats.missed).toBe(1);
  });
});
