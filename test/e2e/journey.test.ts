/**
 * The campaigner's whole journey in the browser, on the local runtime, with
 * two campaigners and a viewer: Alice creates a campaign from the shared
 * sample statement and a CSV with refused rows (shown by line), adds a French
 * translation, previews a French minister's letter and an NGO's at two
 * widths, sends herself a test and asks for approval; Bob sees what changed
 * and approves that hash; Alice schedules it inside office hours, confirms,
 * and watches the progress to completion; the letters are in the local SES
 * inbox; Vera, a viewer, sees no write control anywhere. Every page is
 * axe-checked and looked at 375 px wide; screenshots go to scratch/dashboard.
 */
import { readFileSync } from 'node:fs';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../functions/cli/browser.js';
import { localSesAccount } from '../../functions/local/ses-account.js';
import {
  axe,
  axeContext,
  DESKTOP,
  expectNoSideScroll,
  focused,
  PHONE,
  shot,
  SHOTS,
  WAIT,
} from '../support/browser.js';
import { repoPath, sharedSample } from '../support/fixtures.js';
import { mailsTo, perRecipient, useRuntime } from '../support/runtime.js';
import { staffToken } from '../support/staff.js';

// One letter a second, so that the send-out lasts long enough to be watched.
process.env.AWS_SES_ACCOUNT = localSesAccount(1);
const runtime = useRuntime({ schedulerTickMs: 300 });
const LONG = { timeout: 120_000 };

// A spreadsheet export as coalition staff keep it: ministers with verification dates, NGOs, one
// address mistyped and one repeated.
const CSV = [
  'email,name,title,organisation,country,language,group,lastVerified',
  'cabinet@diplomatie.example.fr,Jean-Noël Barrot,Ministre,Ministère de l’Europe et des Affaires étrangères,FR,fr,minister,2026-11-02',
  'ministre@diplomatie.example.be,Maxime Prévot,Ministre,SPF Affaires étrangères,BE,fr,minister,2026-10-20',
  'office@civic-ngo.example.org,Civic Space Watch,,Civic Space Watch,LT,en,ngo,',
  'kontakt@menschenrechte.example.de,Menschenrechte Jetzt,,Menschenrechte Jetzt e.V.,DE,de,ngo,',
  'sekretariat.msz.gov.pl,Radosław Sikorski,Minister,Ministerstwo Spraw Zagranicznych,PL,pl,minister,2026-09-30',
  'office@civic-ngo.example.org,Civic Space Watch (again),,Civic Space Watch,LT,en,ngo,',
  'info@eesc.example.eu,European Economic and Social Committee,,EESC,BE,en,eu-institution,2026-11-15',
].join('\n');
const VALID = [
  'cabinet@diplomatie.example.fr',
  'ministre@diplomatie.example.be',
  'office@civic-ngo.example.org',
  'kontakt@menschenrechte.example.de',
  'info@eesc.example.eu',
];

let browser: Browser;
let campaignId: string;

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function as(sub: string, groups: ('campaigner' | 'viewer')[]) {
  const context = await axeContext(browser, DESKTOP);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${runtime().httpUrl}/dashboard/#token=${await staffToken(groups, sub)}`);
  await page.locator('#list-h').waitFor(WAIT);
  return { context, page, errors };
}

/** axe on the page as it is, then the same page at 375 px without sideways scroll, and a screenshot of both. */
async function check(page: Page, name: string) {
  expect(await axe(page, name), name).toEqual([]);
  await shot(page, `journey-${name}`);
  await page.setViewportSize(PHONE);
  await expectNoSideScroll(page, `${name} at 375 px`);
  await shot(page, `journey-${name}-phone`);
  await page.setViewportSize(DESKTOP);
}

const tab = (page: Page, name: string) => page.locator(`a[data-tab="${name}"]`).click();

/** The hour now in Brussels, for office hours that hold while the test runs whatever the time of day. */
/**
 * Office hours that are open now in every recipient's zone: the hours apply in
 * each recipient's own country (Brussels for most, Vilnius for the Lithuanian
 * NGO, an hour ahead). Near midnight those local hours straddle the day, which
 * no same-day window can hold, so the test then opens the whole day.
 */
