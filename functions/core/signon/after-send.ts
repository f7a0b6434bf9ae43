/**
 * After the send-out, what sign-on owes the organisations under the letter:
 * each approved, confirmed signatory's contact gets one copy of the final
 * letter (in its language, with a note on when and to how many it went),
 * and after the deadline one proof-of-delivery summary (how many letters
 * were delivered, by type of recipient and to which institutions), built
 * from the report's data. Mails are pure values here; sending them is
 * after-send-run.ts.
 */
import type { Campaign } from '../campaign.js';
import { escapeHtml } from '../html.js';
import { mergeLetter, type LetterTemplate } from '../letter-merge.js';
import type { OutgoingLetter } from '../ports.js';
import type { ReportModel } from '../report/model.js';
import { afterSendWords, dayIn } from './after-words.js';
import { plainMail } from './mail.js';
import type { AfterSendMail, Signatory } from './model.js';

/** Whether the campaign's letters went out and its sending is over (completed, or stopped at the deadline). */
export function sentOut(c: Pick<Campaign, 'status' | 'launchedAt' | 'dryRun'>): boolean {
  return !!c.launchedAt && !c.dryRun && (c.status === 'completed' || c.status === 'expired');
}

/** Whether the delivery summary is due: the letters went out and the deadline has passed. */
export function summaryDue(
  c: Pick<Campaign, 'status' | 'launchedAt' | 'dryRun'> & { statement: { deadline: string } },
  now: Date,
): boolean {
  return sentOut(c) && Date.parse(c.statement.deadline) <= now.getTime();
}

/**
 * The signatories owed `mail`: approved, confirmed, with a contact address
 * not erased, and not yet claimed for it (the store's claim checks all of
 * this again, conditionally, at the moment of sending).
 */
export function owedMail(list: Signatory[], mail: AfterSendMail): Signatory[] {
  const done = mail === 'copy' ? 'copyAt' : 'summaryAt';
  return list.filter(
    (s) =>
      s.state === 'approved' &&
      !!s.confirmedAt &&
      !!s.contactEmail &&
      !s.contactErasedAt &&
      !s[done],
  );
}

/** The compiled language a signatory reads: theirs if compiled, its base, else the campaign's first. */
export function signatoryLanguage(c: Pick<Campaign, 'languages'>, s: Signatory): string {
  const base = s.language.split('-')[0]!;
  return (
    c.languages.find((l) => l === s.language) ??
    c.languages.find((l) => l === base) ??
    c.languages[0]!
  );
}

/**
 * The copy of the final letter for one signatory: the compiled letter of
 * their language merged for the contact (no open pixel, no tracked links,
 * no unsubscribe: they are not its recipient), with a note above it.
 */
export function copyMail(
  campaign: Campaign,
  template: LetterTemplate,
  s: Signatory,
  ctx: { sent: number; sentAt: string; privacyUrl?: string; openLetterUrl?: string },
): OutgoingLetter {
  const w = afterSendWords(template.language);
  const coalition = campaign.statement.from.name;
  const letter = mergeLetter(
    template,
    {
      salutation: w.copySalutation(s.contactName),
      name: s.contactName,
      title: '',
      organisation: s.displayName,
      why: w.copyWhy(s.displayName, coalition),
    },
    ctx.privacyUrl ? { privacyUrl: ctx.privacyUrl } : {},
  );
  const note = [
    w.copyNote({
      organisation: s.displayName,
      coalition,
      sent: ctx.sent,
      date: dayIn(ctx.sentAt, template.language),
    }),
    ...(ctx.openLetterUrl ? [w.openLetterLine(ctx.openLetterUrl)] : []),
  ];
  const noteHtml =
    '<div style="font-family:system-ui,sans-serif;font-size:14px;line-height:1.5;color:#1f2328;background:#f6f8fa;border-bottom:1px solid #d0d7de;padding:12px 16px;">' +
    note.map((p) => `<p style="margin:0 0 6px;">${escapeHtml(p)}</p>`).join('') +
    '</div>';
  const body = /<body[^>]*>/i.exec(letter.html);
  const html = body
    ? letter.html.slice(0, body.index + body[0].length) +
      noteHtml +
      letter.html.slice(body.index + body[0].length)
    : noteHtml + letter.html;
  const mail = plainMail(
    campaign.statement,
    s,
    w.copySubject(letter.subject),
    `${note.join('\n\n')}\n\n----\n\n${letter.text}`,
    campaign.id,
  );
  return { ...mail, html };
}

/** At most this many institutions are named per type of recipient; the rest are counted. */
export const SUMMARY_NAMES = 60;

/** The proof-of-delivery summary for one signatory, from the campaign's report. */
export function summaryMail(report: ReportModel, s: Signatory): OutgoingLetter {
  const w = afterSendWords(s.language);
  const c = report.campaign;
  const lang = s.language;
  const parts = [
    w.summaryIntro({
      name: s.contactName,
      subject: c.statement.subject,
      coalition: c.statement.from.name,
      ...(report.firstSentAt && report.lastSentAt
        ? { first: dayIn(report.firstSentAt, lang), last: dayIn(report.lastSentAt, lang) }
        : {}),
    }),
    w.summaryTotals({
      delivered: report.summary.delivered,
      sent: report.summary.sent,
      recipients: report.summary.recipients,
    }),
  ];
  for (const g of report.groups) {
    const rows = g.countries.flatMap((x) => x.rows);
    const delivered = rows.filter((r) => r.deliveredAt);
    // Institutions, never people: the recipients' names and addresses are theirs.
    const names = [
      ...new Set(delivered.map((r) => r.organisation).filter((o): o is string => !!o)),
    ].sort((a, b) => a.localeCompare(b, lang));
    const shown = names.slice(0, SUMMARY_NAMES);
    const more = names.length - shown.length;
    parts.push(
      [
        w.groupLine({ group: w.group[g.group], delivered: delivered.length, letters: g.letters }),
        ...shown.map((n) => `- ${n}`),
        ...(more > 0 ? [`- ${w.andMore(more)}`] : []),
      ].join('\n'),
    );
  }
  parts.push(w.summaryEnd(c.statement.from.name));
  return plainMail(c.statement, s, w.summarySubject(c.statement.subject), parts.join('\n\n'), c.id);
}
