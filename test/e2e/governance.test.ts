/**
 * The dashboard's versions and approval in Chromium: a second campaigner
 * sees the version is not approved and that officials' addresses are out of
 * date, approves it with the button, and the audit log shows each step as
 * text (the author's name, hostile markup included, stays text).
 */
import { type Browser } from 'playwright-core';
import { launchChromium } from '../../functions/cli/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordVersion } from '../../functions/core/governance/govern.js';
import { createCampaign } from '../../functions/core/launch.js';
import { importRecipients } from '../../functions/core/recipients.js';
import { letterMjml } from '../support/fixtures.js';
import { useRuntime } from '../support/runtime.js';
import { belarusStatement, staffToken } from '../support/staff.js';
import { shot, WAIT } from '../support/browser.js';

const runtime = useRuntime();
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('the governance panel', { timeout: 120_000 }, () => {
  it('a second campaigner sees an unapproved version and stale targets, approves it, and the log shows it', async () => {
    const d = runtime().deps();
    const { recipients } = importRecipients(
      'email,name,group,lastVerified\nold@gov-e2e.example.org,Old Minister,minister,2024-01-02\nngo@gov-e2e.example.org,NGO,ngo,\n',
    );
    const { campaign } = await createCampaign(d, {
      statement: belarusStatement(),
      recipients,
      recipientCount: recipients.length,
      mjml: letterMjml(),
    });
    const author = `<img src=x onerror="window.__pwned=1">alice@example.org`;
    await recordVersion(d, campaign.id, author, 'created');

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const token = await staffToken(['campaigner'], 'bob');
    await page.goto(`${runtime().httpUrl}/dashboard/#token=${token}`);
    await page.locator(`#list-body a[href="#/c/${campaign.id}"]`).click();
    // The overview says an official's address is stale, and leads to the versions page.
    await page.locator('#attention li[data-attention="stale"] a').click();
    await page.locator('#audit tbody tr').first().waitFor();
    await expect
      .poll(() => page.locator('#gov-version').textContent(), WAIT)
      .toContain('not approved yet');
    expect(await page.locator('#gov-version').textContent()).toContain(author);
    expect(await page.locator('#gov-targets').textContent()).toContain(
      'old@gov-e2e.example.org (2024-01-02)',
    );

    await page.locator('a[data-tab="controls"]').click();
    await page.locator('#controls [data-action="approve"]').click();
    await page.locator('#approval-state', { hasText: 'approved by bob@example.org' }).waitFor();
    await page.locator('a[data-tab="approval"]').click();
    await page.locator('#gov-version', { hasText: 'approved by bob@example.org' }).waitFor();
    await page.locator('#audit tbody tr').nth(1).waitFor();
    const rows = await page.locator('#audit tbody tr td:nth-child(3)').allTextContents();
    expect(rows).toEqual(['created', 'approved']);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBe(
      undefined,
    );
    await shot(page, 'approval-after');
    expect(errors).toEqual([]);
    await page.close();
  });
});
