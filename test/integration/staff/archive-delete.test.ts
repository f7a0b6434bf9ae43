/**
 * Tidying the campaigns list through the staff API: an archived campaign
 * leaves the list and comes back; a draft or a dry run is deleted with all
 * its recipients, letters and erasure-index entries, page by page, while its
 * versions and audit log stay and say who deleted it; a campaign that sent
 * letters cannot be deleted; a viewer can do neither.
 */
import { describe, expect, it } from 'vitest';
import { DELETE_PAGE } from '../../../functions/core/discard.js';
import { createCampaign, launchCampaign } from '../../../functions/core/launch.js';
import { importRecipients } from '../../../functions/core/recipients.js';
import { api, asStaff } from '../../support/api-client.js';
import { exampleStatement, letterMjml } from '../../support/fixtures.js';
import { scanTable, useRuntime } from '../../support/runtime.js';
import { belarusStatement, mixedCsv, settle } from '../../support/staff.js';

const runtime = useRuntime({ schedulerTickMs: 0 });

/** Every item of the table that belongs to `campaignId`: its partition and its index entries. */
async function itemsOf(campaignId: string) {
  const items = await scanTable(runtime());
  return {
    partition: items.filter((i) => i.pk === `CAMPAIGN#${campaignId}`).map((i) => String(i.sk)),
    index: items.filter((i) => String(i.pk).startsWith('PERSON#') && i.campaignId === campaignId),
  };
}

async function draft(token: string, rows: number, tag: string): Promise<string> {
  const res = await api(runtime(), 'POST', '/api/campaigns', {
    token,
    body: {
      statement: exampleStatement(),
      statementName: 'statement.md',
      recipientsCsv: mixedCsv(rows, tag),
    },
  });
  expect(res.status, res.text).toBe(201);
  return (res.json.campaign as { id: string }).id;
}

const listed = async (token: string, archived = 'hide') =>
  (
    (await api(runtime(), 'GET', `/api/campaigns?archived=${archived}`, { token })).json.items as {
      id: string;
      author?: { email?: string };
    }[]
  ).map((c) => c.id);

describe('archiving and deleting campaigns', () => {
  it('archives a draft out of the list and back, audited, with its author shown', async () => {
    const alice = await asStaff('alice', ['campaigner']);
    const vera = await asStaff('vera', ['viewer']);
    const id = await draft(alice, 3, 'arch');
    const before = (await api(runtime(), 'GET', '/api/campaigns', { token: vera })).json.items as {
      id: string;
      author?: { sub: string; email?: string };
    }[];
    expect(before.find((c) => c.id === id)?.author).toEqual({
      sub: 'alice',
      email: 'alice@example.org',
    });

    const refused = await api(runtime(), 'POST', `/api/campaigns/${id}/archive`, {
      token: vera,
      body: {},
    });
    expect(refused.status).toBe(403);
    const archived = await api(runtime(), 'POST', `/api/campaigns/${id}/archive`, {
      token: alice,
      body: { archived: true },
    });
    expect(archived.status, archived.text).toBe(200);
    expect(await listed(vera)).not.toContain(id);
    expect(await listed(vera, 'only')).toContain(id);
    expect(await listed(vera, 'include')).toContain(id);
    const twice = await api(runtime(), 'POST', `/api/campaigns/${id}/archive`, {
      token: alice,
      body: { archived: true },
    });
    expect([twice.status, twice.json.code]).toEqual([409, 'CAMPAIGN_STATE']);

    const back = await api(runtime(), 'POST', `/api/campaigns/${id}/archive`, {
      token: alice,
      body: { archived: false },
    });
    expect(back.status).toBe(200);
    expect(await listed(vera)).toContain(id);
    const log = (await runtime().deps().governance.auditLog(id)).items.map((e) => e.action);
    expect(log).toEqual(expect.arrayContaining(['archived', 'unarchived']));
  });

  it('deletes a large draft page by page: recipients, letters and index entries go, the records stay', async () => {
    const alice = await asStaff('alice', ['campaigner']);
    const rows = DELETE_PAGE + 200;
    const id = await draft(alice, rows, 'del');
    const full = await itemsOf(id);
    expect(full.partition.filter((sk) => sk.startsWith('RCPT#'))).toHaveLength(rows);
    expect(full.index).toHaveLength(rows);

    const first = await api(runtime(), 'POST', `/api/campaigns/${id}/delete`, {
      token: alice,
      body: { reason: 'started again from a corrected list' },
    });
    expect(first.status, first.text).toBe(202);
    // A page of at most DELETE_PAGE items (recipients, their search entries, letters …).
    expect(first.json.remaining).toBe(true);
    expect(first.json.removed).toBeGreaterThan(DELETE_PAGE - 2);
    expect(first.json.removed).toBeLessThanOrEqual(DELETE_PAGE);
    // Nothing can launch it any more, and it has left the list.
    const c = first.json.campaign as { status: string; deleted: { by: string } };
    expect(c.status).toBe('cancelled');
    expect(c.deleted.by).toBe('alice');
    expect(await listed(alice, 'include')).not.toContain(id);

    // The client asks again while items remain; the last answer is 200.
    let last = first;
    for (let calls = 1; last.status === 202 && calls < 50; calls++)
      last = await api(runtime(), 'POST', `/api/campaigns/${id}/delete`, {
        token: alice,
        body: {},
      });
    expect(last.status, last.text).toBe(200);
    expect(last.json.remaining).toBe(false);
    const after = await itemsOf(id);
    expect(after.partition).toEqual(['META']);
    expect(after.index).toEqual([]);
    const shown = await api(runtime(), 'GET', `/api/campaigns/${id}`, { token: alice });
    expect(shown.json.deleted).toMatchObject({ by: 'alice', done: true });

    const d = runtime().deps();
    expect((await d.governance.versions(id)).length).toBe(1);
    const deleted = (await d.governance.auditLog(id)).items.filter((e) => e.action === 'deleted');
    expect(deleted).toHaveLength(1);
    expect(deleted[0]!.detail).toBe(
      `draft deleted with its ${rows} recipients: started again from a corrected list`,
    );
  });

  it('discards a finished dry run, but keeps a campaign that sent letters', async () => {
    const alice = await asStaff('alice', ['campaigner']);
    const d = runtime().deps();
    const ids: string[] = [];
    for (const dryRun of [true, false]) {
      const { recipients } = importRecipients(mixedCsv(4, dryRun ? 'dry' : 'real'));
      const { campaign } = await createCampaign(d, {
        statement: belarusStatement(),
        recipients,
        recipientCount: recipients.length,
        mjml: letterMjml(),
        dryRun,
      });
      await launchCampaign(d, campaign.id);
      ids.push(campaign.id);
    }
    await settle(runtime());
    const [dry, real] = ids as [string, string];

    const kept = await api(runtime(), 'POST', `/api/campaigns/${real}/delete`, {
      token: alice,
      body: {},
    });
    expect(kept.status).toBe(409);
    expect(kept.json.message).toMatch(/only a draft or a dry run can be deleted/);
    expect((await itemsOf(real)).partition.filter((sk) => sk.startsWith('RCPT#'))).toHaveLength(4);

    const gone = await api(runtime(), 'POST', `/api/campaigns/${dry}/delete`, {
      token: alice,
      body: {},
    });
    expect(gone.status, gone.text).toBe(200);
    expect((gone.json.campaign as { status: string }).status).toBe('completed');
    expect((await itemsOf(dry)).partition).toEqual(['META']);
  });
});
