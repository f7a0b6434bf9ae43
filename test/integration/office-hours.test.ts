/**
 * Issue 10: scheduling takes the plan, and the sender keeps every letter
 * inside its recipient's office hours — on the real local services, with the
 * clock set to a winter Monday: Helsinki (UTC+2) opens at 06:00Z, Brussels
 * (UTC+1) at 07:00Z, Lisbon (UTC+0) at 08:00Z.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setDeps } from '../../functions/adapters/deps.js';
import { systemClock } from '../../functions/adapters/clock.js';
import { approveVersion } from '../../functions/core/governance/govern.js';
import { createCampaign } from '../../functions/core/launch.js';
import { releaseDueHeld } from '../../functions/core/held.js';
import { expireCampaign } from '../../functions/core/lifecycle.js';
import { PlanInfeasibleError } from '../../functions/core/planner/errors.js';
import { scheduleFromPlan } from '../../functions/core/planner/schedule.js';
import { inOfficeHours, DEFAULT_OFFICE_HOURS } from '../../functions/core/planner/time.js';
import { zoneForCountry } from '../../functions/core/planner/zones.js';
import { importRecipients } from '../../functions/core/recipients.js';
import { handler as scheduler } from '../../functions/scheduler/handler.js';
import { letterMjml } from '../support/fixtures.js';
import { belarusStatement } from '../support/staff.js';
import { mailsTo, perRecipient, useRuntime } from '../support/runtime.js';

const runtime = useRuntime({ schedulerTickMs: 0 });

let nowMs = 0;
function setClock(iso: string) {
  nowMs = Date.parse(iso);
}
afterEach(() => setDeps({ clock: systemClock }));

const COUNTRIES = ['FI', 'FI', 'BE', 'BE', 'PT', 'PT'];

async function draft(tag: string, deadline: string, countries = COUNTRIES) {
  const d = runtime().deps();
  const rows = ['email,name,organisation,country,group'];
  countries.forEach((c, i) =>
    rows.push(
      `office${i}@${tag}-${c.toLowerCase()}.example.org,Minister ${i},Ministry,${c},minister`,
    ),
  );
  const { recipients } = importRecipients(rows.join('\n'));
  const statement = belarusStatement(deadline);
  const { campaign } = await createCampaign(d, {
    statement,
    recipients,
    recipientCount: recipients.length,
    mjml: letterMjml(),
  });
  await approveVersion(d, campaign.id, 'reviewer@coalition.example.org');
  return { campaign, recipients };
}

/** One scheduler tick at the test clock's time, then the queue worked off. */
async function tickAt(iso: string) {
  setClock(iso);
  const result = await scheduler({ action: 'tick' });
  // A launch the tick began is queued by the launch function (in the background, locally).
  await runtime().jobs.drained();
  await runtime().queue.drained();
  return result;
}

