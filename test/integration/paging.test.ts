/**
 * Every list pages to the end. DynamoDB stops a query at 1 MB of items read
 * (before any projection or filter), so a list that reads one page quietly
 * drops what lies beyond: campaigns with long statements are the common
 * case (a coalition's statement with its translations runs to hundreds of
 * KB). Random counts and item sizes, on DynamoDB Local: every campaign and
 * every recipient comes back exactly once, in order.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { dynamoClient, DynamoCampaignStore } from '../../functions/adapters/dynamo-store.js';
import { ensureTable } from '../../functions/local/dynamodb.js';
import type { Campaign } from '../../functions/core/campaign.js';
import type { Recipient } from '../../functions/core/recipients.js';
import type { Statement } from '../../functions/core/statement.js';

const endpoint = inject('dynamoEndpoint');

async function freshStore(): Promise<DynamoCampaignStore> {
  const table = `paging-${randomUUID()}`;
  await ensureTable(endpoint, table);
  return new DynamoCampaignStore(dynamoClient({ region: 'eu-west-1', endpoint }), table);
}

/** A statement whose body is `size` characters of one paragraph (the part a list leaves out). */
function statement(n: number, size: number): Statement {
  return {
    title: `Statement ${n}`,
    subject: `Subject ${n}`,
    from: { name: 'Forum', address: 'forum@demarche.example.org' },
    replyToDomain: 'replies.demarche.example.org',
    deadline: '2030-01-01T08:00:00+01:00',
    language: 'en',
    signatories: [],
    body: [{ type: 'paragraph', inlines: [{ text: 'x'.repeat(size) }] }],
  };
}

function campaign(n: number, size: number): Campaign {
  return {
    id: `c${String(n).padStart(4, '0')}-${randomUUID().slice(0, 8)}`,
    status: 'draft',
    statement: statement(n, size),
    languages: ['en'],
    recipientCount: 0,
    dryRun: true,
    // Distinct, increasing creation times: the list is newest first.
    createdAt: new Date(Date.UTC(2030, 0, 1) + n * 1000).toISOString(),
  };
}

describe('lists page to the end', { timeout: 600_000 }, () => {
  it('every campaign comes back once, newest first, whatever the sizes and counts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 10, max: 300_000 }), { minLength: 0, maxLength: 14 }),
        fc.integer({ min: 1, max: 7 }),
        async (sizes, pageSize) => {
          const store = await freshStore();
          const made = sizes.map((size, n) => campaign(n, size));
          for (const c of made) await store.createCampaign(c, []);
          const newestFirst = made.map((c) => c.id).reverse();

          const all = await store.listCampaigns();
          expect(all.map((c) => c.id)).toEqual(newestFirst);
          // The list keeps what its readers need and leaves the body out.
          for (const c of all) {
            expect(c.statement.deadline).toBe('2030-01-01T08:00:00+01:00');
            expect(c.statement).not.toHaveProperty('body');
          }
          expect((await store.listCampaigns(3)).map((c) => c.id)).toEqual(newestFirst.slice(0, 3));

          // Page by page with a cursor, as the API's GET /api/campaigns does.
          const walked: string[] = [];
          let cursor: string | undefined;
          do {
            const page = await store.campaignsPage(cursor, pageSize);
            expect(page.items.length).toBeLessThanOrEqual(pageSize);
            walked.push(...page.items.map((c) => c.id));
            cursor = page.cursor;
          } while (cursor);
          expect(walked).toEqual(newestFirst);
        },
      ),
      { numRuns: 6 },
    );
  });

  it("every recipient of a campaign comes back once, whatever the records' sizes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 40_000 }), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 60 }),
        async (noteSizes, pageSize) => {
          const store = await freshStore();
          const c = campaign(1, 10);
          await store.createCampaign(c, []);
          const recipients: Recipient[] = noteSizes.map((size, i) => ({
            id: `r${String(i).padStart(5, '0')}`,
            email: `person${i}@paging.example.org`,
            name: `Person ${i}`,
            group: 'ngo',
            // A long organisation name stands for everything a record may carry.
            organisation: 'o'.repeat(size),
          }));
          await store.putRecipients(c.id, recipients);
          const seen: string[] = [];
          let cursor: string | undefined;
          do {
            const page = await store.recipientsPage(c.id, cursor, pageSize);
            seen.push(...page.items.map((r) => r.id));
            cursor = page.cursor;
          } while (cursor);
          expect(seen).toEqual(recipients.map((r) => r.id));
        },
      ),
      { numRuns: 5 },
    );
  });
});
