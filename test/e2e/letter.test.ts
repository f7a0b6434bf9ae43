/**
 * The letter as readers and filters see it: written by `demarche preview`,
 * loaded in headless Chromium and checked by axe-core, scored by SpamAssassin
 * (local tests only, no network). The checks are other people's.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../functions/cli/browser.js';
import { previewCommand } from '../../functions/cli/commands/preview.js';
import { repoPath } from '../support/fixtures.js';

const run = promisify(execFile);
const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);
const sample = repoPath('../shared/samples/statement-belarus-2020.txt');
const out = mkdtempSync(join(tmpdir(), 'demarche-letter-'));
const outFr = mkdtempSync(join(tmpdir(), 'demarche-letter-fr-'));

let browser: Browser;
beforeAll(async () => {
  await previewCommand({
    statement: sample,
    out,
    deadline: '2027-01-10T09:00:00+01:00',
    subject: 'Belarus: joint statement of civil society',
    meeting: 'Foreign Affairs Council',
    from: 'EaP Civil Society Forum <statements@eap-csf.example.org>',
    address: 'Rue de l’Industrie 10, 1000 Brussels, Belgium',
  });
  await previewCommand({
    statement: repoPath('examples/statement.md'),
    recipients: repoPath('examples/recipients.csv'),
    recipient: 'minister@diplomatie.example.be',
    out: outFr,
    screenshot: false,
  });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

async function audit(htmlFile: string) {
  const page = await browser.newPage();
  // Nothing leaves the page: the letter must stand on its own (no remote fonts or scripts).
  await page.route('**/*', (r) => r.abort());
  await page.setContent(readFileSync(htmlFile, 'utf8'), { waitUntil: 'load' });
  await page.addScriptTag({ content: axeSource });
  // Runs in the page; written as source text because the project's types have no DOM.
  const facts = (await page.evaluate(`(async () => {
    const result = await window.axe.run(document);
    return {
      lang: document.documentElement.getAttribute('lang'),
      dir: document.documentElement.getAttribute('dir'),
      title: document.title,
      imagesWithoutAlt: [...document.images].filter((i) => !i.hasAttribute('alt')).length,
      violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })),
      text: document.body.innerText,
    };
  })()`)) as {
    lang: string | null;
    dir: string | null;
    title: string;
    imagesWithoutAlt: number;
    violations: { id: string; impact: string; nodes: number }[];
    text: string;
  };
  await page.close();
  return facts;
}

describe('the sample letter', () => {
  it('is written by preview as HTML, text, .eml and a readable PNG', () => {
    for (const f of ['letter.html', 'letter.txt', 'letter.eml', 'letter.png']) {
      expect(statSync(join(out, f)).size).toBeGreaterThan(1000);
    }
    const png = readFileSync(join(out, 'letter.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // IHDR: the screenshot is the 700px-wide client view and long enough to hold the whole letter.
    expect(png.readUInt32BE(16)).toBe(700);
    expect(png.readUInt32BE(20)).toBeGreaterThan(1500);
  });

  it('is under 102 KB of HTML, so Gmail shows it whole', () => {
    expect(statSync(join(out, 'letter.html')).size).toBeLessThan(102 * 1024);
  });

  it('has lang, dir, a title, alt on every image and no serious or critical axe violations', async () => {
    const facts = await audit(join(out, 'letter.html'));
    expect(facts.lang).toBe('en');
    expect(facts.dir).toBe('ltr');
    expect(facts.title).toBe('Belarus: joint statement of civil society');
    expect(facts.imagesWithoutAlt).toBe(0);
    expect(
      facts.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
    ).toEqual([]);
    expect(facts.text).toContain('Dear Minister Lindqvist,');
    expect(facts.text).toContain('Rue de l’Industrie 10, 1000 Brussels, Belgium');
  });

  it('passes the same checks in French for a French-speaking minister', async () => {
    const facts = await audit(join(outFr, 'letter.html'));
    expect(facts.lang).toBe('fr');
    expect(facts.title).toContain('Déclaration commune');
    expect(
      facts.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
    ).toEqual([]);
    expect(facts.text).toContain('Madame la Ministre, Monsieur le Ministre,');
  });

  it('scores below 2.0 with SpamAssassin, local tests only, in English and in French', async () => {
    for (const dir of [out, outFr]) {
      // The message goes in through a shell redirect of the file (execFile has no stdin option).
      const scored = await run(
        'sh',
        ['-c', 'spamassassin -L -t < "$1"', 'sh', join(dir, 'letter.eml')],
        {
          maxBuffer: 10 * 1024 * 1024,
        },
      );
      const status = /^X-Spam-Status: (Yes|No), score=(-?[\d.]+)/m.exec(scored.stdout);
      expect(status, scored.stdout.slice(0, 2000)).not.toBeNull();
      expect(Number(status![2])).toBeLessThan(2.0);
    }
  }, 120_000);
});
