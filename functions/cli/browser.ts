/**
 * Headless Chromium for letter screenshots (and the browser tests): the
 * system's Chromium driven by playwright-core, no downloaded browser.
 */
import { chromium, type Browser } from 'playwright-core';

/** Where Chromium is: DEMARCHE_CHROMIUM, else Debian's /usr/bin/chromium. */
export const CHROMIUM_PATH = process.env.DEMARCHE_CHROMIUM ?? '/usr/bin/chromium';

/** Launches headless Chromium with no background network or sync. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Writes a PNG of the HTML as a 700px-wide mail client would show it, the
 * whole letter. Requests leaving the page (tracking pixel, links) are blocked:
 * a preview must not count as an open.
 */
export async function screenshotHtml(html: string, file: string): Promise<void> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 700, height: 900 } });
    await page.route('**/*', (route) =>
      route.request().url().startsWith('data:') ? route.continue() : route.abort(),
    );
    await page.setContent(html, { waitUntil: 'load' });
    await page.screenshot({ path: file, fullPage: true });
  } finally {
    await browser.close();
  }
}
