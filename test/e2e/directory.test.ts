/**
 * The directory in Chromium: a list imported through the page (the
 * comparison shown before anything is written, bad rows by line), a changed
 * version of it of which only two changes are ticked and applied, a campaign
 * built from a tag plus one ad-hoc row and approved, a target edited
 * afterwards (the campaign page says the campaign keeps what it took), sent,
 * a bounce and a reply: the target's letters, the failing address and its
 * confirmed fallback, and the responsiveness table.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../functions/cli/browser.js';
import { api, asStaff } from '../support/api-client.js';
import {
  DESKTOP,
  expectNoSideScroll,
  PHONE,
  SHOTS,
  shot,
  signIn,
  WAIT,
} from '../support/browser.js';
import { sharedSample, FUTURE_DEADLINE } from '../support/fixtures.js';
import { useRuntime } from '../support/runtime.js';
import { DIRECTORY_V1 as V1, DIRECTORY_V2 as V2 } from '../support/directory.js';
import { replyOverSmtp, settle } from '../support/staff.js';

const runtime = useRuntime();
let browser: Browser;

beforeAll(async () => {
  mkdirSync(`${SHOTS}/directory`, { recursive: true });
  writeFileSync(`${SHOTS}/directory/targets-oct.csv`, V1);
  writeFileSync(`${SHOTS}/directory/targets-nov.csv`, V2);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

type T = { id: string; version: number; name: string; externalId?: string; failing?: unknown };

describe('the directory page', { timeout: 240_000 }, () => {
  it('import, a partial re-import, a campaign from a tag, a bounce and a reply, as staff see them', async () => {
    const rt = runtime();
    const page = await browser.newPage({ viewport: DESKTOP });
    await signIn(page, rt, ['campaigner'], 'alice');
    await page.click('#nav-directory');
    await page.locator('#d-title').waitFor();

    // The first import: compared, the bad row named by line; all ticked, applied.
    await page.setInputFiles('#imp-file', `${SHOTS}/directory/targets-oct.csv`);
    await page.locator('#imp-diff').waitFor(WAIT);
    await expect
      .poll(() => page.locator('#imp-problems').innerText(), WAIT)
      .toContain('targets-oct.csv:7: skipped: email "not-an-address" is not an email address');
    await page.click('#imp-apply');
    await expect
      .poll(() => page.locator('#imp-done').innerText(), WAIT)
      .toBe('Applied: 5 new, 0 changed, 0 archived.');
    await expect
      .poll(() => page.locator('#d-count').innerText(), WAIT)
      .toMatch(/^5 of 5 targets · 1 not verified/);

    // The changed version: six changes listed; only the French minister's new address and the
    // Polish minister are kept ticked.
    await page.setInputFiles('#imp-file', `${SHOTS}/directory/targets-nov.csv`);
    await page.locator('#imp-diff').waitFor(WAIT);
    await expect
      .poll(() => page.locator('#imp-diff').innerText(), WAIT)
      .toContain('1 new, 2 changed, 2 unchanged, 1 missing');
    await expect
      .poll(() => page.locator('#imp-diff').innerText())
      .toContain(
        'email: success+fr@simulator.amazonses.com → success+fr-cabinet@simulator.amazonses.com',
      );
    await shot(page, 'directory/import-diff');
    const boxes = page.locator('#imp-diff input[type=checkbox]');
    const n = await boxes.count();
    expect(n).toBe(4);
    for (let i = 0; i < n; i++) {
      const box = boxes.nth(i);
      const label = await box.locator('xpath=..').innerText();
      if (!/Claire Lefèvre|Anna Kowalska/.test(label)) await box.uncheck();
    }
    await expect.poll(() => page.locator('#imp-apply').innerText()).toBe('Apply 2 of 4 changes');
    await page.click('#imp-apply');
    await expect
      .poll(() => page.locator('#imp-done').innerText(), WAIT)
      .toBe('Applied: 1 new, 1 changed, 0 archived.');
    await expect
      .poll(() => page.locator('#d-targets').innerText(), WAIT)
      .toContain('Anna Kowalska');
    expect(await page.locator('#d-targets').innerText()).toContain('Jan Novak');
    expect(await page.locator('#d-targets').innerText()).toContain(
      'Permanent Representation of Germany',
    );

    // Filters go into the address.
    await page.selectOption('#f-tags', 'FAC');
    await expect.poll(() => page.url()).toContain('#/d?tags=FAC');
    await expect.poll(() => page.locator('#d-count').innerText(), WAIT).toMatch(/^3 of 6 targets/);
    await shot(page, 'directory/list-fac');

    // A campaign from the tag FAC and one ad-hoc row, approved by a second campaigner.
    const alice = await asStaff('alice', ['campaigner']);
    const bob = await asStaff('bob', ['campaigner']);
    const created = await api(rt, 'POST', '/api/campaigns/from-directory', {
      token: alice,
      body: {
        statement: sharedSample(),
        statementName: 'belarus.txt',
        overrides: {
          deadline: FUTURE_DEADLINE(),
          subject: 'Belarus: joint statement',
          meeting: 'Foreign Affairs Council',
        },
        selection: { tags: ['FAC'] },
        recipientsCsv:
          'email,name,group,country\nsuccess+adhoc@simulator.amazonses.com,Mara Vos,ngo,NL\n',
      },
    });
    expect(created.status, created.text).toBe(201);
    const id = (created.json.campaign as { id: string }).id;
    const hash = (created.json.version as { hash: string }).hash;
    expect(
      (await api(rt, 'POST', `/api/campaigns/${id}/approve`, { token: bob, body: { hash } }))
        .status,
    ).toBe(200);

    // The Swedish minister's title is changed after the approval, then the campaign is sent.
    const list = await api(rt, 'GET', '/api/targets?limit=50', { token: alice });
    const byExt = new Map((list.json.items as T[]).map((t) => [t.externalId, t]));
    const se = byExt.get('SE-MFA-01')!;
    const fr = byExt.get('FR-MFA-01')!;
    expect(
      (
        await api(rt, 'POST', `/api/targets/${se.id}/edit`, {
          token: alice,
          body: { version: se.version, title: 'Minister for Foreign Trade' },
        })
      ).status,
    ).toBe(200);
    expect(
      (await api(rt, 'POST', `/api/campaigns/${id}/launch`, { token: alice, body: {} })).status,
    ).toBeLessThan(300);
    await settle(rt);
    for (let i = 0; i < 300; i++) {
      const t = (await api(rt, 'GET', `/api/targets/${se.id}`, { token: alice })).json.target as T;
      if (t.failing) break;
      await new Promise((r) => setTimeout(r, 200));
      await settle(rt);
    }
    await replyOverSmtp(rt, id, 'success+fr-cabinet@simulator.amazonses.com', {
      subject: 'Re: Belarus: joint statement',
      text: 'Madame, Monsieur,\n\nNous accusons bonne réception de votre lettre, que la Ministre a lue avec attention.\n\nLe Cabinet',
    });
    await settle(rt);

    // The campaign says which targets changed since it took them, and that it keeps what it took.
    await page.goto(`${rt.httpUrl}/dashboard/#/c/${id}`);
    await expect
      .poll(() => page.locator('#c-directory').innerText(), WAIT)
      .toContain(
        '1 target has changed in the directory since; this campaign keeps what it took, as approved',
      );
    expect(await page.locator('#c-directory').innerText()).toContain('Tobias Berg: title');
    await shot(page, 'directory/campaign-note');

    // The French minister's letters: delivered, a human reply.
    await page.goto(`${rt.httpUrl}/dashboard/#/d/${fr.id}`);
    await expect
      .poll(() => page.locator('#t-letters').innerText(), WAIT)
      .toMatch(/delivered[\s\S]*human after/);
    await expect
      .poll(() => page.locator('#t-versions').innerText())
      .toContain('imported from targets-nov.csv');
    await shot(page, 'directory/target-fr');

    // The Swedish minister's primary is failing; a person confirms the fallback.
    await page.goto(`${rt.httpUrl}/dashboard/#/d/${se.id}`);
    await expect
      .poll(() => page.locator('#t-failing').innerText(), WAIT)
      .toContain('The primary address is failing: hard bounce');
    await shot(page, 'directory/target-failing');
    await page.click('[data-fallback="success+se-registry@simulator.amazonses.com"]');
    await expect
      .poll(() => page.locator('#t-email').innerText(), WAIT)
      .toMatch(/^success\+se-registry@simulator\.amazonses\.com/);
    expect(await page.locator('#t-failing').count()).toBe(0);

    // Who answers, by country.
    await page.goto(`${rt.httpUrl}/dashboard/#/d`);
    await page.selectOption('#resp-by', 'country');
    await expect
      .poll(() => page.locator('#resp-table').innerText(), WAIT)
      .toMatch(/FR\s+1\s+1\s+1 \(100 %\)\s+\d/);
    await shot(page, 'directory/responsiveness');
    await expectNoSideScroll(page, 'directory, desktop');

    const phone = await browser.newPage({ viewport: PHONE });
    await signIn(phone, rt, ['viewer'], 'vera');
    await phone.goto(`${rt.httpUrl}/dashboard/#/d`);
    await expect.poll(() => phone.locator('#d-count').innerText(), WAIT).toMatch(/of 6 targets/);
    // A viewer reads the directory and does not import.
    expect(await phone.locator('#imp-file').count()).toBe(0);
    await expectNoSideScroll(phone, 'directory, phone');
    await shot(phone, 'directory/list-phone');
    await phone.goto(`${rt.httpUrl}/dashboard/#/d/${fr.id}`);
    await expect.poll(() => phone.locator('#t-letters').innerText(), WAIT).toContain('delivered');
    await expectNoSideScroll(phone, 'target, phone');
    await shot(phone, 'directory/target-phone');
  });
});
