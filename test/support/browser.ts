/**
 * Helpers for the dashboard's browser tests: signing in through the login
 * link as `npm start` prints it, screenshots kept under scratch/dashboard/
 * (gitignored) to be looked at, the no-sideways-scroll check, and axe-core.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { repoPath } from './fixtures.js';
import { staffToken } from './staff.js';

// What the functions passed to page.evaluate use of the page's globals (this program has no DOM lib).
interface Box {
  right: number;
}
interface El {
  id: string;
  tagName: string;
  className: string;
  textContent: string | null;
  getBoundingClientRect(): Box;
  closest(selector: string): El | null;
}
declare const document: {
  documentElement: { clientWidth: number; scrollWidth: number };
  activeElement: El | null;
  querySelectorAll(selector: string): Iterable<El>;
};

export const SHOTS = repoPath('scratch/dashboard');
/**
 * How long a browser test waits for the page to show what the server did: a
 * request and the page's reads after it take well under a second on an idle
 * machine, many seconds on a shared one.
 */
export const WAIT = { timeout: 20_000, interval: 100 };
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 375, height: 812 };

/** Opens the dashboard signed in as `groups`, through the login link, and waits for the campaigns list. */
export async function signIn(
  page: Page,
  runtime: LocalRuntime,
  groups: ('campaigner' | 'viewer')[] = ['campaigner'],
  sub?: string,
): Promise<void> {
  await page.goto(`${runtime.httpUrl}/dashboard/#token=${await staffToken(groups, sub)}`);
  await page.locator('#list-h').waitFor();
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/**
 * The page scrolls sideways nowhere: the document is no wider than the
 * viewport (a wide table scrolls inside its own box). Names what sticks out
 * when it fails.
 */
export async function expectNoSideScroll(page: Page, where: string): Promise<void> {
  const out = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter(
        (e) => e.getBoundingClientRect().right > width + 1 && !e.closest('.scroll, .frame-box'),
      )
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`);
    return { scrollWidth: document.documentElement.scrollWidth, width, wide };
  });
  expect(out, where).toEqual({ scrollWidth: out.width, width: out.width, wide: [] });
}

export interface AxeFinding {
  id: string;
  impact: string;
  nodes: string[];
}

/**
 * Runs axe-core on the page as it is and returns the serious and critical
 * violations (minor and moderate ones are printed, so they are seen). axe is
 * injected as a script, which the page's CSP rightly forbids: only contexts
 * made by `axeContext` (bypassCSP) can run it.
 */
export async function axe(page: Page, where: string): Promise<AxeFinding[]> {
  await page.addScriptTag({ path: repoPath('node_modules/axe-core/axe.min.js') });
  const results = await page.evaluate(async () => {
    type Result = { id: string; impact: string; nodes: { target: string[] }[] };
    const run = (
      globalThis as unknown as {
        axe: { run(): Promise<{ violations: Result[]; passes: Result[] }> };
      }
    ).axe;
    const out = await run.run();
    return {
      passes: out.passes.length,
      violations: out.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.map((n) => n.target.join(' ')),
      })),
    };
  });
  expect(results.passes, where).toBeGreaterThan(10);
  const others = results.violations.filter(
    (v) => v.impact !== 'serious' && v.impact !== 'critical',
  );
  if (others.length)
    process.stderr.write(`axe ${where}: other findings ${JSON.stringify(others)}\n`);
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A browser context for axe runs (CSP bypassed for its script tag only) at a viewport. */
export function axeContext(
  browser: Browser,
  viewport: { width: number; height: number },
): Promise<BrowserContext> {
  return browser.newContext({ bypassCSP: true, viewport });
}

/** The element that has keyboard focus, as "tag#id" with its text. */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const e = document.activeElement;
    return e
      ? `${e.tagName.toLowerCase()}#${e.id} ${(e.textContent ?? '').trim().slice(0, 60)}`
      : '';
  });
}
