/**
 * The dashboard's way out of stuck letters and pauses, driven in Chromium: a
 * campaign SES paused for the account shows why and what fixes it; a failed
 * and an unknown letter are listed with their reason; the unknown one goes
 * again only after a confirmation that says it may arrive twice; preflight
 * lists its checks.
 */
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDeps } from '../../functions/adapters/deps.js';
import { launchChromium } from '../../functions/cli/browser.js';
import { createCampaign, launchCampaign } from '../../functions/core/launch.js';
import { pauseForFault } from '../../functions/core/lifecycle.js';
import { sweepStaleClaims } from '../../functions/core/reconcile.js';
import { importRecipients } from '../../functions/core/recipients.js';
import { MailOutcomeUnknownError } from '../../functions/core/errors.js';
import type { Mailer, OutgoingLetter } from '../../functions/core/ports.js';
import { letterMjml } from '../support/fixtures.js';
import { axe, axeContext, focused, shot, WAIT } from '../support/browser.js';
import { mailsTo, perRecipient, useRuntime } from '../support/runtime.js';
import { useSesProxy } from '../support/ses-proxy.js';
import { belarusStatement, mixedCsv, settle, staffToken } from '../support/staff.js';

const runtime = useRuntime({ schedulerTickMs: 0 });
const throughProxy = useSesProxy(runtime);

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('the dashboard for stuck letters', { timeout: 300_000 }, () => {
  it('shows the pause reason, lists failed and unknown letters, and resends the unknown one only after a confirmation', async () => {
    const { recipients } = importRecipients(mixedCsv(6, 'dashstuck'));
    const [refused, lost] = [recipients[1]!, recipients[4]!];
    const proxy = await throughProxy({ rejectTo: new Set([refused.email]) });
    const real = runtime().deps().mailer;
    const mailer: Mailer = {
      send: (l: OutgoingLetter) =>
        l.to === lost.email
          ? Promise.reject(new MailOutcomeUnknownError('socket hang up'))
          : real.send(l),
    };
    setDeps({ mailer });
    const d = runtime().deps();
    const { campaign } = await createCampaign(d, {
      statement: belarusStatement(),
      recipients,
      recipientCount: recipients.length,
      mjml: letterMjml(),
      configurationSet: d.config.configurationSet,
    });
    await launchCampaign(d, campaign.id);
    await settle(runtime());
    await sweepStaleClaims(d, campaign.id, 0);
    proxy.faults.rejectTo = undefined;
    setDeps({ mailer: real });
    // As the sender does when SES refuses the account (core/send.ts), for the reason shown.
    await d.store.transition(campaign.id, ['completed'], 'sending', new Date().toISOString());
    await pauseForFault(
      runtime().deps(),
      campaign.id,
      'paused by demarche: SES refused to send (SendingPausedException: Sending is paused for this account.). To fix: re-enable sending; then resume the campaign',
    );

    const context = await axeContext(browser, { width: 1280, height: 900 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${runtime().httpUrl}/dashboard/#token=${await staffToken(['campaigner'])}`);
    await page.locator(`#list-body a[href="#/c/${campaign.id}"]`).click();
    await page.locator('#stuck-body tr').nth(1).waitFor(WAIT);
    expect(await page.locator('#c-paused').textContent()).toContain('SendingPausedException');
    expect(
      await page.locator(`#stuck-body tr[data-stuck="${refused.id}"]`).textContent(),
    ).toContain('MessageRejected');
    // "Needs attention" links to this panel.
    await page.locator('#attention a[href*="at=stuck"]').first().click();
    await expect.poll(() => focused(page), WAIT).toMatch(/^h2#stuck-h/);
    await shot(page, 'stuck-overview');
    expect(await axe(page, 'stuck letters')).toEqual([]);

    const lostRow = page.locator(`#stuck-body tr[data-stuck="${lost.id}"]`);
    await lostRow.locator('button', { hasText: 'Send again' }).click();
    const dialog = page.locator('dialog#duplicate');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('twice');
    // Going back sends nothing.
    await dialog.locator('button', { hasText: 'Go back' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await lostRow.count()).toBe(1);
    await lostRow.locator('button', { hasText: 'Send again' }).click();
    await page.locator('#duplicate-go').click();
    await lostRow.waitFor({ state: 'detached', ...WAIT });
    await expect
      .poll(() => page.locator('#stuck-result').textContent(), WAIT)
      .toBe('1 letter sent again.');
    await page
      .locator(`#stuck-body tr[data-stuck="${refused.id}"] button`, { hasText: 'Send again' })
      .click();
    await expect
      .poll(() => page.locator('#stuck').textContent(), WAIT)
      .toContain('No letter needs a decision any more.');

    await page.locator('a[data-tab="controls"]').click();
    await page.locator('#preflight-run').click();
    await page.locator('#preflight li[data-check="dmarc"]').waitFor(WAIT);
    await shot(page, 'stuck-preflight');
    expect(errors).toEqual([]);
    await context.close();

    // Paused: the letters wait for the resume, then each goes once.
    const { resumeCampaign } = await import('../../functions/core/lifecycle.js');
    await resumeCampaign(runtime().deps(), campaign.id);
    await settle(runtime());
    const counts = perRecipient(
      await mailsTo(
        runtime(),
        recipients.map((r) => r.email),
      ),
    );
    expect([...counts.values()]).toEqual(Array(6).fill(1));
    const log = (await d.governance.auditLog(campaign.id)).items;
    // Under the signed-in person: their verified sub, with their email as a label.
    expect(
      log.filter((e) => e.action === 'resent').map((e) => `${e.actorEmail} (${e.actor})`),
    ).toEqual([
      'staff-campaigner@example.org (staff-campaigner)',
      'staff-campaigner@example.org (staff-campaigner)',
    ]);
  });
});
