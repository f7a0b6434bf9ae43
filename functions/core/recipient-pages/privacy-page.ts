/**
 * The privacy page demarche generates from the deployment's configuration
 * when the deployment names no page of its own (DEMARCHE_PRIVACY_URL): who
 * is responsible for the recipients' data, what is kept and why, for how
 * long, and how to object or be forgotten (the forget flow: staff erase a
 * person on request, docs/privacy.md). In the language the link asks for.
 */
import { escapeHtml } from '../html.js';
import { wordsFor } from '../i18n.js';
import { renderPage } from './layout.js';
import { pageWordsFor } from './page-words.js';

export interface PrivacyFacts {
  language: string;
  /** Who is responsible (name and postal address), as configured. */
  controller?: string;
  /** Where to object or ask to be forgotten. */
  contact?: string;
  retentionDays: number;
}

export function privacyPage(f: PrivacyFacts): string {
  const w = pageWordsFor(f.language).privacy;
  const section = (heading: string, text: string, id: string) =>
    `<h2 id="${id}">${escapeHtml(heading)}</h2><p>${text}</p>`;
  const contact = f.contact
    ? escapeHtml(w.rightsBody(f.contact)).replace(
        escapeHtml(f.contact),
        `<a href="mailto:${escapeHtml(f.contact)}">${escapeHtml(f.contact)}</a>`,
      )
    : escapeHtml(w.rightsBody());
  return renderPage({
    language: f.language,
    title: wordsFor(f.language).why.privacy,
    coalition: '',
    body:
      section(w.who, escapeHtml(f.controller ?? w.whoDefault), 'who') +
      section(w.what, escapeHtml(w.whatBody), 'what') +
      section(w.purpose, escapeHtml(w.purposeBody), 'purpose') +
      section(w.howLong, escapeHtml(w.howLongBody(f.retentionDays)), 'retention') +
      section(w.rights, contact, 'rights'),
  });
}
