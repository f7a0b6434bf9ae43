/**
 * stats: latency of the staff API's stats route (GET /api/campaigns/:id/stats,
 * through the local HTTP layer, token checked) for a campaign of 100,000
 * recipients next to one of 1,000. Stats read the counter items only, so the
 * cost must not grow with the list. Goal: median(100,000) / median(1,000) ≤ 1.5.
 * The big campaign's recipient and counter items are seeded with BatchWrite
 * directly (sending 100,000 letters is the pipeline case's job, not this one's),
 * each recipient with its search words and index entries as the store writes them.
 *
 * Also the recipients table's query (GET …/recipients): a filter and a search
 * for a person by the start of their surname in the 100,000, against the
 * unfiltered first page of the 1,000. Goal: median ratio ≤ 1.5.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../functions/adapters/config.js';
import { dynamoClient } from '../../functions/adapters/dynamo-store.js';
import { issueLocalToken } from '../../functions/adapters/staff-auth.js';
import { searchIndex } from '../../functions/adapters/recipient-search.js';
import { keys, TABLE } from '../../functions/adapters/table-definition.js';
import { readTemplate } from '../../functions/adapters/templates.js';
import { COUNTERS } from '../../functions/core/campaign.js';
import { createCampaign } from '../../functions/core/launch.js';
import { parseStatement } from '../../functions/core/statement.js';
import { startLocalRuntime, type LocalRuntime } from '../../functions/local/runtime.js';
import type { BenchResult } from '../types.js';

const STATEMENT = `---
title: Bench statement
subject: Bench
from: { name: Bench, address: bench@demarche.example.org }
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
    id: `cbench${n}`,
  });
  const db = dynamoClient({ region: 'eu-west-1', endpoint: runtime.dynamoEndpoint });
  const groups = ['minister', 'eu-institution', 'ngo'];
  const items = function* () {
    const person = (i: number) => ({
      id: `r${String(i).padStart(7, '0')}`,
      email: `person${i}@bench.example.org`,
      // Surnames as distinct as a real list's: each one is a few people's at most.
      name: `Person ${surname(i)}`,
    });
    // The search pages of each thousand, as an import writes them (recipient-search.ts).
    let index = searchIndex(campaign.id, []);
    for (let i = 0; i < n; i++) {
      const r = person(i);
      if (i % 1000 === 0) {
        const next = Array.from({ length: Math.min(1000, n - i) }, (_, k) => person(i + k));
        index = searchIndex(campaign.id, next);
        yield* index.pages;
      }
      yield {
        ...keys.recipient(campaign.id, r.id),
        type: 'recipient',
        campaignId: campaign.id,
        ...r,
        ...index.fields(r.id),
        group: groups[i % 3],
        country: ['FR', 'DE', 'PL', 'BE'][i % 4],
        state: 'sent',
        messageId: `m-${i}`,
        sentAt: new Date().toISOString(),
        deliveredAt: new Date().toISOString(),
      };
    }
    for (let s = 0; s < TABLE.counterShards; s++) {
      const share = Math.floor(n / TABLE.counterShards) + (s < n % TABLE.counterShards ? 1 : 0);
      yield {
        ...keys.counter(campaign.id, s),
        ...Object.fromEntries(
          COUNTERS.map((c) => [c, c === 'sent' || c === 'delivered' || c === 'queued' ? share : 0]),
        ),
      };
    }
  };
  const it = items();
  const worker = async () => {
    for (;;) {
      const batch: Record<string, unknown>[] = [];
      for (
        let r = it.next();
        !r.done;
        r = batch.length < 25 ? it.next() : { done: true, value: undefined }
      ) {
        batch.push(r.value);
        if (batch.length === 25) break;
      }
      if (!batch.length) return;
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      while (requests.length) {
        const out = await db.send(
          new BatchWriteCommand({ RequestItems: { [runtime.table]: requests } }),
        );
        requests = (out.UnprocessedItems?.[runtime.table] ?? []) as typeof requests;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return campaign.id;
}

/** A made-up surname per index: syllables, so that a surname's start narrows the list as a real one does. */
function surname(i: number): string {
  const syl = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'ze', 'bo', 'de', 'gu'];
  let s = '';
  for (let k = i + 1; k > 0; k = Math.floor(k / syl.length)) s += syl[k % syl.length];
  return `${s[0]!.toUpperCase()}${s.slice(1)}`;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;