function hoursAroundNow(): { from: string; to: string } {
  const local = (timeZone: string) =>
    Number(
      new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(
        new Date(),
      ),
    );
  const hours = ['Europe/Brussels', 'Europe/Vilnius'].map(local);
  const lo = Math.min(...hours);
  const hi = Math.max(...hours);
  if (hi - lo > 2) return { from: '00:00', to: '23:59' };
  const pad = (n: number) => String(Math.max(0, Math.min(23, n))).padStart(2, '0');
  return { from: `${pad(lo - 1)}:00`, to: hi >= 22 ? '23:59' : `${pad(hi + 2)}:00` };
}

describe("the campaigner's workspace, the whole journey", { timeout: 600_000 }, () => {
  let alice: { context: BrowserContext; page: Page; errors: string[] };

  it('Alice creates a campaign from the sample statement and a list whose refused rows show with their lines', async () => {
    alice = await as('alice', ['campaigner']);
    const page = alice.page;
    await page.locator('#new-campaign').click();
    await expect.poll(() => focused(page), WAIT).toMatch(/^h1#new-h/);
    await page.setInputFiles('#statement-file', {
      name: 'statement-belarus-2020.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(sharedSample()),
    });
    // The server says what is missing, next to its field, as the campaigner types.
    await expect
      .poll(() => page.locator('#f-deadline-error').textContent(), WAIT)
      .toMatch(/deadline/i);
    await page.fill('#f-subject', 'Belarus: joint statement ahead of the Foreign Affairs Council');
    await page.fill('#f-meeting', 'Foreign Affairs Council');
    const deadline = new Date(Date.now() + 6 * 86_400_000);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(deadline);
    await page.fill('#f-deadline', `${day}T09:00`);
    await page.fill(
      '#f-signatories',
      'Steering Committee — Eastern Partnership Civil Society Forum\nBoard — EU-Russia Civil Society Forum',
    );
    await page.setInputFiles('#recipients-file', {
      name: 'recipients.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(CSV),
    });
    await page.locator('#refused tr[data-line="6"]').waitFor(WAIT);
    expect(await page.locator('#f-deadline-error').count()).toBe(0);
    expect(await page.locator('#import-summary').textContent()).toBe(
      '5 recipients accepted of 7 rows; 2 rows refused (1 duplicate address).',
    );
    expect(await page.locator('#refused tr[data-line="6"]').textContent()).toMatch(
      /^6email.*sekretariat\.msz\.gov\.pl/,
    );
    expect(await page.locator('#refused tr[data-line="7"]').textContent()).toContain(
      'repeats line 4',
    );
    expect(await page.locator('#import-untranslated').textContent()).toBe(
      '3 recipients asked for de and fr: they will get the en letter.',
    );
    expect(await page.locator('#statement-summary').textContent()).toContain(
      'Statement on the continued violation of the fundamental rights of the Belarusian people',
    );
    await check(page, '1-new');
    // The README's pictures: the list as it imports, and (below) the launch confirmation.
    await page
      .locator('section[aria-labelledby="rc-h"]')
      .screenshot({ path: `${SHOTS}/readme-import.png` });
    await page.locator('#create').click();
    await page.locator('#draft-h').waitFor(LONG);
    campaignId = /#\/c\/([^/?]+)/.exec(page.url())![1]!;
  });

  it('Alice adds a French translation and reads it side by side with the English', async () => {
    const page = alice.page;
    await page.selectOption('#tr-lang', 'fr');
    await page.setInputFiles('#tr-file', {
      name: 'belarus-2020.fr.md',
      mimeType: 'text/markdown',
      buffer: readFileSync(repoPath('test/fixtures/statements/belarus-2020.fr.md')),
    });
    await page.locator('#tr-save').click();
    await expect
      .poll(() => focused(page), WAIT)
      .toMatch(/^p#draft-result Translation fr saved as version 2/);
    await page.locator('#side-by-side').waitFor(WAIT);
    expect(await page.locator('#side-by-side').textContent()).toContain('Nous sommes consternés');
    await check(page, '2-translation');
  });

  it('Alice previews a French minister’s letter and an NGO’s at two widths, and sends herself a test', async () => {
    const page = alice.page;
    await tab(page, 'letter');
    const options = page.locator('#preview-recipient option');
    await expect.poll(() => options.count(), WAIT).toBe(5);
    const value = async (text: string) =>
      (await options.filter({ hasText: text }).first().getAttribute('value'))!;
    await page.selectOption('#preview-recipient', await value('Jean-Noël Barrot'));
    await expect
      .poll(() => page.locator('#preview-subject').textContent(), WAIT)
      .toBe('Bélarus : déclaration commune en vue du Conseil des affaires étrangères');
    expect(await page.locator('#preview-text').textContent()).toContain('Nous sommes consternés');
    await check(page, '3-letter-minister-fr');
    await page.locator('button[data-width="phone"]').click();
    await expect.poll(() => page.locator('#preview-frame').getAttribute('width'), WAIT).toBe('375');
    await shot(page, 'journey-3-letter-minister-fr-375');
    await page.selectOption('#preview-recipient', await value('Civic Space Watch'));
    await expect
      .poll(() => page.locator('#preview-subject').textContent(), WAIT)
      .toBe('Belarus: joint statement ahead of the Foreign Affairs Council');
    expect(await page.locator('#preview-unsubscribe').textContent()).toMatch(/^<https?:/);
    await page.locator('button[data-width="desktop"]').click();
    await expect.poll(() => page.locator('#preview-frame').getAttribute('width'), WAIT).toBe('700');
    await check(page, '3-letter-ngo');

    await page.locator('#test-send').click();
    await expect
      .poll(() => page.locator('#test-send-result').textContent(), WAIT)
      .toMatch(/Sent to alice@example\.org: “\[TEST\] Belarus/);
    const [test] = await mailsTo(runtime(), ['alice@example.org']);
    expect(test?.subject).toBe(
      '[TEST] Belarus: joint statement ahead of the Foreign Affairs Council',
    );
    // The test letter's "view in browser" link shows that letter, said to be a test.
    const web = /href="([^"]*\/w\/[^"]+)"/.exec(test!.body.html ?? '')![1]!.replace(/&amp;/g, '&');
    const view = await page.context().newPage();
    expect((await view.goto(web))!.status()).toBe(200);
    expect(await view.locator('.dm-test').textContent()).toMatch(
      /^Test letter: sent to the person/,
    );
    expect(await view.locator('main').textContent()).toContain('Belarus');
    await shot(view, 'journey-3-test-letter-web-version');
    await view.close();
  });

  it('Alice asks for approval; Bob finds it waiting, sees what changed and approves that hash', async () => {
    const page = alice.page;
    await tab(page, 'controls');
    await page.locator('#ask-approval').click();
    await expect.poll(() => focused(page), WAIT).toMatch(/^p#ask-result Asked/);
    await expect
      .poll(() => page.locator('#approval-request').textContent(), WAIT)
      .toContain('alice@example.org asked for approval');
    expect(await page.locator('[data-action="approve"]').isDisabled()).toBe(true);
    await check(page, '4-ask-approval');

    const bob = await as('bob', ['campaigner']);
    await bob.page.locator('#waiting a').click();
    const changes = bob.page.locator('#changes');
    await changes.waitFor(WAIT);
    await expect
      .poll(() => bob.page.locator('#diff-h').textContent(), WAIT)
      .toBe('No version was approved before: everything is new');
    expect(await bob.page.locator('#version-hash').textContent()).toMatch(/^[0-9a-f]{64}$/);
    expect(await bob.page.locator('.diff-lang[data-lang="fr"] h4').textContent()).toBe('fr: added');
    expect(await bob.page.locator('#diff-recipients').textContent()).toMatch(/^0 → 5: 5 added/);
    await check(bob.page, '5-approver-changes');
    const hash = (await bob.page.locator('#version-hash').textContent())!;
    await bob.page.locator('[data-action="approve"]').click();
    await expect
      .poll(() => bob.page.locator('#approval-state').textContent(), WAIT)
      .toMatch(/approved by bob@example\.org\. It can be scheduled or launched\.$/);
    const log = (await runtime().deps().governance.auditLog(campaignId)).items;
    expect(log.find((e) => e.action === 'approved')).toMatchObject({
      actor: 'bob',
      versionHash: hash,
    });
    expect(bob.errors).toEqual([]);
    await bob.context.close();
  });

  it('Alice schedules inside office hours, confirms, and watches the progress to completion; the letters are in the inbox', async () => {
    const page = alice.page;
    await page.reload();
    await page.locator('#controls').waitFor(WAIT);
    const hours = hoursAroundNow();
    await page.fill('#hours-from', hours.from);
    await page.fill('#hours-to', hours.to);
    await page.selectOption('#hours-days', 'mon-sun');
    await page.click('[data-action="schedule"]');
    const facts = page.locator('#confirm-facts');
    await facts.waitFor(WAIT);
    const text = (await facts.textContent())!;
    expect(text).toContain('Letters5 letters to 5 recipients');
    expect(text).toMatch(/Deadline\w{3} \d{1,2} \w{3} \d{4}, 09:00 Brussels/);
    expect(text).toContain(`office hours (${hours.from}–${hours.to}, mon-sun)`);
    expect(text).toContain('approved by bob@example.org');
    await page.locator('dialog#confirm').screenshot({ path: `${SHOTS}/readme-confirm.png` });
    await check(page, '6-confirm-schedule');
    await page.click('#confirm-go');
    await expect.poll(() => focused(page), WAIT).toMatch(/^p#control-result Scheduled to launch/);
    // The page reads itself again every 5 s while scheduled or sending, until done.
    // Whenever the page shows the campaign sending, it says how far it got.
    const seen: string[] = [];
    await expect
      .poll(
        async () => {
          const status = await page.locator('#c-status').textContent();
          if (status === 'sending') {
            const progress = (await page.locator('#c-progress').textContent()) ?? '';
            expect(progress).toMatch(/(^Queueing \d+ of 5 · )?[Ss]ent \d of 5$/);
            if (!seen.length) await shot(page, 'journey-7-progress');
            seen.push(progress);
          }
          return status;
        },
        { timeout: 180_000, interval: 250 },
      )
      .toBe('completed');
    process.stderr.write(
      `progress the page showed: ${[...new Set(seen)].join(' | ') || '(sent between two reads)'}\n`,
    );
    await tab(page, 'overview');
    await page.locator('#summary').waitFor(WAIT);
    await check(page, '8-completed');
    const counts = perRecipient(await mailsTo(runtime(), VALID));
    expect([...counts.values()]).toEqual([1, 1, 1, 1, 1]);
    expect(counts.size).toBe(5);
    expect(alice.errors).toEqual([]);
    await alice.context.close();
  });

  it('Vera, a viewer, sees no write control on any page', async () => {
    const vera = await as('vera', ['viewer']);
    const page = vera.page;
    const writes =
      '#new-campaign, [data-action], #test-send, #tr-save, #rc-file, #ask-approval, #create, #preflight-run, #reply-confirm, #stuck-body button';
    expect(await page.locator(writes).count()).toBe(0);
    await page.locator(`#list-body a[href="#/c/${campaignId}"]`).click();
    await page.locator('#c-title').waitFor(WAIT);
    expect(await page.locator('a[data-tab]').allTextContents()).toEqual([
      'Overview',
      'Versions and audit log',
    ]);
    expect(await page.locator(writes).count()).toBe(0);
    await tab(page, 'approval');
    await page.locator('#audit tbody tr').first().waitFor(WAIT);
    expect(await page.locator(writes).count()).toBe(0);
    // A viewer typing a workspace address gets no workspace either.
    await page.goto(`${runtime().httpUrl}/dashboard/#/c/${campaignId}/controls`);
    await page.locator('#c-title').waitFor(WAIT);
    expect(await page.locator(writes).count()).toBe(0);
    await page.goto(`${runtime().httpUrl}/dashboard/#/new`);
    await expect
      .poll(() => page.locator('main').textContent(), WAIT)
      .toContain('Only campaigners create campaigns');
    expect(await page.locator(writes).count()).toBe(0);
    await check(page, '9-viewer');
    expect(vera.errors).toEqual([]);
    await vera.context.close();
  });
});
