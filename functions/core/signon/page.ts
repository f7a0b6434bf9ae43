/**
 * The public sign-on pages, as HTML strings: the statement (read-only) with
 * its confirmed signatories and the form, the confirmation step of the
 * emailed link, the full list of signatories, and the short notices between.
 * Built like the recipient's pages (recipient-pages/layout.ts): no script,
 * no outside resource, one stylesheet allowed by its hash, forms posting to
 * this origin only, and every value from outside escaped here.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from '../html.js';
import { dirFor, formatDeadline } from '../i18n.js';
import { countryName, signonPageWords, type SignonPageWords } from '../i18n-signon.js';
import { bodyHtml, type LinkCollector } from '../letter-blocks.js';
import type { Statement } from '../statement.js';
import { LIMITS, ORG_TYPES } from './model.js';

const STYLE = [
  ':root{color-scheme:light;--ink:#1f2328;--muted:#57606a;--accent:#0b57a4;--line:#d0d7de;--bad:#b42318}',
  '*{box-sizing:border-box}',
  'body{margin:0;font:1rem/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#f6f8fa}',
  'main{max-width:42rem;margin:1.5rem auto;padding:1.25rem 1rem;background:#fff;border-top:4px solid var(--accent)}',
  '.from,.muted{color:var(--muted);font-size:.95rem}',
  'h1{font-size:1.45rem;line-height:1.3;margin:.25rem 0 1rem}',
  'h2{font-size:1.15rem;margin:1.75rem 0 .5rem}',
  'p,li,td,th{overflow-wrap:anywhere}',
  'table{border-collapse:collapse}td,th{border:1px solid var(--line);padding:.25rem .5rem}',
  '.statement{border:1px solid var(--line);border-radius:6px;padding:0 1rem;max-height:28rem;overflow:auto}',
  '.signed{padding-left:1.25rem}',
  'label{display:block;font-weight:600;margin:1rem 0 .25rem}',
  '.hint{display:block;color:var(--muted);font-size:.9rem;font-weight:400}',
  'input[type=text],input[type=email],input[type=url],select{width:100%;font:inherit;padding:.5rem;border:1px solid #8c959f;border-radius:6px}',
  '.check{display:flex;gap:.6rem;align-items:flex-start;margin:1.25rem 0}',
  '.check input{width:1.15rem;height:1.15rem;margin:.25rem 0 0;flex:none}',
  '.check label{font-weight:400;margin:0}',
  '.trap{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}',
  '.problems{border:2px solid var(--bad);border-radius:6px;padding:.5rem 1rem;margin:1rem 0}',
  '.problems h2{color:var(--bad);margin-top:.25rem}',
  '[aria-invalid=true]{border-color:var(--bad)!important}',
  'button{font:inherit;font-weight:600;padding:.6rem 1.2rem;border-radius:6px;border:2px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;margin-top:.5rem}',
  'button:focus-visible,a:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #f0b400;outline-offset:2px}',
  'a{color:var(--accent)}',
  'nav{font-size:.95rem;margin-bottom:.5rem}',
  '@media print{body{background:#fff}main{border:0;margin:0}form{display:none}.statement{max-height:none;border:0}}',
].join('');

/** The sign-on pages' Content-Security-Policy: the one stylesheet, forms to this origin only. */
export const SIGNON_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

/** The honeypot's field name: a plausible one, hidden from people, that bots fill in. */
export const TRAP_FIELD = 'organisation_url';

