/**
 * The frame of every page a recipient reaches from a letter: the letter's
 * language and direction, the coalition's name at the top and its postal
 * address at the foot, "why you received this" with the privacy link, one
 * stylesheet allowed by its hash (the Content-Security-Policy forbids every
 * script, every other style, every frame and every outside form target), and
 * nothing that tracks. Everything from outside is escaped here or by the
 * caller that builds `body` from escaped parts.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from '../html.js';
import { dirFor, wordsFor } from '../i18n.js';
import { pageWordsFor } from './page-words.js';

const STYLE = [
  ':root{color-scheme:light;--ink:#1f2328;--muted:#57606a;--accent:#0b57a4;--line:#d0d7de}',
  '*{box-sizing:border-box}',
  'body{margin:0;font:1rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#f6f8fa}',
  'main,footer{max-width:36rem;margin:0 auto;padding:1.25rem 1rem}',
  'main{background:#fff;border-top:4px solid var(--accent);margin-top:1.5rem}',
  '.from{margin:0 0 .5rem;color:var(--muted);font-size:.95rem}',
  'h1{font-size:1.45rem;line-height:1.3;margin:.25rem 0 1rem}',
  'h2{font-size:1.05rem;margin:1.75rem 0 .5rem}',
  'p,li{overflow-wrap:anywhere}',
  'fieldset{border:0;margin:0 0 1rem;padding:0}',
  'legend{font-weight:600;margin-bottom:.5rem;padding:0}',
  '.choice{display:flex;gap:.75rem;align-items:flex-start;border:1px solid var(--line);border-radius:6px;padding:.75rem;margin:0 0 .75rem}',
  '.choice input{margin:.3rem 0 0;width:1.15rem;height:1.15rem;flex:none}',
  '.choice label{flex:1}',
  '.hint{display:block;color:var(--muted);font-size:.925rem}',
  'button{font:inherit;font-weight:600;padding:.6rem 1.2rem;border-radius:6px;border:2px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer}',
  'button.secondary{background:#fff;color:var(--accent)}',
  'button:focus-visible,a:focus-visible,input:focus-visible{outline:3px solid #f0b400;outline-offset:2px}',
  'a{color:var(--accent)}',
  '.why{border-top:1px solid var(--line);margin-top:1.75rem;font-size:.95rem}',
  'footer{color:var(--muted);font-size:.875rem}',
  'footer p{margin:.25rem 0}',
  '@media print{body{background:#fff}main{border:0;margin:0}form{display:none}}',
].join('');

/** The Content-Security-Policy of the recipient's pages: the one stylesheet, forms to this origin only. */
export const PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

export interface PageFrame {
  language: string;
  /** The page's title, plain text (escaped here). */
  title: string;
  /** The coalition's name and postal address (from the statement), plain text. */
  coalition: string;
  postalAddress?: string;
  /** The page's own content, already built from escaped parts. */
  body: string;
  /** "Why you received this", plain sentences; absent on a page that names nobody (a dead link). */
  why?: string[];
  privacyUrl?: string;
}

/** A whole page, in the language, with the frame above. */
export function renderPage(f: PageFrame): string {
  const words = pageWordsFor(f.language);
  const letterWords = wordsFor(f.language);
  const why =
    f.why || f.privacyUrl
      ? `<section class="why" aria-labelledby="why"><h2 id="why">${escapeHtml(words.whyHeading)}</h2>` +
        (f.why?.length ? `<p>${f.why.map(escapeHtml).join(' ')}</p>` : '') +
        (f.privacyUrl
          ? `<p><a href="${escapeHtml(f.privacyUrl)}">${escapeHtml(letterWords.why.privacy)}</a></p>`
          : '') +
        '</section>'
      : '';
  const foot = [
    ...(f.coalition ? [escapeHtml(letterWords.sentBy(f.coalition))] : []),
    ...(f.postalAddress ? [escapeHtml(f.postalAddress)] : []),
  ];
  return (
    `<!doctype html><html lang="${escapeHtml(f.language)}" dir="${dirFor(f.language)}"><head>` +
    '<meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
    '<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">' +
    `<title>${escapeHtml(f.title)}</title><style>${STYLE}</style></head><body>` +
    `<main>${f.coalition ? `<p class="from">${escapeHtml(f.coalition)}</p>` : ''}<h1>${escapeHtml(f.title)}</h1>${f.body}${why}</main>` +
    (foot.length ? `<footer>${foot.map((l) => `<p>${l}</p>`).join('')}</footer>` : '') +
    '</body></html>'
  );
}
