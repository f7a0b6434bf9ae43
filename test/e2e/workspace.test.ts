/**
 * The campaigner's side of the dashboard in Chromium, on campaigns made
 * through the staff API as the workspace will make them: the campaigns list
 * tells them apart; the letter preview shows any recipient's exact letter in
 * a sandboxed frame at desktop and phone widths, with its headers and text
 * part, and counts no open and follows no link; the approval state is said
 * in words; launching and scheduling ask for confirmation, repeating the
 * count, the deadline and the approval.
 */
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../functions/cli/browser.js';
import { formatWhen } from '../../templates/dashboard/src/format/time.js';
import {
  DESKTOP,
  expectNoSideScroll,
  focused,
  PHONE,
  shot,
  signIn,
  WAIT,
} from '../support/browser.js';
import { FUTURE_DEADLINE, sharedSample } from '../support/fixtures.js';
import { useRuntime } from '../support/runtime.js';
import { mixedCsv, sentCampaign, settle, staffToken } from '../support/staff.js';

const runtime = useRuntime();
let browser: Browser;
let draftId: string;
let secondId: string;
let sentId: string;
const ALICE = 'alice';
const BOB = 'bob';

const RECIPIENTS = [
  'email,name,title,organisation,country,language,group',
  'cabinet@diplomatie.example.fr,Jean-Noël Barrot,Ministre,Ministère de l’Europe et des Affaires étrangères,FR,fr,minister',
  'office@civic-ngo.example.org,Civic Space Watch,,Civic Space Watch,LT,en,ngo',
].join('\n');

/** Creates a campaign through the API as `sub`, as the workspace will. */
async function create(sub: string, subject: string): Promise<string> {
  const res = await fetch(`${runtime().httpUrl}/api/campaigns`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await staffToken(['campaigner'], sub)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      statement: sharedSample(),
      statementName: 'belarus.txt',
      recipientsCsv: RECIPIENTS,
      overrides: { deadline: FUTURE_DEADLINE(), subject, meeting: 'Foreign Affairs Council' },
    }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { campaign: { id: string } }).campaign.id;
}

