/**
 * Staff search and filters over a campaign's recipients on DynamoDB Local:
 * a word's start finds a person by name, organisation or address (accents
 * folded), the search's index and the filters' expression agree, pages
 * never repeat or skip anyone, counts match, and erasure takes the search
 * words with the recipient.
 */
import { describe, expect, it } from 'vitest';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoClient } from '../../../functions/adapters/dynamo-store.js';
import type { RecipientFilter } from '../../../functions/adapters/staff-filter.js';
import { keys } from '../../../functions/adapters/table-definition.js';
import { createCampaign } from '../../../functions/core/launch.js';
import { importRecipients } from '../../../functions/core/recipients.js';
import { letterMjml } from '../../support/fixtures.js';
import { useRuntime } from '../../support/runtime.js';
import { belarusStatement, staffToken } from '../../support/staff.js';

const runtime = useRuntime();

const CSV = [
  'email,name,title,organisation,country,language,group',
  'jonas.muller@freedom.example.org,Jonas Müller,,Freedom of Assembly Network,DE,de,ngo',
  'j.mueller@auswaertiges-amt.example.org,Johanna Mueller,Minister,Auswärtiges Amt,DE,de,minister',
  'oksana@hrmc.example.org,Oksana Kovalenko,,Human Rights Monitoring Centre,UA,en,ngo',
  'cabinet@diplomatie.example.org,Élodie Lefèvre,Ministre,Ministère de l’Europe,FR,fr,minister',
  ...Array.from(
    { length: 120 },
    (_, i) => `p${i}@ngo${i % 7}.example.org,Person ${i} Nowak,,Network ${i % 7},PL,en,ngo`,
  ),
].join('\n');

async function seeded() {
  const d = runtime().deps();
  const { recipients } = importRecipients(CSV);
  const { campaign } = await createCampaign(d, {
    statement: belarusStatement(),
    recipients,
    recipientCount: recipients.length,
    mjml: letterMjml(),
  });
  const db = dynamoClient({ region: 'eu-west-1', endpoint: runtime().dynamoEndpoint });
  const byEmail = new Map(recipients.map((r) => [r.email, r.id]));
  const set = async (email: string, expr: string, values: Record<string, unknown>) =>
    db.send(
      new UpdateCommand({
        TableName: runtime().table,
        Key: keys.recipient(campaign.id, byEmail.get(email)!),
        UpdateExpression: expr,
        ...(expr.includes('#s') ? { ExpressionAttributeNames: { '#s': 'state' } } : {}),
        ExpressionAttributeValues: values,
      }),
    );
  // States the events handler and the sender would write, set directly.
  await set(
    'jonas.muller@freedom.example.org',
    'SET #s = :s, deliveryState = :d, deliveryReason = :r',
    {
      ':s': 'sent',
      ':d': 'bouncedHard',
      ':r': '550 5.1.1 user unknown',
    },
  );
  await set('p3@ngo3.example.org', 'SET choice = :c, unsubscribedAt = :at', {
    ':c': { scope: 'all', at: '2026-12-01T10:00:00Z' },
    ':at': '2026-12-01T10:00:00Z',
  });
  await set('p4@ngo4.example.org', 'SET choice = :c', {
    ':c': { scope: 'followups', at: '2026-12-01T10:00:00Z' },
  });
  await set('cabinet@diplomatie.example.org', 'SET attempt = :a, #s = :s', {
    ':a': 1,
    ':s': 'sent',
  });
  return { campaign, db, byEmail, recipients };
}

async function all(campaignId: string, filter: RecipientFilter, limit = 7, budget?: number) {
  const q = runtime().deps().staffQueries;
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await q.recipients(campaignId, filter, cursor, limit, budget);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    names.push(...page.items.map((r) => r.name));
    cursor = page.cursor;
  } while (cursor);
  return names;
}

