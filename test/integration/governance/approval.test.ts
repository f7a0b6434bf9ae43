/**
 * Versions and two-person approval through the staff API, on the real local
 * runtime (DynamoDB Local, the SES endpoint, the queue and the sender).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamoClient } from '../../../functions/adapters/dynamo-store.js';
import { keys } from '../../../functions/adapters/table-definition.js';
import type { CampaignRecipient } from '../../../functions/core/campaign.js';
import { webVersionUrl } from '../../../functions/core/links.js';
import { collectReport } from '../../../functions/core/report/collect.js';
import { renderReportHtml } from '../../../functions/core/report/html.js';
import { apiCall } from '../../support/api.js';
import { exampleStatement } from '../../support/fixtures.js';
import { mailsTo, useRuntime } from '../../support/runtime.js';
import { staffToken } from '../../support/staff.js';

const runtime = useRuntime();

const call = (method: string, path: string, token: string, body?: string, type?: string) =>
  apiCall(runtime().httpUrl, method, path, token, body, type);

async function createCampaign(token: string, tag: string) {
  const csv = `email,name,group,country,language\nana@${tag}.example.org,Ana Pop,ngo,RO,en\nben@${tag}.example.org,Ben Berg,minister,DE,en\nclaire@${tag}.example.org,Claire Roux,minister,FR,fr\n`;
  const created = await call(
    'POST',
    '/api/campaigns',
    token,
    JSON.stringify({
      statement: exampleStatement(),
      statementName: 'statement.md',
      recipientsCsv: csv,
    }),
  );
  expect(created.status).toBe(201);
  return {
    id: (created.json.campaign as { id: string }).id,
    version: created.json.version as { number: number; hash: string; author: string },
  };
}

/** The items of one partition of the table, read directly (not through the API). */
async function items(pk: string) {
  const db = dynamoClient({ region: 'eu-west-1', endpoint: runtime().dynamoEndpoint });
  const out = await db.send(
    new QueryCommand({
      TableName: runtime().deps().config.table,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': pk },
      ConsistentRead: true,
    }),
  );
  return out.Items ?? [];
}

