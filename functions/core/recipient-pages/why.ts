/**
 * "Why you received this": the sentences a letter's footer and the
 * recipient's pages say about where the recipient's address comes from and
 * in what role they are written to. EU data-protection law (GDPR Art. 14)
 * expects a person whose data was not collected from them to be told the
 * source and the purpose; the privacy page says the rest. Plain text here,
 * escaped wherever it is put into a page or a letter.
 */
import { oneLine } from '../html.js';
import { wordsFor } from '../i18n.js';
import type { Recipient } from '../recipients.js';

export type WhyInput = Pick<Recipient, 'group' | 'title' | 'organisation' | 'source'>;

/**
 * The sentences for one recipient, in the letter's language: the role (a
 * member organisation of the coalition, the title the row gives, else its
 * organisation), then the source of the address when the row names one.
 */
export function whySentences(r: WhyInput, language: string, coalition: string): string[] {
  const w = wordsFor(language).why;
  const title = oneLine(r.title ?? '');
  const organisation = oneLine(r.organisation ?? '');
  const name = oneLine(coalition);
  const role =
    r.group === 'ngo'
      ? w.member(name, organisation || undefined)
      : title
        ? w.as(organisation && r.group !== 'minister' ? `${title}, ${organisation}` : title)
        : organisation
          ? w.as(organisation)
          : w.contact(name);
  const source = oneLine(r.source ?? '');
  return source ? [role, w.source(source.replace(/[.。]+$/, ''))] : [role];
}

/** The sentences as one line, as the letter merges them. */
export function whyLine(r: WhyInput, language: string, coalition: string): string {
  return whySentences(r, language, coalition).join(' ');
}
