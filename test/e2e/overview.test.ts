/**
 * The campaign overview answers staff's questions first, in Chromium on the
 * local runtime, for a campaign whose letters met the SES mailbox simulator:
 * hard bounces, a complaint and an out-of-office reply, with a person's
 * reply and a reply matched by its sender alone. The summary band counts
 * what the store counts and links each problem to exactly its recipients;
 * times carry their zone; the chart spans the send-out, not the fortnight to
 * the deadline; replies are labelled in plain words; the page works from the
 * keyboard. And the local SES inbox, looked at, counts no open.
 */
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../functions/cli/browser.js';
import type { Campaign } from '../../functions/core/campaign.js';
import { openPixelUrl } from '../../functions/core/links.js';
import { formatWhen } from '../../templates/dashboard/src/format/time.js';
import { DESKTOP, focused, PHONE, shot, signIn, WAIT } from '../support/browser.js';
import { dkimSigned, dkimZone } from '../support/dkim.js';
import { deliver, fixture } from '../support/replies.js';
import { useRuntime } from '../support/runtime.js';
import { mixedCsv, replyOverSmtp, sentCampaign, settle } from '../support/staff.js';

const MINISTER_DOMAIN = 'ov-minister.example.org';
const runtime = useRuntime({ dns: dkimZone([MINISTER_DOMAIN]) });
let browser: Browser;
let campaign: Campaign;

const SIMULATED = [
  'bounce+one@simulator.amazonses.com,Hard Bounce One,Minister,Ministry One,FR,en,minister',
  'bounce+two@simulator.amazonses.com,Hard Bounce Two,,Office Two,DE,en,eu-institution',
  'complaint+ngo@simulator.amazonses.com,Spam Marker,,Angry NGO,PL,en,ngo',
  'ooto+away@simulator.amazonses.com,Away Person,,Holiday NGO,BE,en,ngo',
];

/** Waits until the campaign holds `n` replies. */
async function replies(n: number) {
  for (let i = 0; i < 300; i++) {
    const page = await runtime().deps().replies.listReplies(campaign.id, { limit: 50 });
    if (page.items.length >= n) return page.items;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`fewer than ${n} replies arrived`);
}