beforeAll(async () => {
  sentId = (await sentCampaign(runtime(), mixedCsv(6, 'ws'))).id;
  draftId = await create(ALICE, 'Belarus: joint statement ahead of the Council');
  secondId = await create(ALICE, 'Belarus: reminder before the vote');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

async function open(page: Page, sub: string, id: string, tab: string) {
  await signIn(page, runtime(), ['campaigner'], sub);
  await page.goto(`${runtime().httpUrl}/dashboard/#/c/${id}/${tab}`);
}

describe("the campaigner's dashboard", { timeout: 120_000 }, () => {
  it('lists campaigns so they can be told apart: subject, status, deadline, created, rates', async () => {
    for (const [label, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const page = await browser.newPage({ viewport });
      await signIn(page, runtime(), ['viewer']);
      const row = (id: string) => page.locator(`#list-body tr[data-campaign="${id}"]`);
      await row(draftId).waitFor();
      expect(await row(draftId).textContent()).toContain(
        'Belarus: joint statement ahead of the Council',
      );
      expect(await row(secondId).textContent()).toContain('Belarus: reminder before the vote');
      expect(await row(draftId).locator('.status').textContent()).toBe('draft');
      const draft = (await runtime().deps().store.getCampaign(draftId))!;
      expect(await row(draftId).locator('td[data-label="Deadline"]').textContent()).toBe(
        formatWhen(draft.statement.deadline, 'Europe/Brussels'),
      );
      expect(await row(draftId).locator('td[data-label="Created"]').textContent()).toBe(
        formatWhen(draft.createdAt, 'Europe/Brussels'),
      );
      // The sent campaign's figures, with rates, from its counters.
      const c = await runtime().deps().store.counters(sentId);
      await expect
        .poll(() => row(sentId).locator('td[data-label="Sent"]').textContent(), WAIT)
        .toBe(`${c.sent} 100 %`);
      expect(await row(sentId).locator('td[data-label="Delivered"]').textContent()).toBe(
        `${c.delivered} ${Math.round((100 * c.delivered) / c.sent)} %`,
      );
      expect(await row(draftId).locator('td[data-label="Sent"]').textContent()).toBe('0 0 %');
      await expectNoSideScroll(page, `list ${label}`);
      await shot(page, `campaigns-${label}`);
      await page.close();
    }
  });

  it("previews any recipient's exact letter in a sandboxed frame at desktop and phone widths, counting no open and following no link", async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await open(page, ALICE, draftId, 'letter');
    const frame = page.locator('#preview-frame');
    await frame.waitFor();
    const ngo = (await runtime().deps().store.recipientsPage(draftId)).items.find(
      (r) => r.group === 'ngo',
    )!;
    await page.locator('#preview-recipient').selectOption(ngo.id);
    await expect.poll(() => page.locator('#preview-to').textContent(), WAIT).toContain(ngo.email);
    // The headers that matter, as the message carries them.
    expect(await page.locator('#preview-unsubscribe').textContent()).toMatch(
      /^<http:\/\/localhost:\d+\/u\/[^>]+>$/,
    );
    expect(await page.locator('#preview-reply-to').textContent()).toMatch(
      /^reply\+[^@]+@replies\.demarche\.example\.org$/,
    );
    expect(await page.locator('#preview-text').textContent()).toContain(
      'Dear colleagues at Civic Space Watch',
    );
    // The frame: sandboxed with nothing allowed, the letter as srcdoc, without its pixel.
    expect(await frame.getAttribute('sandbox')).toBe('');
    const srcdoc = (await frame.getAttribute('srcdoc'))!;
    expect(srcdoc).toContain('Civic Space Watch');
    expect(srcdoc).not.toContain('/t/o/');
    expect(await frame.getAttribute('width')).toBe('700');
    const letter = page.frameLocator('#preview-frame');
    await expect
      .poll(() => letter.locator('body').textContent(), WAIT)
      .toContain('Dear colleagues at Civic Space Watch');
    // The letter's own styles apply (an MJML letter is inline styles).
    const styled = await letter
      .locator('h1, h2')
      .first()
      .evaluate(
        (e) =>
          (
            globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string } }
          ).getComputedStyle(e).fontSize,
      );
    expect(parseFloat(styled)).toBeGreaterThan(18);
    await shot(page, 'letter-ngo-desktop');

    await page.click('button[data-width="phone"]');
    await expect.poll(() => frame.getAttribute('width'), WAIT).toBe('375');
    expect(await page.locator('button[data-width="phone"]').getAttribute('aria-pressed')).toBe(
      'true',
    );
    await shot(page, 'letter-ngo-375');

    // A link in the letter leads nowhere from the preview: no new window, no navigation, the letter stays.
    const windows = page.context().pages().length;
    await letter.locator('a[href*="/w/"]').first().click();
    await letter.locator('a[href*="/u/"]').first().click();
    await page.waitForTimeout(500);
    expect(page.context().pages().length).toBe(windows);
    expect(page.url()).toContain(`/c/${draftId}/letter`);
    expect(await letter.locator('body').textContent()).toContain('Civic Space Watch');

    // The French minister: no unsubscribe header, no pixel ever.
    const minister = (await runtime().deps().store.recipientsPage(draftId)).items.find(
      (r) => r.group === 'minister',
    )!;
    await page.locator('#preview-recipient').selectOption(minister.id);
    await expect
      .poll(() => page.locator('#preview-to').textContent(), WAIT)
      .toContain(minister.email);
    expect(await page.locator('#preview-unsubscribe').textContent()).toBe(
      'none: only NGO members get a one-click unsubscribe',
    );
    await settle(runtime());
    const c = await runtime().deps().store.counters(draftId);
    expect(c.openedTotal + c.openedMachine + c.clickedTotal + c.unsubscribed).toBe(0);
    expect(errors).toEqual([]);
    await page.close();

    const phone = await browser.newPage({ viewport: PHONE });
    await open(phone, ALICE, draftId, `letter?r=${ngo.id}&w=phone`);
    await phone.locator('#preview-frame[width="375"]').waitFor();
    await expectNoSideScroll(phone, 'letter at 375 px');
    await shot(phone, 'letter-ngo-phone-viewport');
    await phone.close();
  });

  it('says in words who must still approve, and confirms a launch with its count, deadline and approval', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await open(page, ALICE, draftId, 'controls');
    const state = page.locator('#approval-state');
    await expect
      .poll(() => state.textContent(), WAIT)
      .toMatch(
        /^Version 1 \([0-9a-f]{12}\) by alice@example\.org is not approved yet\. Still needed: a campaigner other than alice@example\.org approves this version\. You wrote it, so ask a colleague\.$/,
      );
    expect(await page.locator('[data-action="approve"]').isDisabled()).toBe(true);
    // Launching before approval: the dialog says why it cannot go, and sends nothing.
    await page.click('[data-action="launch"]');
    const dialog = page.locator('#confirm');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(
      'Not approved yet: launching is refused until it is.',
    );
    expect(await page.locator('#confirm-go').isDisabled()).toBe(true);
    await shot(page, 'confirm-unapproved-desktop');
    await page.getByRole('button', { name: 'Go back' }).click();
    await expect.poll(() => dialog.isVisible(), WAIT).toBe(false);
    await expect.poll(() => focused(page), WAIT).toMatch(/^button# Launch now/);
    expect((await runtime().deps().store.getCampaign(draftId))!.status).toBe('draft');
    await page.close();

    // Bob approves the version he sees, then launches after the dialog.
    const bob = await browser.newPage({ viewport: PHONE });
    await open(bob, BOB, draftId, 'controls');
    const bobState = bob.locator('#approval-state');
    await expect.poll(() => bobState.textContent(), WAIT).toMatch(/You can approve it here\.$/);
    await bob.click('[data-action="approve"]');
    await expect.poll(() => focused(bob), WAIT).toBe('p#control-result Approved.');
    await expect
      .poll(() => bobState.textContent(), WAIT)
      .toMatch(/approved by bob@example\.org\. It can be scheduled or launched\.$/);
    await bob.click('[data-action="launch"]');
    const facts = bob.locator('#confirm-facts');
    await facts.waitFor();
    const deadline = (await runtime().deps().store.getCampaign(draftId))!.statement.deadline;
    const text = (await facts.textContent())!;
    expect(text).toContain('Letters2 letters to 2 recipients');
    expect(text).toContain(
      `Deadline${formatWhen(deadline, 'Europe/Brussels', { weekday: true })} (in 6 d`,
    );
    expect(text).toContain('approved by bob@example.org');
    await expectNoSideScroll(bob, 'launch dialog at 375 px');
    await shot(bob, 'confirm-launch-phone');
    await bob.click('#confirm-go');
    await expect
      .poll(() => focused(bob), WAIT)
      .toBe('p#control-result Launched: 2 letters going out. The progress shows at the top');
    await settle(runtime());
    await expect
      .poll(async () => (await runtime().deps().store.counters(draftId)).sent, WAIT)
      .toBe(2);
    await bob.close();
  });

  it('confirms a schedule with the launch time read in the campaign zone', async () => {
    // Bob approves the version he read, by its full hash, as the approve button does.
    const bobAuth = { authorization: `Bearer ${await staffToken(['campaigner'], BOB)}` };
    const versions = (await (
      await fetch(`${runtime().httpUrl}/api/campaigns/${secondId}/versions`, { headers: bobAuth })
    ).json()) as { versions: { hash: string }[] };
    const approve = await fetch(`${runtime().httpUrl}/api/campaigns/${secondId}/approve`, {
      method: 'POST',
      headers: { ...bobAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ hash: versions.versions.at(-1)!.hash }),
    });
    expect(approve.status).toBe(200);
    const page = await browser.newPage({ viewport: DESKTOP });
    await open(page, ALICE, secondId, 'controls');
    await expect
      .poll(() => page.locator('#approval-state').textContent(), WAIT)
      .toContain('approved by bob');
    // Tomorrow 10:00 in Brussels, typed as a campaigner would.
    const tomorrow = new Date(Date.now() + 86_400_000);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(tomorrow);
    await page.fill('#schedule-at', `${day}T10:00`);
    await page.click('[data-action="schedule"]');
    const facts = page.locator('#confirm-facts');
    await facts.waitFor();
    expect(await facts.textContent()).toMatch(
      /Launch\w{3} \d{1,2} \w{3} \d{4}, 10:00 Brussels, each letter inside its recipient's office hours/,
    );
    await shot(page, 'confirm-schedule-desktop');
    await page.click('#confirm-go');
    await expect
      .poll(() => focused(page), WAIT)
      .toMatch(/^p#control-result Scheduled to launch \w{3} \d/);
    const c = (await runtime().deps().store.getCampaign(secondId))!;
    expect(c.status).toBe('scheduled');
    expect(formatWhen(c.scheduledAt!, 'Europe/Brussels')).toMatch(/, 10:00 Brussels$/);
    await page.close();
  });

  it('writes a follow-up from the sent campaign page, linked both ways, waiting for approval', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await open(page, ALICE, sentId, 'overview');
    const form = page.locator('#follow-up-form');
    await form.waitFor(WAIT);
    await page.selectOption('#fu-audience', 'not-opened');
    await page.fill(
      '#fu-text',
      'Dear colleagues,\n\nAhead of the vote on Monday, we would be grateful for your answer to our joint statement.',
    );
    const tomorrow = new Date(Date.now() + 86_400_000);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(tomorrow);
    await page.fill('#fu-at', `${day}T09:30`);
    await shot(page, 'follow-up-form');
    await page.click('#fu-create');
    await expect
      .poll(() => focused(page), WAIT)
      .toMatch(/^p#fu-result Follow-up created as version 1: it goes out once approved\./);
    const href = (await page.locator('#fu-open').getAttribute('href'))!;
    const followUpId = /#\/c\/([^/]+)\//.exec(href)![1]!;
    const f = (await runtime().deps().store.getCampaign(followUpId))!;
    expect(f).toMatchObject({ followUpOf: sentId, followUpAudience: 'not-opened' });
    expect(f.statement.subject).toBe(
      'Re: Belarus: joint statement ahead of the Foreign Affairs Council',
    );
    expect(formatWhen(f.scheduledAt!, 'Europe/Brussels')).toMatch(/, 09:30 Brussels$/);
    expect(f.author?.sub).toBe(ALICE);
    // The original lists it; the follow-up names the original.
    await expect
      .poll(() => page.locator('#plan table a[href*="' + followUpId + '"]').count(), WAIT)
      .toBe(1);
    await page.click('#fu-open');
    await page.locator('a[data-tab="overview"]').click();
    await expect
      .poll(() => page.locator('#plan').textContent(), WAIT)
      .toContain('This is a follow-up of the original campaign.');
    await page.close();
  });

  it('counts, before approval, the stored recipients whose language has no translation', async () => {
    // A draft of its own: the other tests launch and schedule theirs.
    const id = await create(ALICE, 'Belarus: a draft with a French minister');
    const page = await browser.newPage({ viewport: DESKTOP });
    await open(page, ALICE, id, 'draft');
    const said = '1 recipient asked for fr: it will get the en letter.';
    await expect.poll(() => page.locator('#draft-list-notes').textContent(), WAIT).toBe(said);
    await page.locator('a[data-tab="controls"]').click();
    await expect.poll(() => page.locator('#controls-list-notes').textContent(), WAIT).toBe(said);
    await page.close();
  });

  it('archives a campaign out of the list and back, and deletes a draft after saying what goes', async () => {
    const id = await create(ALICE, 'Belarus: a draft started by mistake');
    const page = await browser.newPage({ viewport: DESKTOP });
    await signIn(page, runtime(), ['campaigner'], ALICE);
    const row = page.locator(`#list-body tr[data-campaign="${id}"]`);
    expect(await row.locator('td[data-label="Author"]').textContent()).toBe('alice@example.org');

    await page.goto(`${runtime().httpUrl}/dashboard/#/c/${id}/controls`);
    await page.locator('#archive').click();
    await expect
      .poll(() => focused(page), WAIT)
      .toMatch(/^p#tidy-result Archived: the campaigns list leaves it out/);
    await expect
      .poll(() => page.locator('#c-archived').textContent(), WAIT)
      .toMatch(/^Archived by alice@example\.org /);
    await page.goto(`${runtime().httpUrl}/dashboard/#/`);
    await page.locator('#list-body tr').first().waitFor();
    expect(await row.count()).toBe(0);
    await page.locator('#show-archived').check();
    await expect.poll(() => row.locator('.tag').allTextContents(), WAIT).toContain('archived');
    await shot(page, 'campaigns-archived-shown');

    await row.locator('a.title').click();
    await page.locator('a[data-tab="controls"]').click();
    await page.locator('#delete').click();
    const dialog = page.locator('#delete-confirm');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(
      'Its 2 recipients and compiled letters are removed for good.',
    );
    await page.fill('#delete-reason', 'started by mistake');
    await shot(page, 'delete-draft-confirm');
    await page.click('#delete-go');
    await expect
      .poll(() => focused(page), WAIT)
      .toMatch(/^p#tidy-result Deleted: its 2 recipients and letters are removed/);
    await expect
      .poll(() => page.locator('#c-deleted').textContent(), WAIT)
      .toMatch(
        /^Deleted by alice@example\.org .* \(“started by mistake”\): its recipients and letters are removed/,
      );
    expect(await page.locator('#delete, #archive').count()).toBe(0);
    expect((await runtime().deps().store.recipientsPage(id)).items).toEqual([]);
    await page.goto(`${runtime().httpUrl}/dashboard/#/`);
    await page.locator('#list-body tr').first().waitFor();
    expect(await row.count()).toBe(0);
    await page.close();
  });
});
