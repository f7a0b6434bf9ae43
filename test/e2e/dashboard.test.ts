/**
 * The staff dashboard in Chromium on the local runtime: the funnel of a sent
 * campaign as the store counts it, filters, a hostile reply shown as text,
 * the CSV export, live refresh, the plan, a viewer without controls, and
 * every page axe-clean and without sideways scrolling at desktop and phone
 * widths (screenshots under scratch/dashboard/).
 */
import { readFileSync } from 'node:fs';
import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../../functions/cli/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../functions/core/campaign.js';
import { createCampaign } from '../../functions/core/launch.js';
import { scheduleCampaign } from '../../functions/core/lifecycle.js';
import { importRecipients } from '../../functions/core/recipients.js';
import { createFollowUp } from '../../functions/core/followups/followup.js';
import { approveVersion } from '../../functions/core/governance/govern.js';
import { scheduleFromPlan } from '../../functions/core/planner/schedule.js';
import { parseStatement } from '../../functions/core/statement.js';
import { letterMjml } from '../support/fixtures.js';
import {
  axe,
  axeContext,
  DESKTOP,
  expectNoSideScroll,
  PHONE,
  SHOTS,
  shot,
  signIn,
  WAIT,
} from '../support/browser.js';
import { useRuntime } from '../support/runtime.js';
import { belarusStatement, mixedCsv, replyOverSmtp, sentCampaign } from '../support/staff.js';

const runtime = useRuntime();
const HOSTILE = `Thank you. <script>window.__pwned = 'script'</script> <img src=x onerror="window.__pwned = 'img'"> We will answer before the meeting.`;

let browser: Browser;
let campaign: Campaign;
let replyId: string;