const round = (x: number) => Math.round(x * 100) / 100;

export async function run(): Promise<BenchResult> {
  const runtime = await startLocalRuntime({});
  try {
    const seedStart = performance.now();
    const small = await seed(runtime, 1_000);
    const big = await seed(runtime, 100_000);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const token = await issueLocalToken(process.env[ENV.authKeyFile]!, {
      sub: 'bench',
      groups: ['viewer'],
    });
    const get = async (id: string) => {
      const t = performance.now();
      const res = await fetch(`${runtime.httpUrl}/api/campaigns/${id}/stats`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await res.json()) as { funnel: { sent: number } };
      const ms = performance.now() - t;
      if (!res.ok) throw new Error(`stats failed: HTTP ${res.status}`);
      return { ms, sent: body.funnel.sent };
    };
    // The table's first page of the 1,000, and a search with a filter in the 100,000.
    const search = `group=minister&q=${encodeURIComponent(surname(73_332).slice(0, 7))}`;
    const list = async (id: string, qs: string) => {
      const t = performance.now();
      const res = await fetch(`${runtime.httpUrl}/api/campaigns/${id}/recipients?${qs}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await res.json()) as { items: { name: string; group: string }[] };
      const ms = performance.now() - t;
      if (!res.ok) throw new Error(`recipients failed: HTTP ${res.status}`);
      return { ms, items: body.items };
    };
    for (let i = 0; i < 20; i++) await Promise.all([get(small), get(big)]);
    const times: Record<string, number[]> = { small: [], big: [] };
    let sentBig = 0;
    // Alternate so that both see the same machine load.
    for (let i = 0; i < 200; i++) {
      times.small!.push((await get(small)).ms);
      const b = await get(big);
      times.big!.push(b.ms);
      sentBig = b.sent;
    }
    if (sentBig !== 100_000) throw new Error(`the big campaign's stats say ${sentBig} sent`);
    const ratio = median(times.big!) / median(times.small!);
    for (let i = 0; i < 20; i++) await Promise.all([list(small, 'limit=50'), list(big, search)]);
    const listTimes: Record<string, number[]> = { small: [], big: [] };
    let found: { name: string; group: string }[] = [];
    for (let i = 0; i < 200; i++) {
      listTimes.small!.push((await list(small, 'limit=50')).ms);
      const b = await list(big, search);
      listTimes.big!.push(b.ms);
      found = b.items;
    }
    const wanted = `Person ${surname(73_332)}`;
    if (!found.some((r) => r.name === wanted) || found.some((r) => r.group !== 'minister'))
      throw new Error(`the search did not find ${wanted} among the ministers`);
    const searchRatio = median(listTimes.big!) / median(listTimes.small!);
    return {
      name: 'stats',
      figures: {
        medianMs1k: round(median(times.small!)),
        p95Ms1k: round(p95(times.small!)),
        medianMs100k: round(median(times.big!)),
        p95Ms100k: round(p95(times.big!)),
        ratio: round(ratio),
        recipientsMedianMs1k: round(median(listTimes.small!)),
        searchMedianMs100k: round(median(listTimes.big!)),
        searchP95Ms100k: round(p95(listTimes.big!)),
        searchRatio: round(searchRatio),
        searchFound: found.length,
        requestsEach: 200,
        seedSeconds: round(seedSeconds),
      },
      goal: 'median stats latency, and a filtered search of the recipients, at 100,000 recipients ≤ 1.5 × the 1,000 case (stats; the unfiltered first page)',
      pass: ratio <= 1.5 && searchRatio <= 1.5,
    };
  } finally {
    await runtime.stop();
  }
}
