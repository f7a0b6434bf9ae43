/**
 * The mails sign-on sends a contact: the confirmation link (double opt-in)
 * and the notice that staff changed how their organisation's name is shown.
 * Plain text with an escaped HTML twin, from the campaign's own sender (a
 * From the deployment allows), never through MJML: the public function that
 * sends the confirmation stays small.
 */
import { escapeHtml, oneLine } from '../html.js';
import { signonPageWords } from '../i18n-signon.js';
import type { OutgoingLetter } from '../ports.js';
import type { Statement } from '../statement.js';
import type { Signatory } from './model.js';

/** A plain-text mail to a signatory's contact with its escaped HTML twin, from the campaign's sender. */
export function plainMail(
  statement: Statement,
  s: Signatory,
  subject: string,
  text: string,
  campaignId: string,
): OutgoingLetter {
  const html =
    `<!doctype html><html lang="${escapeHtml(s.language)}"><body style="font-family:system-ui,sans-serif;line-height:1.5;">` +
    text
      .split('\n\n')
      .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
      .join('') +
    '</body></html>';
  return {
    from: statement.from,
    to: s.contactEmail,
    toName: oneLine(s.contactName),
    replyTo: statement.staffAddress ?? statement.from.address,
    subject: oneLine(subject),
    html,
    text,
    // Not a letter of the campaign: no recipient tag, so delivery events never touch its counts.
    tags: { signon: campaignId },
  };
}

/** The confirmation mail with its signed link. */
export function confirmationMail(statement: Statement, s: Signatory, url: string): OutgoingLetter {
  const w = signonPageWords(s.language);
  return plainMail(
    statement,
    s,
    w.mailSubject(statement.title),
    w.mailBody({
      name: s.contactName,
      title: statement.title,
      coalition: statement.from.name,
      url,
    }),
    s.campaignId,
  );
}

/** Tells the contact how the letter will show their organisation's name. */
export function renamedMail(statement: Statement, s: Signatory, newName: string): OutgoingLetter {
  const w = signonPageWords(s.language);
  return plainMail(
    statement,
    s,
    w.renamedSubject(statement.title),
    w.renamedBody({
      from: s.displayName,
      to: newName,
      title: statement.title,
      coalition: statement.from.name,
    }),
    s.campaignId,
  );
}