beforeAll(async () => {
  campaign = await sentCampaign(runtime(), mixedCsv(24, 'dash'));
  const ngo = (await runtime().deps().store.recipientsPage(campaign.id)).items.find(
    (r) => r.group === 'ngo',
  )!;
  const reply = await replyOverSmtp(runtime(), campaign.id, ngo.email, {
    subject: `Re: Belarus <img src=x onerror="window.__pwned = 'subject'">`,
    text: HOSTILE,
    fromName: `<b onmouseover="window.__pwned='name'">Civic NGO</b>`,
  });
  replyId = reply.id;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** Opens the dashboard through the login link, as `npm start` prints it, and goes to the campaign. */
async function openCampaign(page: Page, groups: ('campaigner' | 'viewer')[] = ['campaigner']) {
  await signIn(page, runtime(), groups);
  await page.locator(`#list-body a[href="#/c/${campaign.id}"]`).click();
  await page.locator('#funnel-body tr[data-step="sent"]').waitFor();
  await page.locator('#replies-list li').first().waitFor();
}

const count = (page: Page, step: string) =>
  page.locator(`#funnel-body tr[data-step="${step}"] td.count`).textContent().then(Number);

describe('the staff dashboard in Chromium', () => {
  it('shows the funnel of a sent campaign as the store counts it, filters, opens a reply as text and exports CSV', async () => {
    const context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openCampaign(page);

    // The login link's token left the address bar; the user is shown.
    expect(page.url()).not.toContain('token=');
    await expect.poll(() => page.locator('#who').textContent(), WAIT).toContain('campaigner');

    const counters = await runtime().deps().store.counters(campaign.id);
    expect(await count(page, 'recipients')).toBe(24);
    expect(await count(page, 'sent')).toBe(counters.sent);
    expect(await count(page, 'delivered')).toBe(counters.delivered);
    expect(await count(page, 'opened')).toBe(counters.openedUnique);
    expect(await count(page, 'replied')).toBe(counters.replied);
    expect(await count(page, 'bounced')).toBe(counters.bouncedHard + counters.bouncedSoft);
    expect(counters.sent).toBe(24);
    expect(counters.replied).toBe(1);
    expect(await page.locator('#c-countdown').textContent()).toMatch(
      /\d+ d \d+ h .* until the deadline/,
    );
    expect(await page.locator('#chart canvas').count()).toBeGreaterThan(0);
    expect(await page.locator('#by-group tbody tr').count()).toBe(3);
    expect(await page.locator('#by-country tbody tr').count()).toBe(5);

    // Filter the table: NGOs only, then NGOs that replied.
    await page.selectOption('#filters select[name="group"]', 'ngo');
    await page.click('#filters button[type="submit"]');
    await expect.poll(() => page.locator('#recipients-body tr').count(), WAIT).toBe(8);
    const groups = await page.locator('#recipients-body tr td:nth-child(3)').allTextContents();
    expect(new Set(groups)).toEqual(new Set(['NGO']));
    // The filter is in the page's address: a reload or a shared link opens the same list.
    expect(page.url()).toContain('group=ngo');
    await page.selectOption('#filters select[name="replied"]', 'true');
    await page.click('#filters button[type="submit"]');
    await expect.poll(() => page.locator('#recipients-body tr').count(), WAIT).toBe(1);

    // A recipient's timeline.
    await page.locator('#recipients-body tr button').first().click();
    await expect
      .poll(() => page.locator('#timeline-list li').count(), WAIT)
      .toBeGreaterThanOrEqual(2);

    // The hostile reply shows as text and runs nothing.
    await page.locator(`#replies-list li[data-reply="${replyId}"] button`).click();
    await expect.poll(() => page.locator('#reply-text').textContent(), WAIT).toContain('<script>');
    expect(await page.locator('#reply-text').textContent()).toContain('<img src=x onerror=');
    expect(await page.locator('#reply-subject').textContent()).toContain('<img src=x');
    expect(await page.locator('#reply-text *').count()).toBe(0);
    expect(await page.locator('#reply-subject *').count()).toBe(0);
    expect(await page.locator('#replies-list li b, #reply img, #replies-list img').count()).toBe(0);
    expect(
      await page.evaluate(() => (globalThis as unknown as { __pwned?: string }).__pwned),
    ).toBeUndefined();

    // The CSP refuses inline script even if some were injected.
    await page.addScriptTag({ content: 'window.__inline = 1' }).catch(() => undefined);
    expect(
      await page.evaluate(() => (globalThis as unknown as { __inline?: number }).__inline),
    ).toBeUndefined();

    // Download the CSV: every recipient, with results.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^email,name,title,organisation,country,language,group,state/);
    expect(lines).toHaveLength(25);
    expect(lines.filter((l) => l.includes(',sent,'))).toHaveLength(24);

    await page.selectOption('#filters select[name="group"]', '');
    await page.selectOption('#filters select[name="replied"]', '');
    await page.click('#filters button[type="submit"]');
    await expect.poll(() => page.locator('#recipients-body tr').count(), WAIT).toBe(24);
    await shot(page, 'overview-desktop');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refreshes itself while a campaign is live: a counter that moves shows without a reload', async () => {
    const d = runtime().deps();
    const { recipients } = importRecipients(mixedCsv(3, 'live'));
    const { campaign: draft } = await createCampaign(d, {
      statement: belarusStatement(),
      recipients,
      recipientCount: recipients.length,
      mjml: letterMjml(),
    });
    const at = new Date(Date.parse(draft.statement.deadline) - 3_600_000);
    await scheduleCampaign(d, draft.id, at);
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, runtime(), ['viewer']);
    await page.goto(`${runtime().httpUrl}/dashboard/#/c/${draft.id}`);
    await page.locator('#funnel-body tr[data-step="sent"]').waitFor();
    expect(await page.locator('#c-status').textContent()).toBe('scheduled');
    expect(await page.locator('#c-refresh').textContent()).toMatch(/Updating every 5 seconds/);
    expect(await count(page, 'sent')).toBe(0);
    await d.store.addToCounter(draft.id, 'sent', 2);
    await expect.poll(() => count(page, 'sent'), { timeout: 20_000 }).toBe(2);
    await context.close();
  });

  it('shows the plan against the deadline, the letters held for office hours, and the follow-ups', async () => {
    const d = runtime().deps();
    const { recipients } = importRecipients(mixedCsv(3, 'plan'));
    const { campaign: draft } = await createCampaign(d, {
      statement: belarusStatement(),
      recipients,
      recipientCount: recipients.length,
      mjml: letterMjml(),
    });
    await approveVersion(d, draft.id, 'reviewer@coalition.example.org');
    const { plan } = await scheduleFromPlan(d, draft.id, { rate: 2, actor: 'campaigner' });
    const followUp = await createFollowUp(d, campaign.id, {
      statement: parseStatement('A reminder\n\nThe Council meets soon.\n', 'reminder.txt', {
        deadline: campaign.statement.deadline,
        subject: 'Reminder: our statement on Belarus',
        from: campaign.statement.from,
        replyToDomain: campaign.statement.replyToDomain,
        language: 'en',
      }),
      audience: 'not-opened',
      at: new Date(Date.parse(campaign.statement.deadline) - 86_400_000),
      mjml: letterMjml(),
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, runtime(), ['viewer']);
    await page.goto(`${runtime().httpUrl}/dashboard/#/c/${draft.id}`);
    await expect
      .poll(() => page.locator('#plan-summary').textContent(), WAIT)
      .toMatch(/^Planned: 3 letters/);
    const summary = (await page.locator('#plan-summary').textContent())!;
    expect(summary).toMatch(/before the deadline/);
    expect(plan!.feasible).toBe(true);
    expect(await page.locator('#plan-held').textContent()).toMatch(
      /office hours 08:00–18:00, in each recipient's own time zone\. 0 letters waiting/,
    );
    expect(await page.locator('#plan-zones tbody tr').count()).toBe(plan!.zones.length);
    // Each zone's times are in that zone, labelled with it.
    expect(
      await page.locator('#plan-zones tbody tr td:nth-child(3)').first().textContent(),
    ).toMatch(/^\d{1,2} \w{3} \d{4}, \d{2}:\d{2} \S/);
    await page.locator('#plan').screenshot({ path: `${SHOTS}/plan.png` });

    // The sent campaign lists its follow-up, with its audience and time.
    await page.goto(`${runtime().httpUrl}/dashboard/#/c/${campaign.id}`);
    const row = page.locator('#followups tbody tr', {
      hasText: 'Reminder: our statement on Belarus',
    });
    await row.waitFor();
    expect(await row.textContent()).toContain('recipients who have not opened');
    expect(await row.locator('a').getAttribute('href')).toBe(`#/c/${followUp.id}`);
    await context.close();
  });

  it('a viewer sees no write control anywhere; a page without a token asks to sign in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await openCampaign(page, ['viewer']);
    expect(await page.locator('nav.tabs a').allTextContents()).toEqual([
      'Overview',
      'Versions and audit log',
    ]);
    for (const tab of ['', '/letter', '/controls', '/approval']) {
      await page.goto(`${runtime().httpUrl}/dashboard/#/c/${campaign.id}${tab}`);
      await page.locator('#summary, #governance').first().waitFor();
      expect(await page.locator('[data-action], #controls, #letter, #schedule-form').count()).toBe(
        0,
      );
    }
    const anonymous = await context.newPage();
    await anonymous.goto(`${runtime().httpUrl}/dashboard/`);
    await anonymous.locator('#login').waitFor();
    expect(await anonymous.locator('#list').count()).toBe(0);
    await context.close();
  });

  it('every page is axe-clean (no serious or critical finding) and never scrolls sideways, at desktop and phone widths', async () => {
    const pages: [string, string, string][] = [
      ['list', '/dashboard/#/', '#list-body tr'],
      ['overview', `/dashboard/#/c/${campaign.id}`, '#funnel-body tr'],
      ['letter', `/dashboard/#/c/${campaign.id}/letter`, '#preview-frame'],
      ['controls', `/dashboard/#/c/${campaign.id}/controls`, '#approval-state'],
      ['approval', `/dashboard/#/c/${campaign.id}/approval`, '#audit tbody tr'],
    ];
    for (const [label, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const context = await axeContext(browser, viewport);
      const page = await context.newPage();
      await page.goto(`${runtime().httpUrl}/dashboard/`);
      await page.locator('#login').waitFor();
      expect(await axe(page, `login ${label}`), `login ${label}`).toEqual([]);
      await expectNoSideScroll(page, `login ${label}`);
      await signIn(page, runtime());
      for (const [name, path, ready] of pages) {
        await page.goto(`${runtime().httpUrl}${path}`);
        await page.locator(ready).first().waitFor();
        if (name === 'overview') {
          // The open reply and a timeline are part of the page staff use.
          await page.locator(`#replies-list li[data-reply="${replyId}"] button`).click();
          await page.locator('#reply-text').waitFor();
          await page.locator('#recipients-body tr button').first().click();
          await page.locator('#timeline-list li').first().waitFor();
        }
        await shot(page, `${name}-${label}`);
        await expectNoSideScroll(page, `${name} ${label}`);
        expect(await axe(page, `${name} ${label}`), `${name} ${label}`).toEqual([]);
      }
      await context.close();
    }
  });
});
