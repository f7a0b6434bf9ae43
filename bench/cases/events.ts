/**
 * SES events ingested per second through the real events handler into
 * DynamoDB Local (a consistent read and one three-item transaction per
 * event: timeline entry, recipient, counter shard), next to the floor of
 * plain UpdateItem calls on the same recipients at the same concurrency.
 * The ratio is the figure: it says what the exactly-once bookkeeping costs
 * on the same machine. Goal: at least 1/8 of the floor. Why 1/8: an event
 * is two round trips, one of them a transaction of three items, which
 * DynamoDB bills at 2 write units per item (6 WCU + 1 RCU against the
 * floor's 1 WCU); the handler should cost no more than the capacity it uses.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { dynamoClient } from '../../functions/adapters/dynamo-store.js';
import { keys } from '../../functions/adapters/table-definition.js';
import { type Campaign, newCampaignId } from '../../functions/core/campaign.js';
import { compileLetters } from '../../functions/core/letter.js';
import { parseStatement } from '../../functions/core/statement.js';
import { handler } from '../../functions/events/handler.js';
import { startLocalRuntime } from '../../functions/local/runtime.js';
import { eventsFor } from '../../functions/local/ses-events.js';
import type { BenchResult } from '../types.js';
import { round, syntheticRecipients } from '../support.js';

const path = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const EVENTS = 3_000;
const BATCH = 10;
/** Batches in flight at once (the event source's maximum concurrency). */
const CONCURRENCY = 4;
const GOAL = 0.125;

async function pool(n: number, width: number, work: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let i = next++; i < n; i = next++) await work(i);
    }),
  );
  return performance.now() - t0;
}

function sqs(bodies: string[]): SQSEvent {
  return {
    Records: bodies.map((body) => ({
      messageId: randomUUID(),
      receiptHandle: 'bench',
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.now()),
        SenderId: 'bench',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:local:000000000000:demarche-events',
      awsRegion: 'local',
    })),
  };
}

export async function run(): Promise<BenchResult> {
  const runtime = await startLocalRuntime({ schedulerTickMs: 0 });
  try {
    const d = runtime.deps();
    const statement = parseStatement(
      readFileSync(path('examples/statement.md'), 'utf8'),
      'statement.md',
      {
        deadline: '2030-01-10T09:00:00+01:00',
      },
    );
    const templates = await compileLetters(
      statement,
      readFileSync(path('templates/letter.mjml'), 'utf8'),
    );
    const recipients = [...syntheticRecipients(EVENTS, 'events')];
    const campaign: Campaign = {
      id: newCampaignId(new Date()),
      status: 'sending',
      statement,
      languages: templates.map((t) => t.language),
      recipientCount: EVENTS,
      dryRun: false,
      createdAt: new Date().toISOString(),
    };
    await d.store.createCampaign(campaign, templates);
    await d.store.putRecipients(campaign.id, recipients);

    // One Delivery per recipient, in the EventBridge form the local SES event source emits.
    const bodies = recipients.map((r) => {
      const [, delivery] = eventsFor(
        {
          FromEmailAddress: 'campaigns@example.org',
          Destination: { ToAddresses: [r.email] },
          EmailTags: [
            { Name: 'campaign', Value: campaign.id },
            { Name: 'recipient', Value: r.id },
          ],
        },
        `bench-${randomUUID()}`,
        new Date(),
        'eu-west-1',
      );
      return JSON.stringify(delivery);
    });
    let failures = 0;
    const handlerMs = await pool(Math.ceil(EVENTS / BATCH), CONCURRENCY, async (b) => {
      const out = await handler(sqs(bodies.slice(b * BATCH, (b + 1) * BATCH)));
      failures += out.batchItemFailures.length;
    });
    const counters = await d.store.counters(campaign.id);

    // The floor: one plain UpdateItem per recipient, as many in flight as the handler had.
    const db = dynamoClient({ region: 'eu-west-1', endpoint: runtime.dynamoEndpoint });
    const floorMs = await pool(EVENTS, CONCURRENCY * BATCH, async (i) => {
      await db.send(
        new UpdateCommand({
          TableName: runtime.table,
          Key: keys.recipient(campaign.id, recipients[i]!.id),
          UpdateExpression: 'SET benchTouchedAt = :t',
          ExpressionAttributeValues: { ':t': new Date().toISOString() },
        }),
      );
    });

    const eventsPerSec = (EVENTS / handlerMs) * 1000;
    const floorPerSec = (EVENTS / floorMs) * 1000;
    const ratio = eventsPerSec / floorPerSec;
    return {
      name: 'events',
      figures: {
        events: EVENTS,
        concurrency: `${CONCURRENCY} batches of ${BATCH}`,
        eventsPerSec: round(eventsPerSec, 0),
        floorUpdateItemPerSec: round(floorPerSec, 0),
        ratio: round(ratio, 3),
        delivered: counters.delivered,
        failures,
      },
      goal: `events/s through the handler ≥ ${GOAL} × plain UpdateItem/s at the same concurrency, every event counted once`,
      pass: ratio >= GOAL && counters.delivered === EVENTS && failures === 0,
    };
  } finally {
    await runtime.stop();
  }
}
