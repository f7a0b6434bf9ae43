/**
 * The recipient's side in Chromium: a member organisation of a French
 * letter opens its unsubscribe link, reads French, stops every letter of the
 * coalition, undoes it, then stops only the follow-ups; after each choice the
 * real sender is run again (a new campaign, a follow-up) and respects it at
 * once. The web version has no link to itself and says when its text was
 * approved, the footer names the source of the address, and the pages pass
 * axe and fit a 375 px phone without scrolling sideways. Screenshots are kept
 * in scratch/recipient/ for a person to look at.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../functions/cli/browser.js';
import type { Campaign } from '../../functions/core/campaign.js';
import { formatDay } from '../../functions/core/i18n.js';
import { createCampaign, launchCampaign } from '../../functions/core/launch.js';
import { importRecipients } from '../../functions/core/recipients.js';
import { parseStatement } from '../../functions/core/statement.js';
import { apiCall } from '../support/api.js';
import { exampleStatement, letterMjml, repoPath } from '../support/fixtures.js';
import { mailsTo, useRuntime } from '../support/runtime.js';
import { settle, staffToken } from '../support/staff.js';

const runtime = useRuntime();
const SHOTS = repoPath('scratch/recipient');
const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);
const MEMBER = 'ales@viasna-fr.example.org';
const SOURCE = 'Registre des membres de la coalition (2026)';
const CSV =
  'email,name,organisation,country,language,group,source\n' +
  `${MEMBER},Aleś Bialiacki,Ligue des droits humains,FR,fr,ngo,${SOURCE}\n` +
  'cabinet@diplomatie-fr.example.org,Anne Lefèvre,Ministère de l’Europe,FR,fr,minister,\n';

let browser: Browser;
let campaign: Campaign;
let letterHtml: string;
beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const rt = runtime();
  const alice = await staffToken(['campaigner'], 'alice');
  const bob = await staffToken(['campaigner'], 'bob');
  const call = (method: string, path: string, token: string, body?: unknown) =>
    apiCall(rt.httpUrl, method, path, token, body === undefined ? undefined : JSON.stringify(body));
  const created = await call('POST', '/api/campaigns', alice, {
    statement: exampleStatement(),
    statementName: 'statement.md',
    translations: [
      { language: 'fr', source: readFileSync(repoPath('examples/statement.fr.md'), 'utf8') },
    ],
    recipientsCsv: CSV,
  });
  expect(created.status).toBe(201);
  const id = (created.json.campaign as { id: string }).id;
  const hash = (created.json.version as { hash: string }).hash;
  expect((await call('POST', `/api/campaigns/${id}/approve`, bob, { hash })).status).toBe(200);
  expect((await call('POST', `/api/campaigns/${id}/launch`, alice, {})).status).toBeLessThan(300);
  await waitFor(async () => (await mailsTo(rt, [MEMBER])).length === 1);
  await settle(rt);
  campaign = (await rt.deps().store.getCampaign(id))!;
  letterHtml = (await mailsTo(rt, [MEMBER]))[0]!.body.html!;
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
});

async function waitFor(test: () => Promise<boolean>, ms = 60_000) {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const link = (re: RegExp) => re.exec(letterHtml)![1]!.replace(/&amp;/g, '&');

/** A phone-sized page that may reach the local runtime and nothing else. */
async function phone(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
  const own = new URL(runtime().httpUrl).origin;
  await page.route('**/*', (r) => (r.request().url().startsWith(own) ? r.continue() : r.abort()));
  return page;
}

/** axe violations, the widest scroll width, and the page's language. */
async function check(page: Page, shot: string) {
  // Evaluated through the DevTools protocol: the page's CSP (rightly) refuses an injected script tag.
  await page.evaluate(axeSource);
  const facts = (await page.evaluate(`(async () => {
    const result = await window.axe.run(document);
    return {
      lang: document.documentElement.lang,
      scrollWidth: document.documentElement.scrollWidth,
      violations: result.violations.map((v) => v.id + ' (' + v.impact + ')'),
    };
  })()`)) as { lang: string; scrollWidth: number; violations: string[] };
  await page.screenshot({ path: `${SHOTS}/${shot}.png`, fullPage: true });
  return facts;
}

/** The real sender, at once: a campaign over the member, launched and sent; its letter's state. */
async function sendAgain(
  tag: string,
  followUpOf?: string,
): Promise<{ state: string; failure?: string }> {
  const rt = runtime();
  const d = rt.deps();
  const statement = parseStatement(`Note ${tag}\n\nA short note for ${tag}.\n`, 'note.txt', {
    deadline: campaign.statement.deadline,
    from: campaign.statement.from,
    replyToDomain: campaign.statement.replyToDomain,
    language: 'fr',
  });
  const { recipients } = importRecipients(CSV.split('\n').slice(0, 2).join('\n'));
  const { campaign: c } = await createCampaign(d, {
    statement,
    recipients,
    recipientCount: 1,
    mjml: letterMjml(),
  });
  if (followUpOf)
    // As a follow-up is made (core/followups): its recipients were chosen when it was written.
    await d.store.transition(c.id, ['draft'], 'draft', new Date().toISOString(), { followUpOf });
  await launchCampaign(d, c.id);
  await settle(rt);
  const r = (await d.store.recipientsPage(c.id)).items[0]!;
  return { state: r.state, ...(r.failure ? { failure: r.failure } : {}) };
}

