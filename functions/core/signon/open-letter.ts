/**
 * The public open-letter page: once the letters went out, and only when a
 * campaigner turned it on, the statement as it was sent and the
 * organisations that co-signed it (the list locked into the approved
 * version), for the coalition to link to. Built as the sign-on pages are
 * (page.ts): no script, one stylesheet by hash, every value escaped.
 */
import type { Campaign } from '../campaign.js';
import { escapeHtml } from '../html.js';
import type { Statement } from '../statement.js';
import { afterSendWords, dayIn } from './after-words.js';
import { sentOut } from './after-send.js';
import type { SignonSettings } from './model.js';
import { frame, listHtml, statementHtml } from './page.js';

/** Whether the page is shown: turned on, and the letters went out (completed, or stopped at the deadline). */
export function openLetterShown(
  campaign: Pick<Campaign, 'status' | 'launchedAt' | 'dryRun'>,
  settings: SignonSettings | undefined,
): boolean {
  return !!settings?.openLetter?.on && sentOut(campaign);
}

export interface OpenLetterInput {
  language: string;
  /** The statement in the page's language. */
  statement: Statement;
  coalition: string;
  sentAt: string;
  recipients: number;
  /** The other languages the page is offered in, each with its address. */
  alternatives: { language: string; href: string }[];
}

export function openLetterPage(p: OpenLetterInput): string {
  const w = afterSendWords(p.language);
  const list = p.statement.cosign?.signatories ?? [];
  const nav = p.alternatives.length
    ? `<nav>${p.alternatives
        .map(
          (a) =>
            `<a href="${escapeHtml(a.href)}" hreflang="${escapeHtml(a.language)}" lang="${escapeHtml(a.language)}">${escapeHtml(a.language.toUpperCase())}</a>`,
        )
        .join(' · ')}</nav>`
    : '';
  const signatories = list.length
    ? `<h2>${escapeHtml(w.signedBy(list.length))}</h2>${listHtml(list, p.language)}`
    : `<p class="muted">${escapeHtml(w.noSignatories)}</p>`;
  return frame(
    p.language,
    `${w.openHeading}: ${p.statement.title}`,
    nav +
      `<p class="from">${escapeHtml(p.coalition)} · ${escapeHtml(w.openHeading)}</p>` +
      `<h1>${escapeHtml(p.statement.title)}</h1>` +
      `<p class="muted">${escapeHtml(w.openSentOn(dayIn(p.sentAt, p.language), p.recipients))}</p>` +
      `<article>${statementHtml(p.statement)}</article>${signatories}`,
  );
}
