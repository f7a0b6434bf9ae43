/**
 * The staff dashboard on a campaign of 3,000 recipients, in Chromium on the
 * local runtime. Twenty letters are really sent (the SES mailbox simulator
 * bounces two, one of them moves on to its fallback address, one is marked
 * as spam, one answers out of office; one NGO member unsubscribes on the
 * letter's own page); the other 2,980 recipients are written as delivered
 * letters through the same item shapes the store writes (with their search
 * words) and the counters moved to match, because sending 3,000 letters
 * through the local queue takes minutes. Three of them are held for office
 * hours. Staff find a person by part of their name, see each state in the
 * table, page through "1–50 of 3,000", mark a reply handled (the audit log
 * names them), get the report as a PDF, and the page is axe-clean and never
 * wider than a 375 px phone.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatchWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoClient } from '../../functions/adapters/dynamo-store.js';
import { searchIndex } from '../../functions/adapters/recipient-search.js';
import { keys, TABLE } from '../../functions/adapters/table-definition.js';
import { launchChromium } from '../../functions/cli/browser.js';
import type { Campaign } from '../../functions/core/campaign.js';
import { parseOfficeHours } from '../../functions/core/planner/time.js';
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
import { mailsTo, useRuntime } from '../support/runtime.js';
import { replyOverSmtp, sentCampaign, settle } from '../support/staff.js';

const runtime = useRuntime();
let browser: Browser;
let campaign: Campaign;
const SEEDED = 2_980;

const SENT = [
  'email,name,title,organisation,country,language,group,fallbackEmails',
  'bounce+moves@simulator.amazonses.com,Ilse Vandenberghe,Minister,Ministry of Foreign Affairs,BE,en,minister,success+office@simulator.amazonses.com',
  'bounce+gone@simulator.amazonses.com,Tomas Novak,,Permanent Representation,CZ,en,eu-institution,',
  'complaint+ngo@simulator.amazonses.com,Spam Marker,,Angry NGO,PL,en,ngo,',
  'ooto+away@simulator.amazonses.com,Away Person,,Holiday NGO,BE,en,ngo,',
  ...Array.from(
    { length: 16 },
    (_, i) =>
      `member${i}@board-ngo.example.org,Member ${i} Kowalczyk,,Civic Network ${i},PL,en,ngo,`,
  ),
].join('\n');

/** 2,980 delivered letters as the store and the events handler leave them, and counters to match. */
async function seed(id: string) {
  const db = dynamoClient({ region: 'eu-west-1', endpoint: runtime().dynamoEndpoint });
  const now = new Date().toISOString();
  const items: Record<string, unknown>[] = [];
  const groups = ['minister', 'eu-institution', 'ngo'] as const;
  const person = (i: number) => ({
    id: `seed${String(i).padStart(5, '0')}`,
    email: `official${i}@gov${i % 27}.example.org`,
    name: i === 1234 ? 'Aleksandra Wiśniewska-Zielińska' : `Official ${i} Berger`,
    organisation: `Ministry ${i % 27}`,
    country: ['FR', 'DE', 'PL', 'BE', 'LT'][i % 5],
    language: 'en',
    group: groups[i % 3],
  });
  const index = searchIndex(
    id,
    Array.from({ length: SEEDED }, (_, i) => person(i)),
  );
  items.push(...index.pages);
  for (let i = 0; i < SEEDED; i++) {
    const r = person(i);
    const held = i < 3;
    items.push({
      ...keys.recipient(id, r.id),
      type: 'recipient',
      campaignId: id,
      ...r,
      ...index.fields(r.id),
      ...(held
        ? {
            state: 'held',
            holdUntil: new Date(Date.now() + 3_600_000).toISOString(),
            heldAt: now,
            gsi1pk: `HELD#${id}`,
            gsi1sk: new Date(Date.now() + 3_600_000).toISOString(),
          }
        : {
            state: 'sent',
            messageId: `seeded-${i}`,
            sentAt: now,
            deliveredAt: now,
            deliveryState: 'delivered',
          }),
    });
  }
  for (let i = 0; i < items.length; i += 25) {
    let requests = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length) {
      const out = await db.send(
        new BatchWriteCommand({ RequestItems: { [runtime().table]: requests } }),
      );
      requests = (out.UnprocessedItems?.[runtime().table] ?? []) as typeof requests;
    }
  }
  const delivered = SEEDED - 3;
  await db.send(
    new UpdateCommand({
      TableName: runtime().table,
      Key: keys.counter(id, 0),
      UpdateExpression: 'ADD queued :q, sent :d, delivered :d',
      ExpressionAttributeValues: { ':q': SEEDED, ':d': delivered },
    }),
  );
  await db.send(
    new UpdateCommand({
      TableName: runtime().table,
      Key: keys.campaign(id),
      // Office hours, as a campaign scheduled from a plan has them: what letters are held for.
      UpdateExpression: 'ADD recipientCount :n SET delivery = :w',
      ExpressionAttributeValues: {
        ':n': SEEDED,
        ':w': { hours: parseOfficeHours('08:00-18:00', 'mon-fri'), zone: 'Europe/Brussels' },
      },
    }),
  );
  expect(TABLE.counterShards).toBeGreaterThan(0);
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`waited in vain for ${what}`);
}