/** A whole page: the one stylesheet, no script, noindex. */
export function frame(language: string, title: string, body: string): string {
  return (
    `<!doctype html><html lang="${escapeHtml(language)}" dir="${dirFor(language)}"><head>` +
    '<meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
    '<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">' +
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`
  );
}

/** A short page: a heading and a sentence (sent, confirmed, closed, a dead link). */
export function noticePage(
  language: string,
  heading: string,
  text: string,
  coalition = '',
): string {
  return frame(
    language,
    heading,
    (coalition ? `<p class="from">${escapeHtml(coalition)}</p>` : '') +
      `<h1>${escapeHtml(heading)}</h1><p>${escapeHtml(text)}</p>`,
  );
}

/** The statement's blocks as page HTML: escaped, links kept, the letter's inline styles dropped (the CSP forbids them). */
export function statementHtml(s: Statement): string {
  const links = { add: (href: string) => escapeHtml(href) } as unknown as LinkCollector;
  return bodyHtml(s.body, links).replace(/ style="[^"]*"/g, '');
}

export interface ListedSignatory {
  name: string;
  latin?: string;
  country: string;
}

export function listHtml(list: ListedSignatory[], language: string): string {
  return `<ul class="signed">${list
    .map(
      (x) =>
        `<li><span dir="auto">${escapeHtml(x.name)}</span>${x.latin ? ` <span class="muted">(${escapeHtml(x.latin)})</span>` : ''} <span class="muted">— ${escapeHtml(countryName(x.country, language))}</span></li>`,
    )
    .join('')}</ul>`;
}

export interface SignonPageInput {
  language: string;
  /** The other languages the page is offered in, each with its address. */
  alternatives: { language: string; href: string }[];
  /** The statement in the page's language. */
  statement: Statement;
  coalition: string;
  closesAt: string;
  signed: ListedSignatory[];
  /** Values to show again after a refused submission. */
  values?: Record<string, string>;
  issues?: { field: string; message: string }[];
  /** A refusal of the whole form (the address signed already, too many requests). */
  notice?: string;
}

/** The form's fields, in the page's order (problems are listed in it too). */
export const FORM_FIELDS = [
  'name',
  'latin',
  'country',
  'type',
  'website',
  'contactName',
  'contactEmail',
  'consent',
];

function countryOptions(language: string, selected: string | undefined): string {
  const names = new Intl.DisplayNames([language, 'en'], { type: 'region', fallback: 'none' });
  const codes: { code: string; name: string }[] = [];
  for (let a = 65; a <= 90; a++)
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const name = names.of(code);
      // Intl knows regions that are not countries (EU, UN, "Unknown Region"): ISO codes only.
      if (name && name !== code && !['EU', 'EZ', 'UN', 'ZZ', 'QO', 'XA', 'XB', 'XK'].includes(code))
        codes.push({ code, name });
    }
  const collator = new Intl.Collator(language);
  codes.sort((x, y) => collator.compare(x.name, y.name));
  return codes
    .map(
      (c) =>
        `<option value="${c.code}"${c.code === selected ? ' selected' : ''}>${escapeHtml(c.name)}</option>`,
    )
    .join('');
}

function field(
  w: SignonPageWords,
  p: SignonPageInput,
  name: string,
  label: string,
  input: (attrs: string) => string,
  hint?: string,
): string {
  const bad = p.issues?.some((i) => i.field === name);
  const hintId = hint ? ` aria-describedby="${name}-hint"` : '';
  return (
    `<label for="f-${name}">${escapeHtml(label)}${hint ? `<span class="hint" id="${name}-hint">${escapeHtml(hint)}</span>` : ''}</label>` +
    input(`id="f-${name}" name="${name}"${hintId}${bad ? ' aria-invalid="true"' : ''}`)
  );
}

/** The sign-on page: the statement, who signed, and the form (re-filled after a refusal). */
export function signonPage(p: SignonPageInput): string {
  const w = signonPageWords(p.language);
  const v = p.values ?? {};
  const val = (k: string) => escapeHtml(v[k] ?? '');
  const text =
    (k: string, max: number, type = 'text', required = true, auto = '') =>
    (attrs: string) =>
      `<input type="${type}" ${attrs} value="${val(k)}" maxlength="${max}"${required ? ' required' : ''}${auto ? ` autocomplete="${auto}"` : ''}>`;
  const when = formatDeadline(p.closesAt, p.language);
  const nav = p.alternatives.length
    ? `<nav aria-label="${escapeHtml(w.languages)}">${p.alternatives
        .map(
          (a) =>
            `<a href="${escapeHtml(a.href)}" hreflang="${escapeHtml(a.language)}" lang="${escapeHtml(a.language)}">${escapeHtml(new Intl.DisplayNames([a.language], { type: 'language' }).of(a.language) ?? a.language)}</a>`,
        )
        .join(' · ')}</nav>`
    : '';
  const problems =
    p.notice || p.issues?.length
      ? `<div class="problems" role="alert" id="problems"><h2>${escapeHtml(w.problemsHeading)}</h2>${
          p.notice ? `<p>${escapeHtml(p.notice)}</p>` : ''
        }${
          p.issues?.length
            ? `<ul>${[...p.issues]
                .sort((a, b) => FORM_FIELDS.indexOf(a.field) - FORM_FIELDS.indexOf(b.field))
                .map(
                  (i) =>
                    `<li><a href="#f-${escapeHtml(i.field)}">${escapeHtml(labelOf(w, i.field))}</a>: ${escapeHtml(i.message)}</li>`,
                )
                .join('')}</ul>`
            : ''
        }</div>`
      : '';
  const types = ORG_TYPES.map(
    (t) =>
      `<option value="${t}"${v.type === t ? ' selected' : ''}>${escapeHtml(w.types[t] ?? t)}</option>`,
  ).join('');
  const form =
    `<form method="post" novalidate>` +
    problems +
    field(
      w,
      p,
      'name',
      w.name,
      text('name', LIMITS.name, 'text', true, 'organization'),
      w.nameHint,
    ) +
    field(w, p, 'latin', w.latin, text('latin', LIMITS.latin, 'text', false), w.latinHint) +
    field(
      w,
      p,
      'country',
      w.country,
      (a) =>
        `<select ${a} required><option value=""></option>${countryOptions(p.language, v.country)}</select>`,
    ) +
    field(w, p, 'type', w.type, (a) => `<select ${a} required>${types}</select>`) +
    field(w, p, 'website', w.website, text('website', LIMITS.website, 'url', false, 'url')) +
    field(
      w,
      p,
      'contactName',
      w.contactName,
      text('contactName', LIMITS.person, 'text', true, 'name'),
    ) +
    field(
      w,
      p,
      'contactEmail',
      w.contactEmail,
      text('contactEmail', LIMITS.email, 'email', true, 'email'),
      w.contactHint,
    ) +
    `<div class="trap" aria-hidden="true"><label for="f-trap">${escapeHtml(w.honeypot)}</label><input type="text" id="f-trap" name="${TRAP_FIELD}" tabindex="-1" autocomplete="off"></div>` +
    `<div class="check"><input type="checkbox" id="f-consent" name="consent" value="yes" required${v.consent === 'yes' ? ' checked' : ''}${p.issues?.some((i) => i.field === 'consent') ? ' aria-invalid="true"' : ''}><label for="f-consent">${escapeHtml(w.consent(p.coalition))}</label></div>` +
    `<input type="hidden" name="lang" value="${escapeHtml(p.language)}">` +
    `<button type="submit">${escapeHtml(w.submit)}</button></form>`;
  const body =
    nav +
    `<p class="from">${escapeHtml(p.coalition)}</p><h1>${escapeHtml(p.statement.title)}</h1>` +
    `<p>${escapeHtml(w.intro(p.coalition, when))}</p>` +
    `<h2>${escapeHtml(w.statementHeading)}</h2><div class="statement" tabindex="0" role="region" aria-label="${escapeHtml(w.statementHeading)}">${statementHtml(p.statement)}</div>` +
    `<h2>${escapeHtml(w.signedHeading(p.signed.length))}</h2>` +
    (p.signed.length
      ? listHtml(p.signed, p.language)
      : `<p class="muted">${escapeHtml(w.noneYet)}</p>`) +
    `<h2 id="sign">${escapeHtml(w.formHeading)}</h2>` +
    form;
  return frame(p.language, w.title(p.statement.title), body);
}

function labelOf(w: SignonPageWords, field: string): string {
  const labels: Record<string, string> = {
    name: w.name,
    latin: w.latin,
    country: w.country,
    type: w.type,
    website: w.website,
    contactName: w.contactName,
    contactEmail: w.contactEmail,
    consent: w.consentShort,
  };
  return labels[field] ?? field;
}

/** The emailed link's page: a button that confirms (a GET never does: mail scanners open links). */
export function confirmPage(language: string, name: string, coalition: string): string {
  const w = signonPageWords(language);
  return frame(
    language,
    w.confirmHeading,
    `<p class="from">${escapeHtml(coalition)}</p><h1>${escapeHtml(w.confirmHeading)}</h1>` +
      `<p>${escapeHtml(w.confirmBody(name))}</p>` +
      `<form method="post"><button type="submit">${escapeHtml(w.confirmButton)}</button></form>`,
  );
}

/** The full list of signatories the letter links to when it cannot hold them all. */
export function listPage(
  language: string,
  title: string,
  coalition: string,
  list: ListedSignatory[],
): string {
  const w = signonPageWords(language);
  return frame(
    language,
    w.listHeading(title),
    `<p class="from">${escapeHtml(coalition)}</p><h1>${escapeHtml(w.listHeading(title))}</h1>` +
      `<p>${escapeHtml(w.signedHeading(list.length))}</p>${listHtml(list, language)}`,
  );
}
