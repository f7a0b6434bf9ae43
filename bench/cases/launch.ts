/**
 * launch: how long the staff API's launch route (POST /api/campaigns/:id/launch,
 * through the local HTTP layer, token and approval checked) takes for a
 * campaign of 100,000 recipients next to one of 1,000. The route records the
 * launch and hands the queueing to the launch function, so its work must not
 * grow with the list. Goal: ≤ 1,000 ms at 100,000 (one sample each; the ratio
 * to 1,000 is reported). Each campaign
 * is cancelled right after, so the background queueing stops at its next step.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../functions/adapters/config.js';
import { dynamoClient } from '../../functions/adapters/dynamo-store.js';
import { issueLocalToken } from '../../functions/adapters/staff-auth.js';
import { keys } from '../../functions/adapters/table-definition.js';
import { readTemplate } from '../../functions/adapters/templates.js';
import { approveVersion, recordVersion } from '../../functions/core/governance/govern.js';
import { createCampaign } from '../../functions/core/launch.js';
import { parseStatement } from '../../functions/core/statement.js';
import { startLocalRuntime, type LocalRuntime } from '../../functions/local/runtime.js';
import type { BenchResult } from '../types.js';

const STATEMENT = `---
title: Bench statement
subject: Bench
from: { name: Bench, address: campaigns@demarche.example.org }
replyToDomain: replies.demarche.example.org
deadline: ${new Date(Date.now() + 7 * 86_400_000).toISOString()}
language: en
signatories:
  - name: Bench
---
A short statement.
`;

async function seed(runtime: LocalRuntime, n: number): Promise<string> {
  const d = runtime.deps();
  const { campaign } = await createCampaign(d, {
    statement: parseStatement(STATEMENT, 'bench.md'),
    recipients: [],
    recipientCount: n,
    mjml: readTemplate(),
    dryRun: true,
    id: `claunch${n}`,
  });
  const db = dynamoClient({ region: 'eu-west-1', endpoint: runtime.dynamoEndpoint });
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const start = next;
      next = Math.min(n, next + 25);
      let requests = Array.from({ length: next - start }, (_, k) => {
        const i = start + k;
        const id = `r${String(i).padStart(7, '0')}`;
        return {
          PutRequest: {
            Item: {
              ...keys.recipient(campaign.id, id),
              type: 'recipient',
              campaignId: campaign.id,
              id,
              email: `person${i}@bench.example.org`,
              name: `Person ${i}`,
              group: 'ngo',
              state: 'pending',
            },
          },
        };
      });
      while (requests.length) {
        const out = await db.send(
          new BatchWriteCommand({ RequestItems: { [runtime.table]: requests } }),
        );
        requests = (out.UnprocessedItems?.[runtime.table] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const version = await recordVersion(d, campaign.id, 'alice', 'created');
  await approveVersion(d, campaign.id, 'bob', version.hash);
  return campaign.id;
}

export async function run(): Promise<BenchResult> {
  const runtime = await startLocalRuntime({ schedulerTickMs: 0, sesEvents: false });
  try {
    const token = await issueLocalToken(process.env[ENV.authKeyFile]!, {
      sub: 'alice',
      groups: ['campaigner'],
    });
    const launch = async (id: string) => {
      const t = performance.now();
      const res = await fetch(`${runtime.httpUrl}/api/campaigns/${id}/launch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      const ms = performance.now() - t;
      if (res.status !== 202) throw new Error(`launch answered ${res.status}: ${await res.text()}`);
      await fetch(`${runtime.httpUrl}/api/campaigns/${id}/cancel`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      return ms;
    };
    const small = await launch(await seed(runtime, 1_000));
    const big = await launch(await seed(runtime, 100_000));
    const round = (x: number) => Math.round(x * 10) / 10;
    return {
      name: 'launch',
      figures: { ms1k: round(small), ms100k: round(big), ratio: round(big / small) },
      goal: 'launch route ≤ 1000 ms at 100,000 recipients (the ratio to 1,000 is reported)',
      pass: big <= 1000,
    };
  } finally {
    await runtime.stop();
  }
}