beforeAll(async () => {
  campaign = await sentCampaign(runtime(), `${SENT}\n`);
  await settle(runtime());
  // One NGO member stops every letter on the letter's own page.
  browser = await launchChromium();
  const [letter] = await mailsTo(runtime(), ['member3@board-ngo.example.org']);
  const href = /href="([^"]*\/u\/[^"]+)"/.exec(letter!.body.html ?? '')![1]!.replace(/&amp;/g, '&');
  const page = await browser.newPage();
  await page.goto(href);
  await page.getByLabel(/^Every letter from/).check();
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.waitForSelector('h1');
  await page.close();
  await waitFor('the unsubscribe to be counted', async () =>
    (await runtime().deps().staffQueries.counters(campaign.id)).unsubscribed === 1
      ? true
      : undefined,
  );
  await waitFor('the fallback move', async () => {
    const page = await runtime()
      .deps()
      .staffQueries.recipients(campaign.id, { fallback: true }, undefined, 5);
    return page.items.length ? true : undefined;
  });
  await replyOverSmtp(runtime(), campaign.id, 'member7@board-ngo.example.org', {
    subject: 'Re: Belarus',
    text: 'Dear colleagues,\nwe co-sign and will raise it with our minister.\n\nOn Monday you wrote:\n> We are dismayed',
    fromName: 'Member 7 Kowalczyk',
  });
  await seed(campaign.id);
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

async function open(page: Page, hash = '') {
  await signIn(page, runtime(), ['campaigner']);
  await page.goto(`${runtime().httpUrl}/dashboard/#/c/${campaign.id}${hash}`);
  await page.locator('#attention li').first().waitFor();
}

const note = (page: Page) => page.locator('#rcpt-note').textContent();
const delivery = (page: Page) =>
  page.locator('#recipients-body td[data-label="Delivery"]').allTextContents();

describe('the staff dashboard at 3,000 recipients', { timeout: 240_000 }, () => {
  it('counts each attention item, and its link opens exactly that list', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await open(page);
    await expect.poll(() => note(page), WAIT).toBe('Showing 1–50 of 3,000 recipients.');
    const item = (key: string) => page.locator(`#attention li[data-attention="${key}"]`);
    // Both primaries bounced; one letter then moved on to its fallback address and needs nobody.
    await expect.poll(() => item('bouncedHard').textContent(), WAIT).toMatch(/^1 hard bounce:/);
    expect(await item('complained').textContent()).toMatch(/^1 complaint/);
    expect(await item('held').textContent()).toMatch(/^3 letters held/);
    // The member's reply; the out-of-office answer is no one's to handle.
    expect(await item('replied').textContent()).toMatch(/^1 human reply not yet handled/);
    expect(await page.locator('#unsubscribes').textContent()).toMatch(
      /1 recipient from every letter, 0 from follow-ups only/,
    );
    await shot(page, 'board-summary-desktop');

    await item('bouncedHard').locator('a').click();
    // The list the link opened: every row a hard bounce with its reason, Tomas Novak's among them.
    await expect
      .poll(async () => {
        const rows = await delivery(page);
        return (
          rows.length > 0 &&
          rows.every((t) => t.startsWith('bounced (hard: the address does not exist): '))
        );
      }, WAIT)
      .toBe(true);
    expect(
      await page.locator('#recipients-body td:first-child button').allTextContents(),
    ).toContain('Tomas Novak');
    expect((await delivery(page)).length).toBe(1);
    await expect
      .poll(() => note(page), WAIT)
      .toBe('Showing 1–1 of 1 matching, of 3,000 recipients.');
    await page.goBack();
    await item('held').locator('a').click();
    await expect.poll(() => delivery(page), WAIT).toHaveLength(3);
    expect((await delivery(page)).every((t) => t.startsWith('held until '))).toBe(true);
    await page.goBack();
    await page.locator('#unsubscribes a').first().click();
    await expect.poll(() => delivery(page), WAIT).toEqual(['delivered; unsubscribed']);
    await context.close();
  });

  it('finds a person by part of the name, shows every state, and pages through the 3,000', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await open(page, '?at=recipients');
    const search = page.locator('#filters input[name="q"]');
    await search.fill('wisniew');
    await search.press('Enter');
    await expect
      .poll(() => page.locator('#recipients-body td:first-child button').allTextContents(), WAIT)
      .toEqual(['Aleksandra Wiśniewska-Zielińska']);
    await expect
      .poll(() => note(page), WAIT)
      .toBe('Showing 1–1 of 1 matching, of 3,000 recipients.');
    await shot(page, 'board-search-desktop');

    // Sorting by name: the column head, then again for the other way. The hash
    // change reloads the list while the search's one row is still shown, and the
    // sort is clicked at once; the plain list's answer is held back so that it
    // lands after the sorted one, and must not replace it.
    const plain = (url: string) => /\/recipients\?/.test(url) && !url.includes('sort=');
    await page.route(
      (url) => plain(url.href) && url.searchParams.get('limit') === '50',
      async (route) => {
        await new Promise((r) => setTimeout(r, 1500));
        await route.continue();
      },
    );
    const late = page.waitForResponse((r) => plain(r.url()) && r.url().includes('limit=50'));
    await page.goto(`${runtime().httpUrl}/dashboard/#/c/${campaign.id}?at=recipients`);
    const names = () => page.locator('#recipients-body td:first-child button').allTextContents();
    const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
    const sorted = (order: 'up' | 'down') => async () => {
      const list = await names();
      const want = [...list].sort((a, b) => (order === 'up' ? 1 : -1) * collator.compare(a, b));
      return list.length === 50 && JSON.stringify(list) === JSON.stringify(want);
    };
    await page.locator('#recipients-table button[data-sort="name"]').click();
    await expect.poll(sorted('up'), WAIT).toBe(true);
    await late;
    await page.unrouteAll();
    await page.waitForTimeout(300);
    expect(await sorted('up')()).toBe(true);
    expect((await names())[0]).toBe('Aleksandra Wiśniewska-Zielińska');
    expect(await page.locator('#recipients-table th[aria-sort="ascending"]').textContent()).toMatch(
      /^Name/,
    );
    await expect.poll(() => note(page), WAIT).toBe('Showing 1–50 of 3,000 recipients.');
    await page.locator('#recipients-table button[data-sort="name"]').click();
    await expect.poll(sorted('down'), WAIT).toBe(true);
    expect((await names())[0]).not.toBe('Aleksandra Wiśniewska-Zielińska');
    await shot(page, 'board-sorted-desktop');

    const states = async (params: string, want: unknown[]) => {
      await page.goto(`${runtime().httpUrl}/dashboard/#/c/${campaign.id}?${params}&at=recipients`);
      await expect.poll(() => delivery(page), WAIT).toEqual(want);
    };
    await states('delivery=complained', [expect.stringMatching(/^complained \(marked as spam\)/)]);
    await states('fallback=true', [expect.stringMatching(/; sent to fallback address 1$/)]);
    await states('q=ilse', [expect.stringMatching(/fallback address 1/)]);
    await states('state=held', Array(3).fill(expect.stringMatching(/^held until /)));
    await states('unsubscribed=all', ['delivered; unsubscribed']);
    // Opens: officials' letters carry no pixel by default, and the table says so.
    await states('q=tomas', [expect.stringMatching(/^bounced/)]);
    expect(
      await page.locator('#recipients-body td[data-label="Opened"]').allTextContents(),
    ).toEqual(['not tracked']);
    await shot(page, 'board-states-desktop');

    await page.goto(`${runtime().httpUrl}/dashboard/#/c/${campaign.id}?at=recipients`);
    await expect.poll(() => note(page), WAIT).toBe('Showing 1–50 of 3,000 recipients.');
    await page.locator('#next').click();
    await expect.poll(() => note(page), WAIT).toBe('Showing 51–100 of 3,000 recipients.');
    await page.locator('#prev').click();
    await expect.poll(() => note(page), WAIT).toBe('Showing 1–50 of 3,000 recipients.');
    await context.close();
  });

  it('marks a reply handled, and the audit log shows who', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await open(page, '?kind=human&handled=false&at=replies');
    const li = page.locator('#replies-list li').first();
    await expect
      .poll(() => li.locator('.who-wrote').textContent(), WAIT)
      .toBe('Member 7 Kowalczyk, Civic Network 7, PL');
    expect(await li.locator('.excerpt').textContent()).toMatch(/^Dear colleagues, we co-sign/);
    await li.locator('button').click();
    await page.locator('#reply-handle').click();
    await expect
      .poll(() => page.locator('#reply-handled').textContent(), WAIT)
      .toMatch(/^Handled by staff-campaigner@example\.org \(staff-campaigner\)/);
    await shot(page, 'board-reply-handled-desktop');
    // Handled, it leaves "needs attention".
    await page.goto(`${runtime().httpUrl}/dashboard/#/c/${campaign.id}`);
    await page.locator('#attention li').first().waitFor();
    await expect
      .poll(() => page.locator('#attention li[data-attention="replied"]').count(), WAIT)
      .toBe(0);
    await page.goto(`${runtime().httpUrl}/dashboard/#/c/${campaign.id}/approval`);
    await expect
      .poll(() => page.locator('#audit tbody tr').allTextContents(), WAIT)
      .toEqual(
        expect.arrayContaining([
          expect.stringMatching(/staff-campaigner.*handled-reply|handled-reply.*staff-campaigner/),
        ]),
      );
    await context.close();
  });

  it('gets the report to print, and the browser prints it as a PDF', async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    await open(page);
    const html = page.waitForResponse((r) => r.url().endsWith('/report.html'));
    await page.locator('#report-pdf').click();
    const res = await html;
    expect(res.status()).toBe(200);
    const frame = page.locator('#report-frame');
    await frame.waitFor({ state: 'attached' });
    expect(await frame.getAttribute('sandbox')).toBe('allow-same-origin allow-modals');
    // What the print dialog saves: the same page printed by Chromium.
    const printer = await context.newPage();
    await printer.setContent(await res.text());
    const pdf = await printer.pdf({ format: 'A4', printBackground: true });
    mkdirSync(SHOTS, { recursive: true });
    const file = join(SHOTS, 'board-report.pdf');
    writeFileSync(file, pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toMatch(/\b3000\b/);
    expect(text).toContain('recipients');
    expect(text).toContain('1 unsubscribed from every letter');
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '50',
      '-f',
      '1',
      '-l',
      '1',
      file,
      join(SHOTS, 'board-report'),
    ]);
    await context.close();
  });

  it('is axe-clean and never wider than a 375 px phone', async () => {
    for (const [label, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const context = await axeContext(browser, viewport);
      const page = await context.newPage();
      await open(page, '?delivery=bouncedHard&at=recipients');
      await page.locator('#recipients-body tr').first().waitFor();
      await page.locator('#replies-list li button').first().click();
      await page.locator('#reply-text').waitFor();
      await shot(page, `board-overview-${label}`);
      await expectNoSideScroll(page, `board ${label}`);
      if (label === 'phone')
        expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(375);
      expect(await axe(page, `board ${label}`), `board ${label}`).toEqual([]);
      await context.close();
    }
  });
});