describe('two-person approval of an exact version', { timeout: 120_000 }, () => {
  it('refuses launch without approval and approval by the author; an edit voids an approval; the approved version is what is sent', async () => {
    const alice = await staffToken(['campaigner'], 'alice');
    const bob = await staffToken(['campaigner'], 'bob');
    const viewer = await staffToken(['viewer'], 'vera');
    const { id, version } = await createCampaign(alice, 'gov-approve');
    expect(version).toMatchObject({ number: 1, author: 'alice' });
    expect(version.hash).toMatch(/^[0-9a-f]{64}$/);

    // No approval: launch and schedule are refused, and nothing is mailed.
    const unapproved = await call('POST', `/api/campaigns/${id}/launch`, alice, '{}');
    expect(unapproved.status).toBe(409);
    expect(unapproved.json.code).toBe('APPROVAL_REQUIRED');
    expect(unapproved.json.message).toContain('alice@example.org (alice)');
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const schedule = await call(
      'POST',
      `/api/campaigns/${id}/schedule`,
      alice,
      JSON.stringify({ at }),
    );
    expect(schedule.json.code).toBe('APPROVAL_REQUIRED');
    // The author cannot approve their own version; a viewer cannot approve at all.
    const self = await call(
      'POST',
      `/api/campaigns/${id}/approve`,
      alice,
      JSON.stringify({ hash: version.hash }),
    );
    expect(self.status).toBe(403);
    expect(self.json.code).toBe('APPROVAL_BY_AUTHOR');
    const byViewer = await call(
      'POST',
      `/api/campaigns/${id}/approve`,
      viewer,
      JSON.stringify({ hash: version.hash }),
    );
    expect(byViewer.status).toBe(403);
    expect(byViewer.json.code).toBe('FORBIDDEN');
    expect((await runtime().deps().store.getCampaign(id))!.status).toBe('draft');

    // Bob approves version 1; then Alice adds a recipient: version 2, the approval is void.
    const approved = await call(
      'POST',
      `/api/campaigns/${id}/approve`,
      bob,
      JSON.stringify({ hash: version.hash }),
    );
    expect(approved.status).toBe(200);
    const edit = await call(
      'POST',
      `/api/campaigns/${id}/recipients`,
      alice,
      'email,name,group\ndora@gov-approve.example.org,Dora Lind,ngo\n',
      'text/csv',
    );
    expect(edit.status).toBe(200);
    const v2 = edit.json.version as { number: number; hash: string };
    expect(v2.number).toBe(2);
    expect(v2.hash).not.toBe(version.hash);
    const voided = await call('POST', `/api/campaigns/${id}/launch`, alice, '{}');
    expect(voided.json.code).toBe('APPROVAL_REQUIRED');
    // Approving what one reviewed before the edit is refused: the content changed since.
    const stale = await call(
      'POST',
      `/api/campaigns/${id}/approve`,
      bob,
      JSON.stringify({ hash: version.hash }),
    );
    expect(stale.status).toBe(409);
    expect(stale.json.code).toBe('VERSION_STALE');
    const bad = await call(
      'POST',
      `/api/campaigns/${id}/approve`,
      bob,
      JSON.stringify({ hash: '<script>' }),
    );
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain('hash');
    expect(
      (await call('POST', `/api/campaigns/${id}/approve`, bob, JSON.stringify({ hash: v2.hash })))
        .status,
    ).toBe(200);
    expect(await mailsTo(runtime(), ['ana@gov-approve.example.org'])).toHaveLength(0);

    const launched = await call('POST', `/api/campaigns/${id}/launch`, alice, '{}');
    expect(launched.status).toBe(202);
    await runtime().jobs.drained();
    expect((await runtime().deps().store.getCampaign(id))!.launch).toMatchObject({ queued: 4 });
    await runtime().queue.drained();

    // Each recipient's record holds the hash of the version sent and the exact subject it got.
    const recipients = (await runtime().deps().store.recipientsPage(id))
      .items as CampaignRecipient[];
    expect(recipients).toHaveLength(4);
    const mails = await mailsTo(
      runtime(),
      recipients.map((r) => r.email),
    );
    expect(mails).toHaveLength(4);
    for (const r of recipients) {
      expect(r.state).toBe('sent');
      expect(r.versionHash).toBe(v2.hash);
      const mail = mails.find((m) => m.destination.to.includes(r.email))!;
      expect(mail.subject).toBe(r.subject);
    }

    // The web version and the proof-of-delivery report name the version that was sent.
    const d = runtime().deps();
    const web = await fetch(
      webVersionUrl({
        publicUrl: runtime().httpUrl,
        keys: await d.keys(),
        campaignId: id,
        recipientId: recipients[0]!.id,
      }),
    );
    expect(web.headers.get('x-demarche-version')).toBe(v2.hash);
    // In words (the day bob approved version 2), the hash kept for whoever checks.
    const page = await web.text();
    expect(page).toMatch(/Text approved on \d{1,2} \w+ \d{4}/);
    expect(page).toContain(`<meta name="demarche-version" content="${v2.hash}">`);
    expect(page).not.toContain('View this letter in your browser');
    const report = renderReportHtml(await collectReport({ store: d.store, clock: d.clock }, id));
    expect(report).toContain(`<code>${v2.hash}</code>`);

    const versions = await call('GET', `/api/campaigns/${id}/versions`, viewer);
    expect((versions.json.versions as { number: number }[]).map((v) => v.number)).toEqual([1, 2]);
    expect(versions.json.mode).toBe('two-person');

    const log = (await call('GET', `/api/campaigns/${id}/audit`, viewer)).json.items as {
      action: string;
      actor: string;
      versionHash?: string;
    }[];
    // Actors are subs; the email is the label beside each.
    expect(log.map((e) => `${e.action} ${e.actor}`)).toEqual([
      'created alice',
      'approved bob',
      'edited alice',
      'approved bob',
      'launched alice',
    ]);
    expect(log.at(-1)!.versionHash).toBe(v2.hash);
    expect(await items(keys.approvals(id))).toHaveLength(2);
  });

  it('a scheduled launch needs approval too; schedule, cancel and exports are logged', async () => {
    const alice = await staffToken(['campaigner'], 'alice');
    const bob = await staffToken(['campaigner'], 'bob');
    const { id, version } = await createCampaign(alice, 'gov-schedule');
    // Two ministers whose addresses carry no verification date: staff are warned.
    const targets = await call('GET', `/api/campaigns/${id}/targets`, bob);
    expect(targets.json).toMatchObject({ windowDays: 90, officials: 2, unverified: 2, stale: 0 });
    expect(targets.json.warning).toContain('2 never verified');
    expect((await call('POST', `/api/campaigns/${id}/approve`, bob, '')).status).toBe(400);
    expect(
      (
        await call(
          'POST',
          `/api/campaigns/${id}/approve`,
          bob,
          JSON.stringify({ hash: version.hash }),
        )
      ).status,
    ).toBe(200);
    const at = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await call(
      'POST',
      `/api/campaigns/${id}/schedule`,
      alice,
      JSON.stringify({ at }),
    );
    expect(scheduled.status).toBe(200);
    expect(scheduled.json.status).toBe('scheduled');
    // A scheduled campaign cannot be edited; its letters get the version stamp as the launch queues them.
    const edit = await call(
      'POST',
      `/api/campaigns/${id}/edit`,
      alice,
      JSON.stringify({ recipients: { mode: 'append', csv: 'email\nlate@x.example.org\n' } }),
    );
    expect(edit.status).toBe(409);
    expect((await call('POST', `/api/campaigns/${id}/cancel`, bob, '{}')).status).toBe(200);
    expect((await call('GET', `/api/campaigns/${id}/export.csv`, bob)).status).toBe(200);
    const csv = await call('GET', `/api/campaigns/${id}/audit.csv`, bob);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('at,actor,action,versionHash,detail');
    const actions = (
      (await call('GET', `/api/campaigns/${id}/audit`, bob)).json.items as { action: string }[]
    ).map((e) => e.action);
    expect(actions).toEqual([
      'created',
      'approved',
      'scheduled',
      'cancelled',
      'exported',
      'exported',
    ]);
  });
});