describe('sending inside office hours', { timeout: 120_000 }, () => {
  it('schedules from the plan and holds each letter until its recipient’s office opens', async () => {
    const rt = runtime();
    setDeps({ clock: { now: () => new Date(nowMs) } });
    setClock('2027-01-11T05:30:00Z'); // Monday: every office is still closed
    const { campaign, recipients } = await draft('oh', '2027-01-13T17:00:00Z');
    const d = rt.deps();

    const { campaign: scheduled, plan } = await scheduleFromPlan(d, campaign.id, {
      rate: 10,
      actor: 'campaigner@coalition.example.org',
    });
    // The plan proposes the opening of the first office: Helsinki, 08:00 local.
    expect(plan!.feasible).toBe(true);
    expect(scheduled.scheduledAt).toBe('2027-01-11T06:00:00.000Z');
    const stored = (await d.store.getCampaign(campaign.id))!;
    expect(stored.status).toBe('scheduled');
    expect(stored.delivery).toEqual({ hours: DEFAULT_OFFICE_HOURS, zone: 'Europe/Brussels' });
    expect(stored.plan).toMatchObject({ feasible: true, letters: 6, start: scheduled.scheduledAt });
    expect(Date.parse(stored.plan!.finish!)).toBeLessThan(Date.parse(stored.plan!.deadline));

    // 06:00:30Z: the tick launches; Helsinki's letters go, the others are held.
    expect((await tickAt('2027-01-11T06:00:30Z')).launched).toContain(campaign.id);
    const addresses = recipients.map((r) => r.email);
    const byCountry = (c: string) => recipients.filter((r) => r.country === c);
    let counts = perRecipient(await mailsTo(rt, addresses));
    expect([...counts.keys()].sort()).toEqual(
      byCountry('FI')
        .map((r) => r.email)
        .sort(),
    );
    for (const r of byCountry('BE')) {
      const stored = (await d.store.getRecipient(campaign.id, r.id))!;
      expect(stored).toMatchObject({ state: 'held', holdUntil: '2027-01-11T07:00:00.000Z' });
    }
    for (const r of byCountry('PT')) {
      expect((await d.store.getRecipient(campaign.id, r.id))!.holdUntil).toBe(
        '2027-01-11T08:00:00.000Z',
      );
    }
    expect(await d.held.count(campaign.id)).toBe(4);

    // Before Brussels opens nothing is released; at 07:00:30Z Brussels' two letters go.
    expect((await tickAt('2027-01-11T06:59:00Z')).released).toBe(0);
    expect((await tickAt('2027-01-11T07:00:30Z')).released).toBe(2);
    counts = perRecipient(await mailsTo(rt, addresses));
    expect(counts.size).toBe(4);
    // A second tick at the same time queues nothing again (the released letters are sent).
    expect((await tickAt('2027-01-11T07:01:00Z')).released).toBe(0);

    expect((await tickAt('2027-01-11T08:00:30Z')).released).toBe(2);
    counts = perRecipient(await mailsTo(rt, addresses));
    expect([...counts.values()]).toEqual([1, 1, 1, 1, 1, 1]);
    expect(counts.size).toBe(6);

    // Every letter left inside its recipient's office hours, in their own zone.
    for (const r of recipients) {
      const sent = (await d.store.getRecipient(campaign.id, r.id))!;
      expect(sent.state).toBe('sent');
      expect(
        inOfficeHours(zoneForCountry(r.country)!, DEFAULT_OFFICE_HOURS, Date.parse(sent.sentAt!)),
      ).toBe(true);
    }
    expect(await d.held.count(campaign.id)).toBe(0);
    expect(await d.store.counters(campaign.id)).toMatchObject({ sent: 6, expired: 0 });
    expect((await d.store.getCampaign(campaign.id))!.status).toBe('completed');
  });

  it('a held letter whose job is lost is queued again after the lease; never twice', async () => {
    const rt = runtime();
    setDeps({ clock: { now: () => new Date(nowMs) } });
    setClock('2027-01-11T05:30:00Z');
    const { campaign, recipients } = await draft('lease', '2027-01-13T17:00:00Z', ['BE']);
    const d = rt.deps();
    await scheduleFromPlan(d, campaign.id, {
      rate: 10,
      at: new Date('2027-01-11T05:45:00Z'),
      actor: 'campaigner',
    });
    await tickAt('2027-01-11T05:45:10Z');
    expect((await d.store.getRecipient(campaign.id, recipients[0]!.id))!.state).toBe('held');
    // At 07:00:10Z the letter is released, but its job is lost on the way (a queue that drops it).
    setClock('2027-01-11T07:00:10Z');
    const lost = { enqueue: async () => undefined };
    expect(await releaseDueHeld({ ...d, queue: lost }, campaign.id)).toBe(1);
    // Within the lease the tick does not queue it; after the lease it does, and it goes once.
    expect((await tickAt('2027-01-11T07:05:00Z')).released).toBe(0);
    expect((await tickAt('2027-01-11T07:10:30Z')).released).toBe(1);
    expect((await tickAt('2027-01-11T07:30:00Z')).released).toBe(0);
    expect(perRecipient(await mailsTo(rt, [recipients[0]!.email])).get(recipients[0]!.email)).toBe(
      1,
    );
  });

  it('held letters expire at the deadline, never sent; the counts add up', async () => {
    const rt = runtime();
    setDeps({ clock: { now: () => new Date(nowMs) } });
    // Friday 16:30Z: Helsinki (18:30) is closed until Monday 06:00Z; the deadline is Monday 09:00Z.
    setClock('2027-01-15T16:30:00Z');
    const { campaign, recipients } = await draft('exp', '2027-01-18T09:00:00Z', ['FI', 'FI']);
    const d = rt.deps();
    await scheduleFromPlan(d, campaign.id, {
      rate: 10,
      at: new Date('2027-01-15T16:40:00Z'),
      actor: 'campaigner',
    });
    await tickAt('2027-01-15T16:40:10Z');
    expect(await d.held.count(campaign.id)).toBe(2);
    // The meeting is brought forward: the deadline passes before the office opens.
    setClock('2027-01-18T09:00:01Z');
    const { expired } = await expireCampaign(d, campaign.id);
    expect(expired).toBe(2);
    await tickAt('2027-01-18T09:00:30Z');
    expect(
      await mailsTo(
        rt,
        recipients.map((r) => r.email),
      ),
    ).toEqual([]);
    expect(await d.store.counters(campaign.id)).toMatchObject({ sent: 0, expired: 2 });
    expect(await d.held.count(campaign.id)).toBe(0);
  });

  it('refuses to schedule a plan that cannot fit, says by how much, and changes nothing', async () => {
    const rt = runtime();
    setDeps({ clock: { now: () => new Date(nowMs) } });
    setClock('2027-01-11T05:30:00Z');
    const countries = Array.from({ length: 27 }, (_, i) => ['FI', 'BE', 'PT'][i % 3]!);
    const { campaign } = await draft('nofit', '2027-01-11T12:00:00Z', countries);
    const d = rt.deps();
    const refused = scheduleFromPlan(d, campaign.id, { rate: 1 / 3600, actor: 'campaigner' });
    await expect(refused).rejects.toBeInstanceOf(PlanInfeasibleError);
    await expect(refused).rejects.toThrow(/would miss it/);
    const stored = (await d.store.getCampaign(campaign.id))!;
    expect(stored.status).toBe('draft');
    expect(stored.plan).toBeUndefined();
  });
});
