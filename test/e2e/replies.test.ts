import { mkdirSync } from 'node:fs';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../functions/cli/browser.js';
import type { Reply } from '../../functions/core/replies/types.js';
import { repoPath } from '../support/fixtures.js';
import { dkimSigned, dkimZone } from '../support/dkim.js';
import {
  deliver,
  fixture,
  REPLY_DOMAIN,
  sentCampaign,
  type SentCampaign,
} from '../support/replies.js';
import { useRuntime } from '../support/runtime.js';
import { staffToken } from '../support/staff.js';

const TAG = 'dw6';
const runtime = useRuntime({
  dns: dkimZone(['fr', 'de', 'pl', 'es', 'se', 'it'].map((c) => `${TAG}-${c}.example.org`)),
});
const SHOTS = repoPath('scratch/dashboard');
/** The page answers after API calls: a loaded machine needs more than expect.poll's second. */
const WAIT = { timeout: 20_000 };

let browser: Browser;
let c: SentCampaign;
let weak: Reply;

beforeAll(async () => {
  c = await sentCampaign(runtime(), 3, TAG);
  const r = c.recipients[1]!;
  const info = `info@${REPLY_DOMAIN}`;
  const raw = await dkimSigned(fixture('no-in-reply-to.eml', r, info), r.email.split('@')[1]!);
  const res = await deliver(runtime(), raw, { from: r.email, to: [info] });
  const id = /queued as (\S+)/.exec(res.response)![1]!;
  weak = (await runtime().deps().replies.listReplies(c.id)).items.find((x) =>
    x.raw.key.endsWith(id),
  )!;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('a weak reply match on the dashboard', () => {
  it('is marked unconfirmed, counts nothing, and a campaigner confirms it (then it counts)', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(
      `${runtime().httpUrl}/dashboard/#token=${await staffToken(['campaigner'], 'carla')}`,
    );
    await page.locator(`#list-body a[href="#/c/${c.id}"]`).click();
    const item = page.locator(`#replies-list li[data-reply="${weak.id}"]`);
    await expect.poll(() => item.textContent(), WAIT).toContain('same sender address, unverified');
    expect(await item.locator('.weak').count()).toBe(1);
    await item.locator('button').click();
    await expect
      .poll(
        async () =>
          `${await page.locator('#reply-match').textContent()} ${await page.locator('#reply-confirm-result').textContent()}`,
        WAIT,
      )
      .toMatch(/^weak match, unconfirmed/);
    expect(await page.locator('#reply-match').getAttribute('class')).toBe('match weak');
    expect(await page.locator('#reply-sender').textContent()).toMatch(
      /sender authenticated: DMARC pass · DKIM pass/,
    );
    expect(await page.locator('#reply-confirm-box').isVisible()).toBe(true);
    mkdirSync(SHOTS, { recursive: true });
    await page.locator('#reply').screenshot({ path: `${SHOTS}/reply-weak.png` });
    expect((await runtime().deps().store.counters(c.id)).replied).toBe(0);

    await page.locator('#reply-confirm').click();
    await expect
      .poll(
        async () =>
          `${await page.locator('#reply-match').textContent()} ${await page.locator('#reply-confirm-result').textContent()}`,
        WAIT,
      )
      .toMatch(/^weak match confirmed by carla@example.org/);
    expect(await page.locator('#reply-confirm-box').isVisible()).toBe(false);
    await page.locator('#reply').screenshot({ path: `${SHOTS}/reply-confirmed.png` });
    expect((await runtime().deps().store.counters(c.id)).replied).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });
});
