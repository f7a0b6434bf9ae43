/**
 * The shared send-rate limiter on DynamoDB Local: two limiters (two Lambda
 * instances) drawing from one line never put more than the rate into any
 * one-second window; many senders in several instances at once get distinct
 * slots at least one interval apart; and a line longer than a sender may wait
 * is refused without taking a slot.
 */
import { describe, expect, it } from 'vitest';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  DynamoRateLimiter,
  RATE_KEY,
  SendLineTooLongError,
} from '../../functions/adapters/dynamo-rate-limiter.js';
import { dynamoClient } from '../../functions/adapters/dynamo-store.js';
import { busiestWindow, slotInterval, slotsFor } from '../../functions/core/pacing.js';
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
    // Never closer than one interval, mostly exactly one (to a microsecond: epoch ms as doubles).
    expect(Math.min(...gaps)).toBeGreaterThan(interval - 1e-3);
    const even = gaps.filter((g) => Math.abs(g - interval) < 1e-3).length;
    expect(even).toBeGreaterThan(gaps.length / 2);
    expect(busiestWindow(sorted)).toBeLessThanOrEqual(rate);
    // The line moved on past every slot handed out: none can be handed out again.
    const item = await limiters[0]!['db'].send(
      new GetCommand({ TableName: runtime().table, Key: RATE_KEY, ConsistentRead: true }),
    );
    expect(item.Item!.next).toBeGreaterThanOrEqual(sorted.at(-1)! + interval - 1e-3);
    const reservations = limiters.reduce((n, l) => n + l.stats.reservations, 0);
    // Senders of one instance asking together share a reservation.
    expect(reservations).toBeLessThan(160 / 2);
  });

  it('serves what fits in the longest wait and refuses the rest, reserving nothing for them', async () => {
    const db = dynamoClient({ region: 'eu-west-1', endpoint: runtime().dynamoEndpoint });
    const rate = 10;
    const interval = slotInterval(rate);
    const limiter = new DynamoRateLimiter(db, runtime().table, async () => rate, Date.now, 1_000);
    const asked = Date.now();
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => limiter.take().catch((e: unknown) => e)),
    );
    const slots = outcomes.filter((o): o is number => typeof o === 'number');
    const refused = outcomes.filter((o) => o instanceof SendLineTooLongError);
    expect(slots.length + refused.length).toBe(20);
    expect(slots.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const slot of slots) expect(slot - asked).toBeLessThanOrEqual(1_000);
    const item = await db.send(
      new GetCommand({ TableName: runtime().table, Key: RATE_KEY, ConsistentRead: true }),
    );
    expect(item.Item!.next).toBeCloseTo(Math.max(...slots) + interval, 3);
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
});
