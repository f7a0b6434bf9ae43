import { type Browser } from 'playwright-core';
import { launchChromium } from '../../../functions/cli/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDeps } from '../../../functions/adapters/deps.js';
import { systemClock } from '../../../functions/adapters/clock.js';
import type { TrackingPolicy } from '../../../functions/core/events/tracking.js';
import { launchCampaign } from '../../../functions/core/launch.js';
import { clickUrl, openPixelUrl } from '../../../functions/core/links.js';
import { mailsTo, useRuntime } from '../../support/runtime.js';
import { staffToken } from '../../support/staff.js';
import { METRIC } from '../../../functions/core/metrics.js';
import { groupCsv, storeCampaign } from './campaign.js';
import { parseKeyRing } from '../../../functions/core/key-ring.js';

const runtime = useRuntime();
const HUMAN_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** Stores, launches and fully delivers a campaign; returns it with each recipient's letter as the inbox holds it. */
async function sendOut(csv: string, tracking?: TrackingPolicy) {
  const rt = runtime();
  const d = rt.deps();
  const { campaign, recipients } = await storeCampaign(rt, csv, { status: 'draft', tracking });
  await launchCampaign(d, campaign.id);
  await rt.queue.drained();
  await rt.eventsQueue.drained();
  const mails = await mailsTo(
    rt,
    recipients.map((r) => r.email),
  );
  return { campaign, recipients, mails, d };
}

