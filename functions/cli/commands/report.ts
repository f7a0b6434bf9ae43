/**
 * `demarche report CAMPAIGN --out DIR`: the proof-of-delivery report, from
 * the staff API's report data, as report.html and as report.pdf printed by Chromium (the system's, driven by
 * playwright-core), for a press release or a delegation.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CHROMIUM_PATH, launchChromium } from '../browser.js';
import { DemarcheError } from '../../core/errors.js';
import type { ReportModel } from '../../core/report/model.js';
import { renderReportHtml } from '../../core/report/html.js';
import type { TargetOptions } from '../target.js';
import { withClient } from './status.js';

export interface ReportCommandOptions extends TargetOptions {
  out: string;
  zone?: string;
  pdf?: boolean;
  json?: boolean;
}

/**
 * Prints the page to an A4 PDF with page numbers. The page may fetch
 * nothing: every request leaving it is aborted (the report is
 * self-contained), so printing can neither hang on the network nor call out.
 * Returns the number of pages.
 */
export async function printPdf(html: string, file: string): Promise<number> {
  let browser;
  try {
    browser = await launchChromium();
  } catch (err) {
    throw new DemarcheError(
      'CHROMIUM_UNAVAILABLE',
      `cannot start Chromium at ${CHROMIUM_PATH} to print the PDF (set DEMARCHE_CHROMIUM, or use --no-pdf): ${(err as Error).message.split('\n')[0]}`,
    );
  }
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) =>
      route.request().url().startsWith('data:') ? route.continue() : route.abort(),
    );
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = await page.pdf({
      path: file,
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate:
        '<div style="font-size:8px;width:100%;text-align:center;color:#666">Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>',
    });
    return pdfPages(pdf);
  } finally {
    await browser.close();
  }
}

/** Page count of a PDF Chromium wrote (its page objects are not compressed into object streams). */
export function pdfPages(pdf: Uint8Array): number {
  return (
    Buffer.from(pdf)
      .toString('latin1')
      .match(/\/Type\s*\/Page(?![s\w])/g) ?? []
  ).length;
}

export async function reportCommand(
  campaignId: string,
  opts: ReportCommandOptions,
): Promise<{ html: string; pdf?: string; pages?: number }> {
  // The API gives the report's data; it is rendered (and printed to PDF) here.
  const model = await withClient(opts, (client) =>
    client.call<ReportModel>('GET', `/api/campaigns/${encodeURIComponent(campaignId)}/report`),
  );
  const html = renderReportHtml(model, opts.zone ? { zone: opts.zone } : {});
  const dir = resolve(opts.out);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new DemarcheError(
      'OUTPUT_UNWRITABLE',
      `cannot create the folder ${dir}: ${(err as Error).message}`,
    );
  }
  const out: { html: string; pdf?: string; pages?: number } = { html: join(dir, 'report.html') };
  writeFileSync(out.html, html);
  if (opts.pdf !== false) {
    out.pdf = join(dir, 'report.pdf');
    out.pages = await printPdf(html, out.pdf);
  }
  process.stdout.write(
    opts.json
      ? `${JSON.stringify(out, null, 2)}\n`
      : `Wrote ${out.html}${out.pdf ? ` and ${out.pdf} (${out.pages} page${out.pages === 1 ? '' : 's'})` : ''}.\n`,
  );
  return out;
}