describe('a French NGO member on the recipient’s side', { timeout: 240_000 }, () => {
  it('reads why in the letter’s footer: as a member organisation, the source of the address', () => {
    expect(letterHtml).toContain('lang="fr"');
    expect(letterHtml).toContain(
      'Vous recevez cette lettre en tant que Ligue des droits humains, organisation membre de Civic Space Coalition.',
    );
    expect(letterHtml).toContain(`Votre adresse provient de : ${SOURCE}.`);
    expect(letterHtml).toContain('Utilisation de votre adresse</a>');
    expect(letterHtml).toContain('Chères et chers collègues de Ligue des droits humains,');
  });

  it('unsubscribes from the coalition, undoes it, stops follow-ups only; the sender respects each at once', async () => {
    const d = runtime().deps();
    const page = await phone();
    await page.goto(link(/href="([^"]*\/u\/[^"]+)"/));
    expect(await page.locator('h1').innerText()).toBe('Vos lettres de Civic Space Coalition');
    await expect(
      page.getByText('Civic Space Coalition écrit à a•••@viasna-fr.example.org.').count(),
    ).resolves.toBe(1);
    await expect(page.getByText(SOURCE, { exact: false }).count()).resolves.toBe(1);
    let facts = await check(page, '1-choice');
    expect(facts).toEqual({ lang: 'fr', scrollWidth: 375, violations: [] });
    expect(await d.store.isSuppressed(MEMBER)).toBe(false); // the page alone changes nothing

    // Every letter of the coalition.
    await page.getByLabel('Toutes les lettres de Civic Space Coalition').check();
    await page.getByRole('button', { name: 'Confirmer' }).click();
    await page.waitForSelector('text=Vous ne recevrez plus de lettres de Civic Space Coalition');
    const until = formatDay(new Date(Date.now() + 30 * 86_400_000).toISOString(), 'fr');
    await expect(page.getByText(`jusqu’au ${until}`, { exact: false }).count()).resolves.toBe(1);
    facts = await check(page, '2-stopped-all');
    expect(facts).toEqual({ lang: 'fr', scrollWidth: 375, violations: [] });
    expect(await sendAgain('after-stop')).toEqual({
      state: 'suppressed',
      failure: 'address is on the suppression list',
    });

    // Undone: a new campaign reaches the member again.
    await page.getByRole('button', { name: 'Annuler' }).click();
    await page.waitForSelector('h1:text("Vos lettres continuent")');
    facts = await check(page, '3-undone');
    expect(facts).toEqual({ lang: 'fr', scrollWidth: 375, violations: [] });
    expect(await sendAgain('after-undo')).toEqual({ state: 'sent' });

    // Follow-ups only: this campaign's follow-up skips the member, a new campaign still sends.
    await page.getByLabel('Seulement les relances de cette lettre').check();
    await page.getByRole('button', { name: 'Confirmer' }).click();
    await page.waitForSelector('h1:text("Vous ne recevrez pas de relance de cette lettre")');
    facts = await check(page, '4-stopped-follow-ups');
    expect(facts).toEqual({ lang: 'fr', scrollWidth: 375, violations: [] });
    expect(await sendAgain('follow-up', campaign.id)).toEqual({
      state: 'suppressed',
      failure: 'address is on the suppression list, or stopped this campaign’s follow-ups',
    });
    expect(await sendAgain('next-campaign')).toEqual({ state: 'sent' });

    // The privacy page, from the page's own link: French too.
    await page.getByRole('link', { name: 'Utilisation de votre adresse' }).click();
    await page.waitForSelector('h2:text("Durée de conservation")');
    facts = await check(page, '5-privacy');
    expect(facts).toEqual({ lang: 'fr', scrollWidth: 375, violations: [] });
    await page.close();

    // Counted and audited by the events function.
    await settle(runtime());
    expect(await d.store.counters(campaign.id)).toMatchObject({
      unsubscribed: 0,
      unsubscribedFollowUps: 1,
      unsubscribeUndone: 1,
    });
    const log = (await d.governance.auditLog(campaign.id)).items;
    const member = (await d.store.recipientsPage(campaign.id)).items.find(
      (r) => r.email === MEMBER,
    )!;
    expect(
      log
        .filter((e) => e.actor === `recipient ${member.id}`)
        .map((e) => `${e.action}: ${e.detail}`),
    ).toEqual([
      'unsubscribed: the recipient stopped every letter of the coalition',
      'unsubscribe-undone: the recipient undid their unsubscribe: letters may reach them again',
      'unsubscribed: the recipient stopped the follow-ups of this campaign',
    ]);
    expect(JSON.stringify(log)).not.toContain(MEMBER);
  });

  it('shows the web version without a link to itself, with the approval date in words', async () => {
    const page = await phone();
    const url = link(/href="([^"]*\/w\/[^"]+)"/);
    await page.goto(url);
    const hrefs = (await page.evaluate(
      `[...document.querySelectorAll('a[href]')].map((a) => a.href)`,
    )) as string[];
    expect(hrefs.some((h) => h.includes('/w/'))).toBe(false);
    expect(await page.locator('img[src*="/t/o/"]').count()).toBe(0);
    const approved = `Texte approuvé le ${formatDay(campaign.launch!.approvedAt!, 'fr')}`;
    await expect(page.getByText(approved).count()).resolves.toBe(1);
    await expect(
      page.getByText(`Votre adresse provient de : ${SOURCE}.`, { exact: false }).count(),
    ).resolves.toBe(1);
    const facts = await check(page, '6-web-version');
    expect(facts).toEqual({ lang: 'fr', scrollWidth: 375, violations: [] });
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: `${SHOTS}/7-web-version-print.png`, fullPage: true });
    await page.close();
  });
});