const pixelIn = (html: string) => /src="([^"]*\/t\/o\/[^"]+\.gif)"/.exec(html)?.[1];
const clickIn = (html: string) => /href="([^"]*\/t\/c\/[^"]+)"/.exec(html)?.[1];
/** The same token with one character of its MAC changed. */
const tamper = (url: string) =>
  url.replace(
    /\.([A-Za-z0-9_-])([A-Za-z0-9_-]*)(\.gif)?$/,
    (_m, c: string, rest: string, gif = '') => `.${c === 'A' ? 'B' : 'A'}${rest}${gif}`,
  );

describe('the local SES event source', () => {
  it('publishes Send and Delivery for every letter, and the mailbox simulator’s bounces, complaints and out-of-office reply', async () => {
    const csv = [
      'email,name,group',
      'bounce@simulator.amazonses.com,Bo Unce,ngo',
      'complaint@simulator.amazonses.com,Com Plaint,ngo',
      'suppressionlist@simulator.amazonses.com,Sup Pressed,ngo',
      'ooto@simulator.amazonses.com,Out Ofoffice,ngo',
      'success@simulator.amazonses.com,Suc Cess,ngo',
    ].join('\n');
    const { campaign, recipients, d } = await sendOut(csv);
    const state = async (email: string) => {
      const r = recipients.find((x) => x.email === email)!;
      return (await d.events.track(campaign.id, r.id))?.deliveryState;
    };
    expect(await state('bounce@simulator.amazonses.com')).toBe('bouncedHard');
    expect(await state('complaint@simulator.amazonses.com')).toBe('complained');
    expect(await state('suppressionlist@simulator.amazonses.com')).toBe('bouncedHard');
    expect(await state('ooto@simulator.amazonses.com')).toBe('delivered');
    expect(await state('success@simulator.amazonses.com')).toBe('delivered');
    expect(await d.store.counters(campaign.id)).toMatchObject({
      sent: 5,
      delivered: 3,
      bouncedHard: 2,
      complained: 1,
    });
    expect(await d.store.isSuppressed('bounce@simulator.amazonses.com')).toBe(true);
    expect(await d.store.isSuppressed('complaint@simulator.amazonses.com')).toBe(true);
    expect(await d.store.isSuppressed('success@simulator.amazonses.com')).toBe(false);
    const r = recipients.find((x) => x.email === 'complaint@simulator.amazonses.com')!;
    expect((await d.events.timeline(campaign.id, r.id)).map((e) => e.type)).toEqual([
      'send',
      'delivery',
      'complaint',
    ]);

    // ooto@ answers with an automatic out-of-office reply, which the inbound side matches and files.
    const ooto = recipients.find((x) => x.email === 'ooto@simulator.amazonses.com')!;
    let timeline = await d.events.timeline(campaign.id, ooto.id);
    for (let i = 0; i < 100 && !timeline.some((e) => e.type === 'reply'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      timeline = await d.events.timeline(campaign.id, ooto.id);
    }
    expect(timeline.map((e) => e.type)).toEqual(['send', 'delivery', 'reply']);
    expect(timeline[2]).toMatchObject({ source: 'inbound', replyKind: 'auto-reply' });
  });
});

/** The tracking routes' events reach the counters through the events queue: wait for it. */
const applied = () => runtime().eventsQueue.drained();

describe('first-party tracking', () => {
  it('records a person opening the letter from the inbox in a browser, and nothing for a forged pixel', async () => {
    const { campaign, recipients, mails, d } = await sendOut(groupCsv(2, 'ngo', 'reader'));
    const [reader, other] = recipients;
    const mail = mails.find((m) => m.destination.to[0] === reader!.email)!;
    const pixel = pixelIn(mail.body.html!);
    expect(pixel).toBeDefined();

    // A forged or altered pixel gets the same image and records nothing.
    const otherMail = mails.find((m) => m.destination.to[0] === other!.email)!;
    for (const url of [
      tamper(pixelIn(otherMail.body.html!)!),
      pixel!.replace(/\/t\/o\/[^~]+/, '/t/o/cForged'),
    ]) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/gif');
    }
    await applied();
    expect(await d.store.counters(campaign.id)).toMatchObject({
      openedUnique: 0,
      openedMachine: 0,
    });

    const context = await browser.newContext({ userAgent: HUMAN_UA });
    const page = await context.newPage();
    const fetched = page.waitForResponse((r) => r.url().includes('/t/o/'));
    await page.setContent(mail.body.html!, { waitUntil: 'load' });
    expect((await fetched).status()).toBe(200);
    await context.close();
    await applied();

    expect(await d.store.counters(campaign.id)).toMatchObject({
      openedUnique: 1,
      openedTotal: 1,
      openedMachine: 0,
    });
    const timeline = await d.events.timeline(campaign.id, reader!.id);
    expect(timeline.map((e) => e.type)).toEqual(['send', 'delivery', 'open']);
    expect(timeline[2]).toMatchObject({ source: 'pixel', actor: 'human' });
    expect((await d.events.timeline(campaign.id, other!.id)).map((e) => e.type)).toEqual([
      'send',
      'delivery',
    ]);
  });

  it('redirects a click only to the link in the letter, tells a scanner from a person, and refuses anything else', async () => {
    const { campaign, recipients, mails, d } = await sendOut(groupCsv(1, 'ngo', 'clicker'));
    const r = recipients[0]!;
    const url = clickIn(mails[0]!.body.html!);
    expect(url).toBeDefined();

    const go = (u: string) => fetch(u, { redirect: 'manual', headers: { 'user-agent': HUMAN_UA } });
    // Right after delivery: a security gateway following every link.
    const scanned = await go(url!);
    expect(scanned.status).toBe(302);
    expect(scanned.headers.get('location')).toBe('https://civic-space.example.org/recommendations');
    // An hour later: the person. Extra parameters never change where the redirect leads.
    setDeps({ clock: { now: () => new Date(Date.now() + 3_600_000) } });
    try {
      const clicked = await go(`${url}?url=https://evil.example/&u=https://evil.example/`);
      expect(clicked.headers.get('location')).toBe(
        'https://civic-space.example.org/recommendations',
      );
    } finally {
      setDeps({ clock: systemClock });
    }
    await applied();
    expect(await d.store.counters(campaign.id)).toMatchObject({
      clickedMachine: 1,
      clickedUnique: 1,
      clickedTotal: 1,
    });

    // A forged click token, and a genuine token for a link the letter does not have: refused, nothing recorded.
    const ctx = {
      publicUrl: runtime().httpUrl,
      keys: await d.keys(),
      campaignId: campaign.id,
      recipientId: r.id,
    };
    for (const bad of [
      tamper(url!),
      clickUrl(ctx, 7),
      clickUrl({ ...ctx, keys: parseKeyRing('x'.repeat(40)) }, 0),
    ]) {
      const res = await go(bad);
      expect(res.status).toBe(404);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).not.toContain('civic-space');
    }
    await applied();
    const timeline = await d.events.timeline(campaign.id, r.id);
    expect(timeline.filter((e) => e.type === 'click')).toHaveLength(2);
  });

  it('unsubscribes in one click (RFC 8058) once, and a forged token suppresses no one', async () => {
    const { campaign, recipients, mails, d } = await sendOut(groupCsv(2, 'ngo', 'leaver'));
    const [leaver, stayer] = recipients;
    const mail = mails.find((m) => m.destination.to[0] === leaver!.email)!;
    const url = /href="([^"]*\/u\/[^"]+)"/.exec(mail.body.html!)?.[1];
    expect(url).toBeDefined();

    const page = await fetch(url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="choice" id="choice-all" value="all"');
    expect(await d.store.isSuppressed(leaver!.email)).toBe(false); // a GET never unsubscribes

    const post = (u: string, body = 'List-Unsubscribe=One-Click') =>
      fetch(u, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    const stayerUrl = /href="([^"]*\/u\/[^"]+)"/.exec(
      mails.find((m) => m.destination.to[0] === stayer!.email)!.body.html!,
    )![1]!;
    const forged = await post(tamper(stayerUrl));
    const done = await post(url!);
    expect(forged.status).toBe(200);
    expect(await forged.text()).toBe(await done.text());
    expect((await post(url!, 'unsubscribe=please')).status).toBe(400);
    expect((await post(url!)).status).toBe(200);
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    expect((await fetch(url!, { method: 'POST', body: form })).status).toBe(200);

    expect(await d.store.isSuppressed(leaver!.email)).toBe(true);
    expect(await d.store.isSuppressed(stayer!.email)).toBe(false);
    await applied();
    expect(await d.store.counters(campaign.id)).toMatchObject({ unsubscribed: 1 });
    const entries = await d.events.timeline(campaign.id, leaver!.id);
    // The first stop is recorded; one-clicks on an address already stopped change nothing.
    expect(entries.filter((e) => e.type === 'unsubscribe')).toHaveLength(1);
  });

  it('records no open where the campaign switched opens off for the group', async () => {
    const { campaign, recipients, mails, d } = await sendOut(groupCsv(1, 'ngo', 'private'), {
      groups: { ngo: { opens: false } },
    });
    expect(pixelIn(mails[0]!.body.html!)).toBeUndefined();
    const ctx = {
      publicUrl: runtime().httpUrl,
      keys: await d.keys(),
      campaignId: campaign.id,
      recipientId: recipients[0]!.id,
    };
    const res = await fetch(openPixelUrl(ctx), { headers: { 'user-agent': HUMAN_UA } });
    expect(res.status).toBe(200);
    await applied();
    expect(await d.store.counters(campaign.id)).toMatchObject({ openedUnique: 0, openedTotal: 0 });
    expect((await d.events.timeline(campaign.id, recipients[0]!.id)).map((e) => e.type)).toEqual([
      'send',
      'delivery',
    ]);
  });

  it('records no open for officials unless the campaign switches opens on for them', async () => {
    const { campaign, recipients, mails, d } = await sendOut(groupCsv(1, 'minister', 'official'));
    expect(pixelIn(mails[0]!.body.html!)).toBeUndefined();
    const ctx = {
      publicUrl: runtime().httpUrl,
      keys: await d.keys(),
      campaignId: campaign.id,
      recipientId: recipients[0]!.id,
    };
    await fetch(openPixelUrl(ctx), { headers: { 'user-agent': HUMAN_UA } });
    await applied();
    expect(await d.store.counters(campaign.id)).toMatchObject({ openedUnique: 0, openedTotal: 0 });

    const opted = await sendOut(groupCsv(1, 'minister', 'optedin'), {
      groups: { minister: { opens: true } },
    });
    const pixel = pixelIn(opted.mails[0]!.body.html!);
    expect(pixel).toBeDefined();
    await fetch(pixel!, { headers: { 'user-agent': HUMAN_UA } });
    await applied();
    expect(await d.store.counters(opted.campaign.id)).toMatchObject({ openedUnique: 1 });
  });

  it('1,000 replays of one pixel token within a minute record one open, and the staff API keeps answering', async () => {
    const { campaign, recipients, mails, d } = await sendOut(groupCsv(1, 'ngo', 'replayed'));
    const pixel = pixelIn(mails[0]!.body.html!)!;
    const viewer = await staffToken(['viewer']);
    const stats = `${runtime().httpUrl}/api/campaigns/${campaign.id}/stats`;
    // However slow the machine, the replays all fall within one minute of the first.
    const t0 = Date.now();
    setDeps({ clock: { now: () => new Date(t0 + Math.min(Date.now() - t0, 59_000)) } });
    const repeatsBefore = runtime().metrics.total(METRIC.trackingRepeats);
    const pixels: number[] = [];
    const dashboard: number[] = [];
    try {
      for (let wave = 0; wave < 20; wave++) {
        const replays = Array.from({ length: 50 }, async () => {
          const res = await fetch(pixel, { headers: { 'user-agent': HUMAN_UA } });
          await res.arrayBuffer();
          return res.status;
        });
        const res = await fetch(stats, { headers: { authorization: `Bearer ${viewer}` } });
        await res.arrayBuffer();
        dashboard.push(res.status);
        pixels.push(...(await Promise.all(replays)));
      }
    } finally {
      setDeps({ clock: systemClock });
    }
    expect(pixels).toHaveLength(1000);
    expect(pixels.every((st) => st === 200)).toBe(true);
    expect(dashboard.every((st) => st === 200)).toBe(true);

    await applied();
    expect(runtime().eventsQueue.dlq).toHaveLength(0);
    expect(await d.store.counters(campaign.id)).toMatchObject({ openedUnique: 1, openedTotal: 1 });
    const opens = (await d.events.timeline(campaign.id, recipients[0]!.id)).filter(
      (e) => e.type === 'open',
    );
    expect(opens).toHaveLength(1);
    expect(runtime().metrics.total(METRIC.trackingRepeats) - repeatsBefore).toBe(999);
  });

  it('answers hostile paths neutrally, reflecting nothing', async () => {
    const base = runtime().httpUrl;
    const page = await fetch(`${base}/u/%3Cscript%3Ealert(1)%3C%2Fscript%3E`);
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain('script');
    const pixel = await fetch(`${base}/t/o/c1~r1%0D%0ASet-Cookie:%20x=1.AAAA.gif`);
    expect(pixel.status).toBe(200);
    expect(pixel.headers.get('set-cookie')).toBeNull();
    expect(pixel.headers.get('content-type')).toBe('image/gif');
    const click = await fetch(`${base}/t/c/${'A'.repeat(600)}`, { redirect: 'manual' });
    expect(click.status).toBe(404);
  });
});
