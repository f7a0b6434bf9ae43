/**
 * The new text of a reply, without the letter it quotes. Outlook does not
 * quote with ">" but appends the letter under a "From: … Sent: … To: …
 * Subject: …" block (in the writer's language), so that block is cut first;
 * then email-reply-parser (v1) splits the rest into fragments and everything
 * from the first quoted fragment on is dropped. The signature is kept: for a
 * ministry it says who answered.
 */
import EmailReplyParser from 'email-reply-parser';

/** Header names Outlook writes in its quote block, by language (en, fr, de, nl, es, it). */
const FROM = String.raw`(?:From|De|Von|Van|Da)`;
const SENT = String.raw`(?:Sent|Date|Envoyé|Gesendet|Datum|Verzonden|Enviado|Inviato)`;
const TO_OR_SUBJECT = String.raw`(?:To|À|A|An|Aan|Para|Cc|Subject|Objet|Betreff|Onderwerp|Asunto|Oggetto)`;

const SEPARATORS = [
  /^\s*-{2,}\s*(?:Original Message|Message d'origine|Ursprüngliche Nachricht|Oorspronkelijk bericht|Mensaje original|Messaggio originale)\s*-{2,}\s*$/i,
  // Outlook's rule line directly above its header block.
  /^\s*_{20,}\s*$/,
];

/** Where a forwarded letter starts (Gmail, Apple Mail, Thunderbird, Outlook; en, fr, de). */
const FORWARD_START = [
  /^\s*-{5,}\s*(?:Forwarded message|Message transféré|Weitergeleitete Nachricht)\s*-{5,}\s*$/i,
  /^\s*(?:Begin forwarded message|Début du message réexpédié|Anfang der weitergeleiteten Nachricht)\s*:\s*$/i,
  /^\s*-{5,}\s*(?:Original Message|Forwarded Message)\s*-{5,}\s*$/i,
];

const headerLine = (names: string) => new RegExp(String.raw`^\s*\*?${names}\s?:\*?(\s|$)`, 'i');
const FROM_LINE = headerLine(FROM);
const SENT_LINE = headerLine(SENT);
const OTHER_LINE = headerLine(TO_OR_SUBJECT);

/** Index of the first line of an Outlook-style quote block or a forwarded letter, or -1. */
export function outlookBlockStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (SEPARATORS[0]!.test(line) || FORWARD_START.some((re) => re.test(line))) return i;
    if (!FROM_LINE.test(line)) continue;
    // A From: line opens a block only with a Sent:/Date: line and a To:/Subject: line close below it.
    const next = lines.slice(i + 1, i + 6);
    if (next.some((l) => SENT_LINE.test(l)) && next.some((l) => OTHER_LINE.test(l))) {
      const prev = i > 0 ? lines[i - 1]! : '';
      return SEPARATORS[1]!.test(prev) ? i - 1 : i;
    }
  }
  return -1;
}

/** The new text of a reply: the writer's words and signature, without any quoted letter. */
export function newText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const cut = outlookBlockStart(lines);
  const head = (cut >= 0 ? lines.slice(0, cut) : lines).join('\n');
  const fragments = new EmailReplyParser().read(head).getFragments();
  const kept: string[] = [];
  for (const f of fragments) {
    if (f.isQuoted()) break;
    kept.push(f.getContent());
  }
  return kept
    .join('\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
