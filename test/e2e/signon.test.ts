/**
 * Coalition sign-on in Chromium, as the people involved do it: Alice opens
 * sign-on in the dashboard; an organisation signs from the public link in
 * French and confirms from the email in the local SES inbox; another signs
 * and never confirms; a third confirms and Alice rejects it; Alice approves
 * the first, closes sign-on, and the letter preview lists it in every
 * language. Bob approves, Alice renames the organisation (the approval no
 * longer covers the list), Bob approves again, and the sent letters list it
 * in both languages; the unconfirmed and the rejected never appear. Alice
 * turns the open-letter page on; after the send-out it lists the organisation.
 * Screenshots are kept in scratch/signon/ to be looked at.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../functions/cli/browser.js';
import { apiCall } from '../support/api.js';
import { axe, axeContext, expectNoSideScroll, PHONE, WAIT } from '../support/browser.js';
import { repoPath } from '../support/fixtures.js';
import { bilingualDraft } from '../support/signon.js';
import { mailsTo, useRuntime } from '../support/runtime.js';
import { settle, staffToken } from '../support/staff.js';

const SHOTS = repoPath('scratch/signon');
const runtime = useRuntime();
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

const VIASNA = 'Правозащитный центр «Весна»';

describe('coalition sign-on in the browser', { timeout: 300_000 }, () => {
  it('sign on in French, confirm from the inbox, approve, close; previews and sent letters list it', async () => {
    const alice = await staffToken(['campaigner'], 'alice');
    const bob = await staffToken(['campaigner'], 'bob');
    const call = (method: string, path: string, token: string, body?: unknown) =>
      apiCall(runtime().httpUrl, method, path, token, body);
    const id = await bilingualDraft(
      runtime().httpUrl,
      alice,
      'email,name,organisation,group,country,language\nana@ngo-e2e.example.org,Ana Pop,Civic Forum,ngo,RO,en\nclaire@mfa-e2e.example.org,Claire Roux,,minister,FR,fr\n',
    );

    // Alice opens sign-on from the dashboard and reads the invite link there.
    const staff = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    staff.on('pageerror', (e) => errors.push(e.message));
    await staff.goto(`${runtime().httpUrl}/dashboard/#token=${alice}`);
    await staff.locator(`#list-body a[href="#/c/${id}"]`).click();
    await staff.locator('a[data-tab="signon"]').click();
    await staff.locator('#so-open').click();
    await staff.locator('#so-state', { hasText: 'Open until' }).waitFor(WAIT);
    const invite = await staff.locator('#so-link').inputValue();
    expect(invite).toMatch(/\/s\/[^/]+$/);

    // The organisation signs in French, from a browser that asks for French.
    const visitor = await browser.newContext({
      locale: 'fr-FR',
      viewport: { width: 1280, height: 900 },
    });
    const page = await visitor.newPage();
    await page.goto(invite);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await page.locator('h2', { hasText: 'Signer au nom de votre organisation' }).waitFor();
    await page.fill('#f-name', VIASNA);
    await page.fill('#f-latin', 'Human Rights Centre Viasna');
    await page.selectOption('#f-country', 'BY');
    await page.selectOption('#f-type', 'ngo');
    await page.fill('#f-website', 'https://spring96.example.org');
    await page.fill('#f-contactName', 'Nasta Loika');
    await page.fill('#f-contactEmail', 'contact@spring96.example.org');
    await shot(page, '1-form-fr');
    // Without the consent ticked the form comes back with the problem named, values kept.
    await page.click('button[type=submit]');
    await page.locator('#problems', { hasText: 'Consentement' }).waitFor();
    expect(await page.inputValue('#f-name')).toBe(VIASNA);
    await shot(page, '2-form-refused-fr');
    await page.check('#f-consent');
    await page.click('button[type=submit]');
    await page.locator('h1', { hasText: 'Consultez votre messagerie' }).waitFor();
    await shot(page, '3-sent-fr');

    // Two more: one never confirms, one confirms and is rejected.
    for (const [name, email] of [
      ['Never Confirmed Org', 'never@never-e2e.example.org'],
      ['Rejected Org', 'spam@rejected-e2e.example.org'],
    ] as const) {
      const res = await fetch(invite, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
        body: new URLSearchParams({
          name,
          country: 'DE',
          type: 'ngo',
          contactName: 'X',
          contactEmail: email,
          consent: 'yes',
        }).toString(),
      });
      expect(res.status).toBe(303);
    }

    // The confirmation, from the email as the local SES inbox shows it.
    const inbox = await visitor.newPage();
    await inbox.goto(runtime().inboxUrl);
    let confirm: string | undefined;
    await expect
      .poll(async () => {
        for (const frame of inbox.frames().slice(1)) {
          const hrefs = await frame
            .evaluate(() =>
              [
                ...(
                  globalThis as unknown as {
                    document: {
                      querySelectorAll(s: string): Iterable<{ textContent: string | null }>;
                    };
                  }
                ).document.querySelectorAll('p'),
              ].map((p) => p.textContent ?? ''),
            )
            .catch(() => [] as string[]);
          const text = hrefs.join('\n');
          if (text.includes('Nasta Loika')) confirm = /https?:\/\/\S+\/s\/c\/\S+/.exec(text)?.[0];
        }
        return confirm;
      }, WAIT)
      .toBeTruthy();
    await shot(inbox, '4-inbox');
    await page.goto(confirm!);
    await page.locator('button', { hasText: 'Confirmer la signature' }).waitFor();
    await shot(page, '5-confirm-fr');
    await page.click('button');
    await page.locator('h1', { hasText: 'la signature est confirmée' }).waitFor();
    const [rejected] = await mailsTo(runtime(), ['spam@rejected-e2e.example.org']);
    const rejectedLink = /https?:\/\/\S+\/s\/c\/\S+/.exec(rejected!.body.text ?? '')![0];
    expect((await fetch(rejectedLink, { method: 'POST' })).status).toBe(200);

    // The public page now lists the confirmed organisations, never the unconfirmed one.
    await page.goto(invite);
    expect(await page.locator('ul.signed').textContent()).toContain(VIASNA);
    expect(await page.content()).not.toContain('Never Confirmed Org');
    await shot(page, '6-page-with-signatories-fr');
    const phone = await browser.newPage({ viewport: PHONE, locale: 'fr-FR' });
    await phone.goto(invite);
    await expectNoSideScroll(phone, 'the sign-on page on a phone');
    await shot(phone, '7-page-phone-fr');
    // The README's pictures: the public page on a phone, and (below) the dashboard's tab.
    await phone.locator('ul.signed').scrollIntoViewIfNeeded();
    await phone.screenshot({ path: `${SHOTS}/readme-signon-page.png` });
    const ax = await (await axeContext(browser, PHONE)).newPage();
    await ax.goto(invite);
    expect(await axe(ax, 'the sign-on page')).toEqual([]);

    // Alice approves one, rejects another, and closes sign-on.
    await staff.reload();
    await staff.locator('#so-table tbody tr').nth(2).waitFor(WAIT);
    const row = (name: string) => staff.locator('#so-table tbody tr', { hasText: name });
    await row(VIASNA).locator('button', { hasText: 'Approve' }).click();
    await row(VIASNA).locator('td[data-label="State"]', { hasText: 'approved' }).waitFor(WAIT);
    await row('Rejected Org').locator('button', { hasText: 'Reject' }).click();
    await row('Rejected Org')
      .locator('td[data-label="State"]', { hasText: 'rejected' })
      .waitFor(WAIT);
    expect(await row('Never Confirmed Org').locator('button', { hasText: 'Approve' }).count()).toBe(
      0,
    );
    await shot(staff, '8-dashboard-signon');
    await staff.locator('#signon').screenshot({ path: `${SHOTS}/readme-signon-dashboard.png` });
    await staff.locator('#so-close').click();
    await staff.locator('#so-note', { hasText: 'needs approval again' }).waitFor(WAIT);
    await shot(staff, '9-dashboard-closed');
    expect((await fetch(invite)).status).toBe(410);

    // The letter preview lists it, in each language, countries in the letter's own.
    await staff.locator('a[data-tab="letter"]').click();
    for (const [label, country, heading] of [
      ['Ana Pop', 'Belarus', 'Co-signed by 1 organisation'],
      ['Claire Roux', 'Biélorussie', 'Cosigné par 1 organisation'],
    ] as const) {
      const option = await staff
        .locator('#preview-recipient option', { hasText: label })
        .getAttribute('value');
      await staff.selectOption('#preview-recipient', option!);
      await expect
        .poll(() => staff.locator('#preview-text').textContent(), WAIT)
        .toContain(heading);
      const text = (await staff.locator('#preview-text').textContent())!;
      expect(text).toContain(VIASNA);
      expect(text).toContain(country);
      expect(text).not.toContain('Rejected Org');
      expect(text).not.toContain('Never Confirmed Org');
    }
    await shot(staff, '10-letter-preview-fr');

    // Bob approves; Alice renames the organisation after that: a new version, not approved.
    const version = async () =>
      (
        (await call('GET', `/api/campaigns/${id}/versions`, bob)).json.versions as {
          hash: string;
        }[]
      ).at(-1)!.hash;
    expect(
      (await call('POST', `/api/campaigns/${id}/approve`, bob, { hash: await version() })).status,
    ).toBe(200);
    await staff.locator('a[data-tab="signon"]').click();
    const name = row(VIASNA).locator('input');
    await name.fill('Viasna — Правозащитный центр «Весна»');
    await row(VIASNA).locator('button', { hasText: 'Save name' }).click();
    await staff.locator('#so-note', { hasText: 'needs approval again' }).waitFor(WAIT);
    const launch = await call('POST', `/api/campaigns/${id}/launch`, alice, {});
    expect(launch.json.code).toBe('APPROVAL_REQUIRED');
    await staff.locator('a[data-tab="controls"]').click();
    await staff.locator('#approval-state', { hasText: 'not approved yet' }).waitFor(WAIT);
    await shot(staff, '11-approval-voided');

    // Approved again and sent: both letters list it (HTML and text), nothing else.
    expect(
      (await call('POST', `/api/campaigns/${id}/approve`, bob, { hash: await version() })).status,
    ).toBe(200);
    const launched = await call('POST', `/api/campaigns/${id}/launch`, alice, {});
    expect(launched.status, launched.text).toBeLessThan(300);
    await settle(runtime());
    let letters = await mailsTo(runtime(), [
      'ana@ngo-e2e.example.org',
      'claire@mfa-e2e.example.org',
    ]);
    await expect
      .poll(
        async () =>
          (letters = await mailsTo(runtime(), [
            'ana@ngo-e2e.example.org',
            'claire@mfa-e2e.example.org',
          ])).length,
        WAIT,
      )
      .toBe(2);
    for (const mail of letters) {
      for (const part of [mail.body.html!, mail.body.text!]) {
        expect(part).toContain('Viasna — Правозащитный центр «Весна»');
        expect(part).not.toContain('Rejected Org');
        expect(part).not.toContain('Never Confirmed Org');
      }
    }
    expect(
      letters.find((m) => m.destination.to.includes('claire@mfa-e2e.example.org'))!.body.html,
    ).toContain('Biélorussie');

    // The public open-letter page: off until Alice turns it on in the Sign-on tab; once the
    // letters went out it shows the statement and the list, on a phone, without axe findings.
    await staff.locator('a[data-tab="signon"]').click();
    await staff.locator('#so-open-letter-on').check();
    await staff.locator('#so-note', { hasText: 'Open-letter page on' }).waitFor(WAIT);
    const openUrl = await staff.locator('#so-open-letter-link').inputValue();
    await shot(staff, '12-open-letter-switch');
    await expect
      .poll(async () => (await runtime().deps().store.getCampaign(id))!.status, WAIT)
      .toBe('completed');
    const reader = await browser.newPage({ viewport: PHONE, locale: 'fr-FR' });
    await reader.goto(openUrl);
    expect(await reader.locator('h1').textContent()).toBeTruthy();
    expect(await reader.locator('ul.signed').textContent()).toContain(
      'Viasna — Правозащитный центр «Весна»',
    );
    expect(await reader.content()).not.toContain('Rejected Org');
    await expectNoSideScroll(reader, 'the open letter on a phone');
    await shot(reader, '13-open-letter-phone-fr');
    const axOpen = await (await axeContext(browser, PHONE)).newPage();
    await axOpen.goto(openUrl);
    expect(await axe(axOpen, 'the open letter')).toEqual([]);
    expect(errors).toEqual([]);
  });
});
