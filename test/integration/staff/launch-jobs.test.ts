/**
 * Launch through the API is a job: the route answers 202 at once, the launch
 * function queues page by page and records "queueing N of M", and a launch
 * that dies half-way (after a page went on the queue, before its step was
 * recorded) is resumed by the scheduler's tick and sends every letter once.
 */
import { describe, expect, it } from 'vitest';
import { runLaunch } from '../../../functions/core/governance/govern.js';
import { handler as scheduler } from '../../../functions/scheduler/handler.js';
import { mixedCsv } from '../../support/staff.js';
import { exampleStatement } from '../../support/fixtures.js';
import { mailsTo, perRecipient, useRuntime } from '../../support/runtime.js';
import { api, asStaff, until } from '../../support/api-client.js';

const runtime = useRuntime({ schedulerTickMs: 0 });

describe('a launch handed to the launch function', { timeout: 300_000 }, () => {
  it('killed half-way, is resumed by the tick and queues each letter once', async () => {
    const rt = runtime();
    const alice = await asStaff('alice', ['campaigner']);
    const bob = await asStaff('bob', ['campaigner']);
    const csv = mixedCsv(120, 'killed');
    const created = await api(rt, 'POST', '/api/campaigns', {
      token: alice,
      body: { statement: exampleStatement(), statementName: 'statement.md', recipientsCsv: csv },
    });
    expect(created.status).toBe(201);
    const id = (created.json.campaign as { id: string }).id;
    const hash = (created.json.version as { hash: string }).hash;
    expect(
      (await api(rt, 'POST', `/api/campaigns/${id}/approve`, { token: bob, body: { hash } }))
        .status,
    ).toBe(200);

    // The launch function dies after putting its fourth page (of 20) on the queue, before recording it.
    const pristine = rt.jobs.run;
    rt.jobs.run = (job) =>
      runLaunch(rt.deps(), job.campaignId, {
        pageSize: 20,
        afterEnqueue: async (step) => {
          if (step === 3) throw new Error('the launch function was killed');
        },
      });
    const launched = await api(rt, 'POST', `/api/campaigns/${id}/launch`, {
      token: alice,
      body: {},
    });
    expect(launched.status).toBe(202);
    await rt.jobs.drained();
    rt.jobs.run = pristine;
    const half = await api(rt, 'GET', `/api/campaigns/${id}`, { token: bob });
    expect(half.json).toMatchObject({ status: 'sending', progress: 'queueing 60 of 120' });
    expect(half.json.launch).toMatchObject({ state: 'queueing', queued: 60, total: 120, step: 3 });

    // Nothing moves it on until the scheduler's tick finds it standing still.
    const tick = await scheduler({ action: 'tick', stalledMs: 0 });
    expect(tick.resumed).toEqual([id]);
    await rt.jobs.drained();
    await until(
      () => rt.deps().store.getCampaign(id),
      (c) => c?.status === 'completed',
    );
    const mails = await mailsTo(
      rt,
      csv
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((l) => l.split(',')[0]!),
    );
    const counts = perRecipient(mails);
    expect(counts.size).toBe(120);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const counters = await rt.deps().store.counters(id);
    expect(counters).toMatchObject({ queued: 120, sent: 120 });
    const done = await api(rt, 'GET', `/api/campaigns/${id}`, { token: bob });
    expect(done.json.launch).toMatchObject({ state: 'queued', queued: 120, total: 120 });
    expect(done.json.progress).toBeUndefined();
    // Every letter carries the approved version's hash.
    const page = await rt.deps().store.recipientsPage(id, undefined, 500);
    expect(new Set(page.items.map((r) => r.versionHash))).toEqual(new Set([hash]));
  });
});
