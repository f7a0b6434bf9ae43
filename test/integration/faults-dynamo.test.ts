/**
 * DynamoDB Local stopped and restarted mid-send (same port, same data
 * folder). Claims, send slots and records fail while it is down; nothing may
 * be sent twice, and nothing lost: every letter arrives once and is recorded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { setDeps } from '../../functions/adapters/deps.js';
import { DynamoRateLimiter } from '../../functions/adapters/dynamo-rate-limiter.js';
import { dynamoClient } from '../../functions/adapters/dynamo-store.js';
import { launchCampaign } from '../../functions/core/launch.js';
import { startDynamo, type LocalDynamo } from '../../functions/local/dynamodb.js';
import { sesStore } from '../../functions/local/ses.js';
import { draftCampaign } from '../support/campaigns.js';
import { mailsTo, perRecipient, useRuntime } from '../support/runtime.js';

const dataDir = mkdtempSync(join(tmpdir(), 'demarche-faults-dynamo-'));
const runtime = useRuntime({
  dataDir,
  reuse: false,
  queue: { visibilityTimeoutMs: 500, maxReceiveCount: 50 },
});
let restarted: LocalDynamo | undefined;
afterAll(async () => {
  await restarted?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('DynamoDB stopped and restarted mid-send', { timeout: 300_000 }, () => {
  it('sends every letter exactly once and records every send', async () => {
    const rt = runtime();
    const { campaign, recipients } = await draftCampaign(rt, 60, 'outage');
    // 20 letters a second, so that the outage falls in the middle of the send-out.
    setDeps({
      rateLimiter: new DynamoRateLimiter(
        dynamoClient({ region: 'eu-west-1', endpoint: rt.dynamoEndpoint }),
        rt.table,
        async () => 20,
      ),
    });
    const addresses = recipients.map((r) => r.email);
    await launchCampaign(rt.deps(), campaign.id);
    while ((await mailsTo(rt, addresses)).length < 15) await sleep(50);

    const port = rt.dynamo!.port;
    await rt.dynamo!.stop();
    const duringOutage = (await sesStore(rt.sesEndpoint)).length;
    await sleep(2_000);
    restarted = await startDynamo({ port, dataDir: join(dataDir, 'dynamodb') });

    await rt.queue.drained();
    await rt.eventsQueue.drained();
    const mails = await mailsTo(rt, addresses);
    const counts = perRecipient(mails);
    expect(counts.size).toBe(60);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(rt.queue.dlq).toHaveLength(0);
    // The outage really was mid-send: letters went out after it.
    expect(duringOutage).toBeLessThan(60);

    const d = rt.deps();
    expect(await d.store.counters(campaign.id)).toMatchObject({ sent: 60, unknown: 0, failed: 0 });
    for (const r of recipients) {
      const stored = (await d.store.getRecipient(campaign.id, r.id))!;
      expect(stored.state).toBe('sent');
      expect(stored.messageId).toBe(mails.find((m) => m.destination.to[0] === r.email)!.messageId);
    }
  });
});
