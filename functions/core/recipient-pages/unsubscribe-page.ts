/**
 * The unsubscribe page of one letter, in the letter's language: who writes
 * to which (masked) address, a choice between stopping every letter of the
 * coalition and stopping only this letter's follow-ups, and once a choice is
 * made its confirmation with an undo for 30 days. Built from the stored
 * choice (choice.ts), never from what the request claims. Forms post to the
 * page's own address (relative, so the page works under any base path).
 */
import { escapeHtml } from '../html.js';
import { formatDay } from '../i18n.js';
import type { ChoiceState } from './choice.js';
import { renderPage } from './layout.js';
import { pageWordsFor } from './page-words.js';

export interface UnsubscribeView {
  language: string;
  coalition: string;
  postalAddress?: string;
  /** The subject of the letter in its language, named by the follow-ups option. */
  subject: string;
  /** The masked address (mask.ts). */
  address: string;
  why: string[];
  privacyUrl?: string;
  /** The page's own path segment (the signed token): forms post there. */
  action: string;
  state: ChoiceState;
  /** The recipient just undid a stop (shown only while nothing stops them). */
  undone?: boolean;
}

export interface Page {
  status: number;
  title: string;
  html: string;
}

/** The page for the recipient's current choice. */
export function unsubscribePage(v: UnsubscribeView): Page {
  const w = pageWordsFor(v.language);
  const action = escapeHtml(v.action);
  const frame = (title: string, body: string): Page => ({
    status: 200,
    title,
    html: renderPage({
      language: v.language,
      title,
      coalition: v.coalition,
      postalAddress: v.postalAddress,
      body,
      why: v.why,
      privacyUrl: v.privacyUrl,
    }),
  });
  const s = v.state;
  if (s.kind === 'blocked')
    return frame(w.blocked(v.coalition), `<p>${escapeHtml(w.blockedBody)}</p>`);
  if (s.kind === 'stopped') {
    const title = s.scope === 'all' ? w.stoppedAll(v.coalition) : w.stoppedFollowUps;
    const body = escapeHtml(
      s.scope === 'all' ? w.stoppedAllBody(v.address) : w.stoppedFollowUpsBody(v.address),
    );
    const undo = s.undoUntil
      ? `<form method="post" action="${action}"><p>${escapeHtml(w.undoUntil(formatDay(s.undoUntil, v.language)))}</p>` +
        `<input type="hidden" name="choice" value="undo"><button type="submit" class="secondary">${escapeHtml(w.undo)}</button></form>`
      : `<p>${escapeHtml(w.undoOver)}</p>`;
    return frame(title, `<p role="status">${body}</p>${undo}`);
  }
  const intro = v.undone
    ? `<p role="status">${escapeHtml(w.undoneBody(v.address))}</p>`
    : `<p>${escapeHtml(w.writesTo(v.coalition, v.address))}</p>`;
  const option = (value: string, label: string, hint: string) =>
    `<div class="choice"><input type="radio" name="choice" id="choice-${value}" value="${value}" required aria-describedby="hint-${value}">` +
    `<label for="choice-${value}"><strong>${escapeHtml(label)}</strong> <span class="hint" id="hint-${value}">${escapeHtml(hint)}</span></label></div>`;
  const form =
    `<form method="post" action="${action}"><fieldset><legend>${escapeHtml(w.question)}</legend>` +
    option('all', w.stopAll(v.coalition), w.stopAllHint) +
    option('followups', w.stopFollowUps, w.stopFollowUpsHint(v.subject)) +
    `</fieldset><button type="submit">${escapeHtml(w.confirm)}</button></form>`;
  return frame(v.undone ? w.undone : w.pageTitle(v.coalition), intro + form);
}

/** The page for a link that leads nowhere (forged, altered, or its letter erased): it names no one. */
export function goneLinkPage(language = 'en'): Page {
  const w = pageWordsFor(language);
  return {
    status: 404,
    title: w.gone,
    html: renderPage({
      language,
      title: w.gone,
      coalition: '',
      body: `<p>${escapeHtml(w.goneBody)}</p>`,
    }),
  };
}

/** The answer to a POST that is neither a choice nor RFC 8058 one-click. */
export function notUnderstoodPage(language: string, coalition: string, action: string): Page {
  const w = pageWordsFor(language);
  return {
    status: 400,
    title: w.notUnderstood,
    html: renderPage({
      language,
      title: w.notUnderstood,
      coalition,
      body: `<p>${escapeHtml(w.notUnderstoodBody)}</p><p><a href="${escapeHtml(action)}">${escapeHtml(w.pageTitle(coalition))}</a></p>`,
    }),
  };
}
