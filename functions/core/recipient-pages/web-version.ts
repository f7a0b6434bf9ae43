/**
 * The web version of one letter: the very letter the recipient was sent,
 * merged without the open pixel and without its own "view in browser" link
 * (compose.ts), and below it which approved text it is, in words ("Text
 * approved on 1 December 2026"). The content hash stays for whoever checks
 * (a <meta> and a details element). The letter is the page's <main>. A print stylesheet drops the grey
 * background and the width the mail layout needs, and prints link targets.
 */
import { escapeHtml } from '../html.js';
import { formatDay } from '../i18n.js';
import { TEST_LETTER_DAYS } from '../test-letters.js';
import { pageWordsFor } from './page-words.js';

export interface WebVersionInfo {
  language: string;
  /** The content hash of the approved version the letter was sent from. */
  versionHash?: string;
  /** When that version was approved. */
  approvedAt?: string;
  /** A test letter: said above the letter, so no one takes it for one that was sent. */
  test?: boolean;
}

/** Staff read test letters; the note is in the staff's working language. */
const TEST_NOTE = `<div class="dm-test" role="note" style="font:14px/1.5 Helvetica,Arial,sans-serif;background:#fff8c5;color:#3b2300;border-bottom:1px solid #d4a72c;padding:8px 16px;text-align:center;" lang="en">Test letter: sent to the person who asked for it only, not to any recipient. This page is kept for ${TEST_LETTER_DAYS} days.</div>`;

const PRINT = [
  '@media print{',
  'body,table,td,div{background:#fff !important;background-color:#fff !important}',
  'div[style*="max-width"],table[style*="max-width"]{max-width:none !important;width:100% !important}',
  'a[href^="http"]::after{content:" (" attr(href) ")";font-size:.8em;color:#57606a;word-break:break-all}',
  '.dm-version{border-top:1px solid #d0d7de}',
  '}',
].join('');

/** The letter's HTML made into its web version page. */
export function webVersionPage(letterHtml: string, info: WebVersionInfo): string {
  const w = pageWordsFor(info.language);
  const hash = /^[0-9a-f]{64}$/.test(info.versionHash ?? '') ? info.versionHash! : undefined;
  const head =
    `<style media="print">${PRINT}</style>` +
    (hash ? `<meta name="demarche-version" content="${hash}">` : '');
  const approved = info.approvedAt
    ? `<p style="margin:0 0 6px 0;">${escapeHtml(w.approvedOn(formatDay(info.approvedAt, info.language)))}</p>`
    : '';
  const details = hash
    ? `<details><summary style="cursor:pointer;">${escapeHtml(w.fingerprint)}</summary>` +
      `<p style="margin:6px 0 0 0;"><code style="word-break:break-all;">${hash}</code></p></details>`
    : '';
  const note =
    approved || details
      ? `<div class="dm-version" lang="${escapeHtml(info.language)}" style="font:13px/1.5 Helvetica,Arial,sans-serif;color:#57606a;max-width:560px;margin:0 auto 32px auto;padding:0 16px;text-align:center;">${approved}${details}</div>`
      : '';
  // As a page, the letter is the page's main content (a landmark for screen readers).
  return letterHtml
    .replace(/<\/head>/i, `${head}</head>`)
    .replace(/<body([^>]*)>/i, `<body$1>${info.test ? TEST_NOTE : ''}<main>`)
    .replace(/<\/body>/i, `${note}</main></body>`);
}