beforeAll(async () => {
  campaign = await sentCampaign(runtime(), mixedCsv(9, 'ov') + SIMULATED.join('\n') + '\n');
  await settle(runtime());
  await replies(1); // the out-of-office auto-reply
  const items = (await runtime().deps().store.recipientsPage(campaign.id)).items;
  const ngo = items.find((r) => r.group === 'ngo' && r.email.endsWith('example.org'))!;
  await replyOverSmtp(runtime(), campaign.id, ngo.email, {
    subject: 'Re: Belarus',
    text: 'Thank you for the statement.\nWe will raise it with the minister before the Council.\n\nBest regards',
  });
  // A reply to the bare reply domain: no token, no Message-ID; only its sender is a recipient.
  // Its domain signs it (DKIM, DMARC pass), so it is attached to that recipient as a weak,
  // unconfirmed match that counts nothing until a campaigner confirms it.
  const minister = items.find((r) => r.group === 'minister' && r.email.endsWith('example.org'))!;
  const to = `office@${campaign.statement.replyToDomain}`;
  const raw = await dkimSigned(fixture('no-in-reply-to.eml', minister, to), MINISTER_DOMAIN);
  await deliver(runtime(), raw, { from: minister.email, to: [to] });
  await replies(3);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

async function openOverview(page: Page) {
  await signIn(page, runtime(), ['viewer']);
  await page.locator(`#list-body a[href="#/c/${campaign.id}"]`).click();
  await page.locator('#attention li').first().waitFor();
}

const attention = (page: Page, key: string) =>
  page.locator(`#attention li[data-attention="${key}"] a`);

describe('the campaign overview', { timeout: 120_000 }, () => {
  it('counts what the store counts in the summary band, and each attention link opens exactly its recipients, focused', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openOverview(page);
    const c = await runtime().deps().store.counters(campaign.id);
    expect(c.bouncedHard).toBe(2);
    expect(c.complained).toBe(1);
    const figure = (id: string) =>
      page.locator(`#figures [data-figure="${id}"] .big`).textContent();
    expect(await figure('sent')).toBe(String(c.sent));
    expect(await figure('delivered')).toBe(String(c.delivered));
    expect(await figure('bounced')).toBe(String(c.bouncedHard + c.bouncedSoft));
    expect(await figure('replied')).toBe(String(c.replied));
    expect(await page.locator('#figures [data-figure="bounced"] .rate').textContent()).toBe(
      `${Math.round((100 * 2) / c.sent)} % of sent`,
    );
    expect(await attention(page, 'bouncedHard').textContent()).toBe(
      '2 hard bounces: the address does not exist',
    );
    expect(await attention(page, 'complained').textContent()).toBe('1 complaint: marked as spam');
    // Human replies nobody has handled yet: what the link's list (kind=human, handled=false) shows.
    const toHandle = (
      await runtime().deps().replies.listReplies(campaign.id, { limit: 500 })
    ).items.filter((r) => r.kind === 'human' && !r.handledBy).length;
    expect(toHandle).toBeGreaterThan(0);
    expect(await attention(page, 'replied').textContent()).toBe(
      toHandle === 1
        ? '1 human reply not yet handled: read it'
        : `${toHandle} human replies not yet handled: read them`,
    );
    await shot(page, 'overview-attention-desktop');

    await attention(page, 'bouncedHard').click();
    await expect.poll(() => page.url(), WAIT).toContain('delivery=bouncedHard');
    await expect
      .poll(() => page.locator('#recipients-body tr td:first-child button').allTextContents(), WAIT)
      .toEqual(expect.arrayContaining(['Hard Bounce One', 'Hard Bounce Two']));
    expect(await page.locator('#recipients-body tr').count()).toBe(2);
    expect(
      await page.locator('#recipients-body td[data-label="Delivery"]').allTextContents(),
    ).toEqual([
      // The SES diagnostic is in the row: no need to open the timeline to see why.
      'bounced (hard: the address does not exist): Permanent: General: smtp; 550 5.1.1 user unknown',
      'bounced (hard: the address does not exist): Permanent: General: smtp; 550 5.1.1 user unknown',
    ]);
    expect(await page.locator('#rcpt-note').textContent()).toBe(
      'Showing 1–2 of 2 matching, of 13 recipients.',
    );
    // Focus went to the list it opened, and the filter form shows the filter.
    await expect.poll(() => focused(page), WAIT).toMatch(/^h2#rcpt-h/);
    expect(await page.locator('#filters select[name="delivery"]').inputValue()).toBe('bouncedHard');
    await shot(page, 'overview-hard-bounces-desktop');

    await page.goBack();
    await attention(page, 'complained').click();
    await expect
      .poll(() => page.locator('#recipients-body tr td:first-child button').allTextContents(), WAIT)
      .toEqual(['Spam Marker']);
    expect(await page.locator('#recipients-body td[data-label="Delivery"]').textContent()).toBe(
      // The complaint's feedback type, as SES reports it, is in the row.
      'complained (marked as spam): abuse',
    );
    // Opens of ministers and EU institutions are not tracked: said so, not "not opened".
    await page.locator('#filters select[name="delivery"]').selectOption('');
    await page.locator('#filters select[name="group"]').selectOption('minister');
    await page.click('#filters button[type="submit"]');
    await expect
      .poll(() => page.locator('#recipients-body td[data-label="Opened"]').allTextContents(), WAIT)
      .toEqual(Array(4).fill('not tracked'));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows every time with its zone, and the zone menu switches them all', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await openOverview(page);
    const deadline = campaign.statement.deadline;
    expect(await page.locator('#c-deadline').textContent()).toBe(
      formatWhen(deadline, 'Europe/Brussels', { weekday: true }),
    );
    expect(await page.locator('#c-deadline').textContent()).toMatch(/ \d{2}:\d{2} Brussels$/);
    // The replies and recipients panels load their own data after the summary band.
    await expect.poll(() => page.locator('main time').count(), WAIT).toBeGreaterThanOrEqual(5);
    const times = await page.locator('main time').allTextContents();
    for (const t of times) expect(t).toMatch(/\d{2}:\d{2} Brussels$/);
    await page.locator('#zone-choice').selectOption('UTC');
    await expect
      .poll(() => page.locator('#c-deadline').textContent(), WAIT)
      .toBe(formatWhen(deadline, 'UTC', { weekday: true }));
    // The choice is kept for the next visit.
    await page.reload();
    await page.locator('#c-deadline').waitFor();
    expect(await page.locator('#c-deadline').textContent()).toMatch(/UTC$/);
    await page.locator('#zone-choice').selectOption('campaign');
    await page.close();
  });

  it('draws the chart from the launch to now, and zooms out to the deadline on demand', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await openOverview(page);
    const chart = page.locator('#chart');
    await page.locator('#chart canvas').first().waitFor();
    const from = Number(await chart.getAttribute('data-from'));
    const to = Number(await chart.getAttribute('data-to'));
    const launched =
      Date.parse((await runtime().deps().store.getCampaign(campaign.id))!.launchedAt!) / 1000;
    const deadline = Math.round(Date.parse(campaign.statement.deadline) / 1000);
    expect(Math.abs(from - launched)).toBeLessThan(2);
    // The series ends now (at least a minute after the launch, for a send-out shorter than that).
    expect(to).toBeLessThanOrEqual(Math.max(Date.now() / 1000, launched + 60) + 1);
    // The send-out fills the chart: its span is minutes, not the week to the deadline.
    expect(to - from).toBeLessThan(3600);
    await page.click('#chart-range');
    await expect.poll(() => chart.getAttribute('data-to').then(Number), WAIT).toBe(deadline);
    expect(await page.locator('#chart-range').getAttribute('aria-pressed')).toBe('true');
    expect(await chart.getAttribute('aria-label')).toMatch(/to the deadline: \d+ sent/);
    await page
      .locator('#chart-section')
      .screenshot({ path: `scratch/dashboard/chart-deadline.png` });
    await page.click('#chart-range');
    await expect
      .poll(() => chart.getAttribute('data-to').then(Number), WAIT)
      .toBeLessThan(deadline);
    await page.locator('#chart-section').screenshot({ path: `scratch/dashboard/chart-now.png` });
    await page.close();
  });

  it('labels replies in plain words and shows who wrote, with the reply kind filter', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    await openOverview(page);
    const items = page.locator('#replies-list li');
    await expect.poll(() => items.count(), WAIT).toBe(3);
    const text = (await items.allTextContents()).join('\n');
    expect(text).toContain('signed reply address');
    expect(text).toContain('same sender address, unverified');
    expect(text).toContain('automatic reply');
    expect(text).not.toMatch(/strong|weak|token/);
    // The first lines of what they wrote.
    expect(text).toContain('Thank you for the statement. We will raise it with the minister');

    await page.locator('#replies-list li', { hasText: 'Re: Belarus' }).locator('button').click();
    await expect.poll(() => focused(page), WAIT).toMatch(/^h3#reply-subject Re: Belarus/);
    await expect
      .poll(() => page.locator('#reply-person').textContent(), WAIT)
      .toMatch(/Nowak, Organisation \d+, \w\w \(NGO\)/);
    await shot(page, 'reply-phone');

    await page.locator('#replies-list li', { hasText: 'unverified' }).locator('button').click();
    await expect
      .poll(() => page.locator('#reply').textContent(), WAIT)
      .toContain('not counted until staff confirm it');

    await page.locator('#replies select[name="kind"]').selectOption('human');
    await expect.poll(() => page.url(), WAIT).toContain('kind=human');
    await expect.poll(() => items.count(), WAIT).toBe(2);
    expect(await items.allTextContents()).not.toContain(expect.stringContaining('automatic reply'));
    await page.close();
  });

  it('works from the keyboard: a skip link, the tabs, visible focus, focus on each new page', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await openOverview(page);
    // Opening the campaign put focus on its title; backwards from there, through the header, to the skip link.
    await expect.poll(() => focused(page), WAIT).toMatch(/^h1#c-title/);
    let guard = 0;
    while (!(await focused(page)).includes('Skip to the content') && guard++ < 10)
      await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toMatch(/^a# Skip to the content/);
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page), WAIT).toMatch(/^main#main/);
    // Forwards to the tabs; the focused one has a visible outline.
    guard = 0;
    while (!(await focused(page)).includes('Versions and audit log') && guard++ < 20)
      await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => {
      const g = globalThis as unknown as {
        document: { activeElement: unknown };
        getComputedStyle(e: unknown): { outlineStyle: string; outlineWidth: string };
      };
      const style = g.getComputedStyle(g.document.activeElement);
      return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    expect(outline.style).toBe('solid');
    expect(outline.width).toBeGreaterThanOrEqual(2);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url(), WAIT).toContain('/approval');
    await expect.poll(() => focused(page), WAIT).toMatch(/^h1#c-title/);
    await page.locator('#audit').waitFor();
    await page.close();
  });

  it('the local SES inbox shows the letters and fires no tracking pixel', async () => {
    const d = runtime().deps();
    const before = await d.store.counters(campaign.id);
    expect(before.openedTotal + before.openedMachine).toBe(0);
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(runtime().inboxUrl);
    // The inbox renders every HTML letter into a frame of its own page as it loads.
    await expect.poll(() => page.frames().length, { timeout: 20_000 }).toBeGreaterThan(10);
    const pixels: { src: string; loaded: boolean }[] = [];
    for (const frame of page.frames().slice(1))
      pixels.push(
        ...(await frame.evaluate(() =>
          [
            ...(
              globalThis as unknown as {
                document: {
                  querySelectorAll(
                    s: string,
                  ): Iterable<{ src: string; complete: boolean; naturalWidth: number }>;
                };
              }
            ).document.querySelectorAll('img[src*="/t/o/"]'),
          ].map((i) => ({ src: i.src, loaded: i.complete && i.naturalWidth > 0 })),
        )),
      );
    // The NGO letters carry a pixel, and the inbox shows them without loading it.
    expect(pixels.length).toBeGreaterThanOrEqual(3);
    expect(pixels.filter((p) => p.loaded)).toEqual([]);
    await page.waitForTimeout(1500);
    await settle(runtime());
    const after = await d.store.counters(campaign.id);
    expect(after.openedTotal + after.openedMachine + after.openedUnique).toBe(0);
    await shot(page, 'local-inbox');

    // Control: the same pixel, loaded by a browser as a mail program would, does count.
    const ngo = (await d.store.recipientsPage(campaign.id)).items.find(
      (r) => r.group === 'ngo' && r.email.endsWith('example.org'),
    )!;
    const pixel = openPixelUrl({
      publicUrl: runtime().httpUrl,
      keys: await d.keys(),
      campaignId: campaign.id,
      recipientId: ngo.id,
    });
    const control = await browser.newPage();
    await control.goto(pixel);
    await expect
      .poll(async () => {
        const c = await d.store.counters(campaign.id);
        return c.openedTotal + c.openedMachine;
      }, WAIT)
      .toBeGreaterThan(0);
    await control.close();
    await page.close();
  });
});
