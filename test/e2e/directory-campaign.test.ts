/**
 * A new campaign picked from the directory in Chromium: the campaigner
 * chooses "the directory", ticks a tag and a country and searches, the page
 * counts who the selection takes as it changes, an ad-hoc row is added from
 * a CSV, and the draft is created from exactly that selection (the campaign
 * page says what it took). Checked with axe, and without sideways scrolling
 * on a phone.
 */
import { mkdirSync } from 'node:fs';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../functions/cli/browser.js';
import { api, asStaff } from '../support/api-client.js';
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
import { DIRECTORY_V1 } from '../support/directory.js';
import { sharedSample } from '../support/fixtures.js';
import { useRuntime } from '../support/runtime.js';

const runtime = useRuntime();
let browser: Browser;

beforeAll(async () => {
  mkdirSync(`${SHOTS}/directory`, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe('a new campaign from the directory', { timeout: 240_000 }, () => {
  it('ticks and search count who is taken as they change; the draft takes that selection plus an ad-hoc row', async () => {
    const rt = runtime();
    const alice = await asStaff('alice', ['campaigner']);
    const imported = await api(rt, 'POST', '/api/targets/import/apply', {
      token: alice,
      body: { csv: DIRECTORY_V1, file: 'targets.csv', all: true },
    });
    expect(imported.json).toMatchObject({ created: 5 });

    // axe's script needs a context that bypasses the page's CSP.
    const context = await axeContext(browser, DESKTOP);
    const page = await context.newPage();
    await signIn(page, rt, ['campaigner'], 'alice');
    await page.locator('#new-campaign').click();
    await page.locator('#new-h').waitFor();
    await page.setInputFiles('#statement-file', {
      name: 'statement-belarus-2020.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(sharedSample()),
    });
    await page.fill('#f-subject', 'Belarus: joint statement ahead of the Foreign Affairs Council');
    const deadline = new Date(Date.now() + 6 * 86_400_000);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(deadline);
    await page.fill('#f-deadline', `${day}T09:00`);

    await page.check('#rc-from-directory');
    const counted = page.locator('#dp-count');
    await expect.poll(() => counted.innerText(), WAIT).toMatch(/^Tick at least one/);
    // The facets of the directory, with their counts.
    await expect
      .poll(() => page.locator('#dp-tags').innerText(), WAIT)
      .toMatch(/EaP focal points \(2\)[\s\S]*FAC \(2\)/);
    await page.check('#dp-tags input[value="FAC"]');
    await expect
      .poll(() => counted.innerText(), WAIT)
      .toBe('Selects 2 of 5 targets: Claire Lefèvre, Tobias Berg');
    // Any ticked tag matches: FAC or EaP focal points.
    await page.check('#dp-tags input[value="EaP focal points"]');
    await expect
      .poll(() => counted.innerText(), WAIT)
      .toBe('Selects 3 of 5 targets: Claire Lefèvre, Jan Novak, Tobias Berg');
    // Across kinds all must hold: those tags and the country SE or BE.
    await page.check('#dp-countries input[value="SE"]');
    await page.check('#dp-countries input[value="BE"]');
    await expect
      .poll(() => counted.innerText(), WAIT)
      .toBe('Selects 2 of 5 targets: Jan Novak, Tobias Berg');
    // Search, accents and case ignored, narrows it again.
    await page.fill('#dp-q', 'europeAN external');
    await expect.poll(() => counted.innerText(), WAIT).toBe('Selects 1 of 5 targets: Jan Novak');
    await page.fill('#dp-q', '');
    await expect
      .poll(() => counted.innerText(), WAIT)
      .toBe('Selects 2 of 5 targets: Jan Novak, Tobias Berg');

    // One ad-hoc row beside the selection, checked as any list is.
    await page.setInputFiles('#recipients-file', {
      name: 'ad-hoc.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'email;name;group;country;organisation\r\nsuccess+adhoc@simulator.amazonses.com;Zoë Müller;ngo;NL;Stichting Vrije Pers\r\n',
      ),
    });
    await expect
      .poll(() => page.locator('#import-summary').textContent(), WAIT)
      .toMatch(/^1 recipient accepted/);
    await shot(page, 'directory/new-campaign-pick');
    const findings = await axe(page, 'new campaign, directory selection');
    expect(findings).toEqual([]);

    await page.locator('#create').click();
    await page.locator('#draft-h').waitFor(WAIT);
    const id = /#\/c\/([^/?]+)/.exec(page.url())![1]!;
    await expect
      .poll(() => page.locator('#c-directory').innerText(), WAIT)
      .toContain('Recipients taken from the directory: 2 targets and 1 ad-hoc rows.');

    // The draft holds exactly the selection (and the row), from the server's own record.
    const taken = await api(rt, 'GET', `/api/campaigns/${id}/directory`, { token: alice });
    expect(taken.json).toMatchObject({
      fromDirectory: true,
      selection: { tags: ['FAC', 'EaP focal points'], countries: ['SE', 'BE'] },
      targets: 2,
      adHoc: 1,
    });
    const c = await api(rt, 'GET', `/api/campaigns/${id}`, { token: alice });
    expect(c.json).toMatchObject({ status: 'draft', recipientCount: 3 });

    const phone = await browser.newPage({ viewport: PHONE });
    await signIn(phone, rt, ['campaigner'], 'alice');
    await phone.goto(`${rt.httpUrl}/dashboard/#/new`);
    await phone.check('#rc-from-directory');
    await phone.check('#dp-tags input[value="FAC"]');
    await expect
      .poll(() => phone.locator('#dp-count').innerText(), WAIT)
      .toMatch(/^Selects 2 of 5 targets/);
    await expectNoSideScroll(phone, 'new campaign, directory selection, phone');
    await shot(phone, 'directory/new-campaign-pick-phone');
    await context.close();
  });
});
