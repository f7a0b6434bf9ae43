/**
 * pipeline: a 5,000-recipient campaign through the local runtime (queue,
 * sender, DynamoDB Local, local SES endpoint), from launch to every send
 * recorded, against a floor measured in the same run: the same number of
 * bare SendEmail calls plus one PutItem each, at the same concurrency, with
 * no demarche code. Goal: ratio ≤ 1.5.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../../functions/adapters/dynamo-store.js';
import { sesClient } from '../../functions/adapters/ses-mailer.js';
import { createCampaign, launchCampaign } from '../../functions/core/launch.js';
import { parseStatement } from '../../functions/core/statement.js';
import { startLocalRuntime } from '../../functions/local/runtime.js';
import type { BenchResult } from '../types.js';
import { round, syntheticRecipients, timed } from '../support.js';

const N = 5_000;
const CONCURRENCY = 4;
const BATCH = 10;

export async function run(): Promise<BenchResult> {
  const runtime = await startLocalRuntime({
    queue: { concurrency: CONCURRENCY, batchSize: BATCH, maxDepth: 100_000 },
  });
  try {
    const d = runtime.deps();
    const mjml = readFileSync(
      fileURLToPath(new URL('../../templates/letter.mjml', import.meta.url)),
      'utf8',
    );
    const statement = parseStatement(
      readFileSync(fileURLToPath(new URL('../../examples/statement.md', import.meta.url)), 'utf8'),
      'statement.md',
      {
        deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      },
    );
    const make = async (n: number, prefix: string) =>
      (
        await createCampaign(d, {
          statement,
          recipients: syntheticRecipients(n, prefix),
          recipientCount: n,
          mjml,
        })
      ).campaign;

    // Warm-up: JIT, connections, DynamoDB Local's own warm-up.
    const warm = await make(300, 'warm');
    await launchCampaign(d, warm.id);
    await runtime.queue.drained();

    const campaign = await make(N, 'pipe');
    const ours = await timed(async () => {
      await launchCampaign(d, campaign.id);
      await runtime.queue.drained();
    });
    const counters = await d.store.counters(campaign.id);
    if (counters.sent !== N) throw new Error(`expected ${N} sent, got ${counters.sent}`);

    // The floor: what SES + DynamoDB cost with no demarche code at all, same letter size, same concurrency.
    const sample = (await fetch(`${runtime.sesEndpoint}/store`).then((r) => r.json())) as {
      emails: { body: { html?: string; text?: string }; subject: string }[];
    };
    const letter = sample.emails[sample.emails.length - 1]!;
    const ses = sesClient({ region: 'eu-west-1', endpoint: runtime.sesEndpoint });
    const db = dynamoClient({ region: 'eu-west-1', endpoint: runtime.dynamoEndpoint });
    let next = 0;
    const floor = await timed(async () => {
      const worker = async () => {
        while (next < N) {
          const i = next++;
          const out = await ses.send(
            new SendEmailCommand({
              FromEmailAddress: 'floor@example.org',
              Destination: { ToAddresses: [`floor${i}@example.org`] },
              Content: {
                Simple: {
                  Subject: { Data: letter.subject },
                  Body: {
                    Html: { Data: letter.body.html ?? '' },
                    Text: { Data: letter.body.text ?? '' },
                  },
                },
              },
            }),
          );
          await db.send(
            new PutCommand({
              TableName: runtime.table,
              Item: { pk: `FLOOR#${i}`, sk: 'FLOOR', messageId: out.MessageId },
            }),
          );
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY * BATCH }, worker));
    });

    const ratio = ours.ms / floor.ms;
    return {
      name: 'pipeline',
      figures: {
        recipients: N,
        lettersPerSecond: round((N / ours.ms) * 1000, 1),
        floorPerSecond: round((N / floor.ms) * 1000, 1),
        seconds: round(ours.ms / 1000),
        floorSeconds: round(floor.ms / 1000),
        ratio: round(ratio),
        concurrency: CONCURRENCY * BATCH,
      },
      goal: 'ratio ≤ 1.5 (our time / bare SendEmail+PutItem floor)',
      pass: ratio <= 1.5,
    };
  } finally {
    await runtime.stop();
  }
}
