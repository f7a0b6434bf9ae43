/**
 * pipeline: a 5,000-recipient campaign through the local runtime (queue,
 * sender, DynamoDB Local, local SES endpoint) with pacing off, from launch to
 * every send recorded, against a floor measured in the same run: the same
 * number of bare SendEmail calls (the same raw message) plus one PutItem each,
 * at the same concurrency, with no demarche code. Goal: ratio ≤ 1.5.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { setDeps } from '../../functions/adapters/deps.js';
import { dynamoClient } from '../../functions/adapters/dynamo-store.js';
import { sesClient } from '../../functions/adapters/ses-mailer.js';
import { letterFor } from '../../functions/core/compose.js';
import { createCampaign, launchCampaign } from '../../functions/core/launch.js';
import { parseStatement } from '../../functions/core/statement.js';
import { startLocalRuntime } from '../../functions/local/runtime.js';
import type { BenchResult } from '../types.js';
import { round, syntheticRecipients, timed } from '../support.js';

const N = Number(process.env.PIPELINE_RECIPIENTS ?? 5_000);
const CONCURRENCY = 4;
const BATCH = 10;

export async function run(): Promise<BenchResult> {
  const runtime = await startLocalRuntime({
    queue: { concurrency: CONCURRENCY, batchSize: BATCH, maxDepth: 100_000 },
    // The case is launch-to-recorded: SES events and their handler are another case (events).
    sesEvents: false,
    schedulerTickMs: 0,
  });
  try {
    // Pacing off: this case measures our own overhead, not the SES rate.
    setDeps({ rateLimiter: { acquire: async () => {} } });
    const d = runtime.deps();
    const file = (p: string) =>
      readFileSync(fileURLToPath(new URL(`../../${p}`, import.meta.url)), 'utf8');
    const statement = parseStatement(file('examples/statement.md'), 'statement.md', {
      deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    });
    const make = async (n: number, prefix: string) =>
      (
        await createCampaign(d, {
          statement,
          recipients: syntheticRecipients(n, prefix),
          recipientCount: n,
          mjml: file('templates/letter.mjml'),
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

    // The floor sends a raw message exactly like ours (same size, same MIME for the endpoint to parse).
    const page = await d.store.recipientsPage(campaign.id, undefined, 1);
    const template = (await d.store.getTemplate(campaign.id, campaign.languages[0]!))!;
    const links = { publicUrl: d.config.publicUrl, keys: await d.keys() };
    const raw = letterFor(campaign, template, page.items[0]!, links).raw!;
    const ses = sesClient({ region: 'eu-west-1', endpoint: runtime.sesEndpoint });
    const db = dynamoClient({ region: 'eu-west-1', endpoint: runtime.dynamoEndpoint });
    let next = 0;
    const floor = await timed(async () => {
      const worker = async () => {
        while (next < N) {
          const i = next++;
          const out = await ses.send(
            new SendEmailCommand({
              Destination: { ToAddresses: [`floor${i}@example.org`] },
              Content: { Raw: { Data: Buffer.from(raw) } },
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