describe('searching recipients', () => {
  it('finds a person by the start of a word of their name, organisation or address, accents folded', async () => {
    const { campaign } = await seeded();
    expect(await all(campaign.id, { q: 'mull' })).toEqual(['Jonas Müller']);
    expect((await all(campaign.id, { q: 'MÜLLER' })).sort()).toEqual(['Jonas Müller']);
    expect((await all(campaign.id, { q: 'mu' })).sort()).toEqual([
      'Johanna Mueller',
      'Jonas Müller',
    ]);
    expect(await all(campaign.id, { q: 'auswartiges' })).toEqual(['Johanna Mueller']);
    expect(await all(campaign.id, { q: 'elodie lefe' })).toEqual(['Élodie Lefèvre']);
    expect(await all(campaign.id, { q: 'hrmc' })).toEqual(['Oksana Kovalenko']);
    expect(await all(campaign.id, { q: 'nobody' })).toEqual([]);
    // A part inside a word is not a word's start.
    expect(await all(campaign.id, { q: 'ller' })).toEqual([]);
  });

  it('pages through a broad search without repeating or skipping anyone, and agrees with the filters', async () => {
    const { campaign } = await seeded();
    const nowak = await all(campaign.id, { q: 'nowak' });
    expect(nowak).toHaveLength(120);
    expect(new Set(nowak).size).toBe(120);
    const filters: RecipientFilter[] = [
      { group: 'ngo' },
      { unsubscribed: 'all' },
      { unsubscribed: 'followups' },
      { fallback: true },
      { delivery: 'bouncedHard' },
      { country: 'PL', opened: false },
    ];
    for (const f of filters) {
      // "example" starts a word of every address: the search path must give the filter's answer.
      const plain = (await all(campaign.id, f)).sort();
      const searched = (await all(campaign.id, { ...f, q: 'example' })).sort();
      expect(searched, JSON.stringify(f)).toEqual(plain);
      const count = await runtime()
        .deps()
        .staffQueries.countRecipients(campaign.id, { ...f, q: 'example' });
      expect(count).toEqual({ count: plain.length, complete: true });
    }
    expect(await all(campaign.id, { unsubscribed: 'all' })).toEqual(['Person 3 Nowak']);
    expect(await all(campaign.id, { fallback: true })).toEqual(['Élodie Lefèvre']);
  });

  it('continues where a small read budget stopped, and lists a recipient written twice once', async () => {
    const { campaign, recipients } = await seeded();
    // An import retried writes some recipients again: their words are then in a newer page too.
    const again = recipients.filter((r) => r.name.endsWith('Nowak')).slice(0, 10);
    await runtime().deps().store.putRecipients(campaign.id, again);
    for (const budget of [30, 150]) {
      const nowak = await all(campaign.id, { q: 'nowak' }, 7, budget);
      expect(nowak, `budget ${budget}`).toHaveLength(120);
      expect(new Set(nowak).size).toBe(120);
    }
    expect(await all(campaign.id, { q: 'nowak 117' }, 7, 30)).toEqual(['Person 117 Nowak']);
  });

  it('sorts a list by a column, pages it without overlap, and keeps the filter and the search', async () => {
    const { campaign } = await seeded();
    const q = runtime().deps().staffQueries;
    const sorted = async (
      filter: RecipientFilter,
      sort: 'name' | 'organisation',
      order: 'asc' | 'desc',
    ) => {
      const names: string[] = [];
      let cursor: string | undefined;
      do {
        const page = (await q.sortedRecipients(campaign.id, filter, sort, order, cursor, 7))!;
        expect(page.items.length).toBeLessThanOrEqual(7);
        names.push(...page.items.map((r) => r.name));
        cursor = page.cursor;
      } while (cursor);
      return names;
    };
    const byName = await sorted({}, 'name', 'asc');
    expect(byName).toHaveLength(124);
    // As people read them: accents aside, numbers by value (Person 2 before Person 10).
    expect(byName.slice(0, 3)).toEqual(['Élodie Lefèvre', 'Johanna Mueller', 'Jonas Müller']);
    expect(byName.slice(4, 7)).toEqual(['Person 0 Nowak', 'Person 1 Nowak', 'Person 2 Nowak']);
    expect(byName.at(-1)).toBe('Person 119 Nowak');
    expect(await sorted({}, 'name', 'desc')).toEqual([...byName].reverse());
    expect(await sorted({ group: 'minister' }, 'organisation', 'asc')).toEqual([
      'Johanna Mueller',
      'Élodie Lefèvre',
    ]);
    expect(await sorted({ q: 'mu' }, 'name', 'desc')).toEqual(['Jonas Müller', 'Johanna Mueller']);

    const token = await staffToken(['viewer']);
    const get = (qs: string) =>
      fetch(`${runtime().httpUrl}/api/campaigns/${campaign.id}/recipients?${qs}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    const first = (await (await get('sort=name&order=desc&limit=5')).json()) as {
      items: { name: string }[];
      cursor: string;
    };
    expect(first.items.map((r) => r.name)).toEqual([...byName].reverse().slice(0, 5));
    const second = (await (
      await get(`sort=name&order=desc&limit=5&cursor=${first.cursor}`)
    ).json()) as {
      items: { name: string }[];
    };
    expect(second.items.map((r) => r.name)).toEqual([...byName].reverse().slice(5, 10));
    expect((await get('sort=shoe-size')).status).toBe(400);
  });

  it('counts through the API, and names the search field when it is too long', async () => {
    const { campaign } = await seeded();
    const token = await staffToken(['viewer']);
    const get = async (qs: string) => {
      const res = await fetch(
        `${runtime().httpUrl}/api/campaigns/${campaign.id}/recipient-count?${qs}`,
        {
          headers: { authorization: `Bearer ${token}` },
        },
      );
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    expect((await get('')).json).toEqual({ count: 124, complete: true });
    expect((await get('q=nowak&group=ngo')).json).toEqual({ count: 120, complete: true });
    expect((await get('unsubscribed=followups')).json).toEqual({ count: 1, complete: true });
    const bad = await get(`q=${'x'.repeat(201)}`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toMatch(/\bq\b/);
    const page = await fetch(
      `${runtime().httpUrl}/api/campaigns/${campaign.id}/recipients?q=jonas`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    const body = (await page.json()) as { items: Record<string, unknown>[] };
    expect(body.items).toHaveLength(1);
    expect(body.items[0]!.deliveryReason).toBe('550 5.1.1 user unknown');
    expect(body.items[0]!.find).toBeUndefined();
    expect(body.items[0]!.findPage).toBeUndefined();
  });

  it('erasure deletes a recipient’s search words with them', async () => {
    const { campaign, db, byEmail } = await seeded();
    const rid = byEmail.get('oksana@hrmc.example.org')!;
    // The words of the recipient in the campaign's search pages (recipient-search.ts).
    const finds = async () =>
      (
        await db.send(
          new QueryCommand({
            TableName: runtime().table,
            KeyConditionExpression: 'pk = :p AND begins_with(sk, :f)',
            ExpressionAttributeValues: { ':p': keys.campaign(campaign.id).pk, ':f': 'FIND#' },
          }),
        )
      )
        .Items!.map((i) => (i.words as Record<string, string>)[rid])
        .filter((w) => w !== undefined);
    expect((await finds()).join(' ').split(' ')).toContain('kovalenko');
    const { privacyStoreFor } = await import('../../../functions/adapters/dynamo-privacy.js');
    await privacyStoreFor(runtime().deps().config).eraseRecipient(
      campaign.id,
      rid,
      'oksana@hrmc.example.org',
      new Date().toISOString(),
      async () => {},
    );
    expect(await finds()).toEqual([]);
    expect(await all(campaign.id, { q: 'oksana' })).toEqual([]);
  });
});
