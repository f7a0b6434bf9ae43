/**
 * The shared send-rate limiter on DynamoDB Local: two limiters (two Lambda
 * instances) drawing from one line never put more than the rate into any
 * one-second window, and a line longer than a sender may wait is refused
 * without taking a slot.
 */
import { describe, expect, it } from 'vitest';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  DynamoRateLimiter,
  RATE_KEY,
  SendLineTooLongError,
} from '../../functions/adapters/dynamo-rate-limiter.js';
import { dynamoClient } from '../../functions/adapters/dynamo-store.js';
import { busiestWindow } from '../../functions/core/pacing.js';
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
});
