/**
 * The new text of a reply, without the letter it quotes, in one pass over its
 * lines. Outlook does not quote with ">" but appends the letter under a
 * "From: … Sent: … To: … Subject: …" block (in the writer's language), so
 * that block, an "Original Message" rule or a forwarded-message marker cuts
 * the rest. Lines quoted with ">" are dropped with the "On … wrote:" line
 * that introduces them — but answers written between quoted lines
 * (Thunderbird's and Apple Mail's interleaved style) are kept, each after the
 * quoted line it answers. The signature stays: for a ministry it says who
 * answered. Each line is matched only on its first few hundred characters
 * and only against patterns without nested repetition, so the cost is
 * O(length of the text) for any input.
 */
import type { Budget } from './mime/budget.js';

/** Characters of a line any pattern looks at: header and attribution lines are never longer. */
const HEAD = 300;

/** Header names Outlook writes in its quote block, by language (en, fr, de, nl, es, it, pt, pl). */
const FROM = String.raw`(?:From|De|Von|Van|Da|Od)`;
const SENT = String.raw`(?:Sent|Date|Envoyé|Gesendet|Datum|Verzonden|Enviado|Enviada|Inviato|Wysłano|Data)`;
const TO_OR_SUBJECT = String.raw`(?:To|À|A|An|Aan|Para|Cc|Do|Subject|Objet|Betreff|Onderwerp|Asunto|Oggetto|Assunto|Temat)`;

const SEPARATORS = [
  /^\s*-{2,}\s*(?:Original Message|Message d'origine|Ursprüngliche Nachricht|Oorspronkelijk bericht|Mensaje original|Messaggio originale|Mensagem original|Wiadomość oryginalna)\s*-{2,}\s*$/i,
  // Outlook's rule line directly above its header block.
  /^\s*_{20,}\s*$/,
];

/** Where a forwarded letter starts (Gmail, Apple Mail, Thunderbird, Outlook; en, fr, de, es, it, nl). */
export const FORWARD_START = [
  /^\s*-{5,}\s*(?:Forwarded message|Message transféré|Weitergeleitete Nachricht|Mensaje reenviado|Messaggio inoltrato|Doorgestuurd bericht)\s*-{5,}\s*$/i,
  /^\s*(?:Begin forwarded message|Début du message réexpédié|Anfang der weitergeleiteten Nachricht|Inicio del mensaje reenviado)\s*:\s*$/i,
  /^\s*-{5,}\s*(?:Original Message|Forwarded Message|Message transféré|Weitergeleitete Nachricht)\s*-{5,}\s*$/i,
];

const headerLine = (names: string) => new RegExp(String.raw`^\s*\*?${names}\s?:\*?(\s|$)`, 'i');
const FROM_LINE = headerLine(FROM);
const SENT_LINE = headerLine(SENT);
const OTHER_LINE = headerLine(TO_OR_SUBJECT);

/** The verb of an attribution line ("On … X wrote:") in the languages mail clients ship. */
const ATTRIBUTION_VERB =
  /(?:wrote|a écrit|schrieb|schreef|escribió|scritto|escreveu|napisał|napisała|pisze|skrev|kirjoitti|написал|написала|írta|napsal|έγραψε|写道|작성|のメッセージ)/i;
/** How attribution lines open, when a client wraps one over two lines. */
const ATTRIBUTION_OPEN =
  /^\s*(?:On|Le|Am|Op|El|Il|Em|W dniu|Dnia|Den|På|Dne|Στις|В|\d{1,4}[./-]\d{1,2}[./-]\d{1,4})\b/i;

const head = (line: string) => (line.length > HEAD ? line.slice(0, HEAD) : line);

/** True when a line is quoted with ">" (after at most three spaces). */
export function isQuoted(line: string): boolean {
  for (let i = 0; i < line.length && i < 4; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x3e) return true;
    if (c !== 0x20) return false;
  }
  return false;
}

const isBlank = (line: string) => line.trim() === '';

function mayOpenBlock(line: string): boolean {
  for (let i = 0; i < line.length && i < 8; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x20 || c === 0x09) continue;
    return c === 0x2d || c === 0x5f || c === 0x2a || c >= 0x41;
  }
  return false;
}

/** Index of the first line of an Outlook-style quote block or a forwarded letter, or -1. */
export function outlookBlockStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = head(lines[i]!);
    // Every separator and header line starts (after spaces) with "-", "_", "*" or a letter.
    if (!mayOpenBlock(line)) continue;
    if (SEPARATORS[0]!.test(line) || FORWARD_START.some((re) => re.test(line))) return i;
    if (!FROM_LINE.test(line)) continue;
    // A From: line opens a block only with a Sent:/Date: line and a To:/Subject: line close below it.
    const next = lines.slice(i + 1, i + 6).map(head);
    if (next.some((l) => SENT_LINE.test(l)) && next.some((l) => OTHER_LINE.test(l))) {
      const prev = i > 0 ? head(lines[i - 1]!) : '';
      return SEPARATORS[1]!.test(prev) ? i - 1 : i;
    }
  }
  return -1;
}

/** The next line at or after `from` that is not blank, or undefined. */
function nextContent(lines: string[], from: number): string | undefined {
  for (let i = from; i < lines.length && i < from + 3; i++)
    if (!isBlank(lines[i]!)) return lines[i];
  return undefined;
}

/** True when line `i` is an attribution ("… wrote:") directly above quoted lines. */
function isAttribution(lines: string[], i: number): boolean {
  const line = head(lines[i]!).trim();
  if (!/[:：]$/.test(line) || !ATTRIBUTION_VERB.test(line)) return false;
  const next = nextContent(lines, i + 1);
  return next !== undefined && isQuoted(next);
}

function trimEnd(s: string): string {
  let end = s.length;
  while (end > 0 && (s.charCodeAt(end - 1) === 0x20 || s.charCodeAt(end - 1) === 0x09)) end--;
  return s.slice(0, end);
}

/** Quoted lines shown above an interleaved answer, to say what it answers. */
const CONTEXT_LINES = 2;

/** The new text of a reply: the writer's words and signature, without the quoted letter. */
export function newText(text: string, budget?: Budget): string {
  const all = text.replace(/\r\n?/g, '\n').split('\n');
  const cut = outlookBlockStart(all);
  const lines = cut >= 0 ? all.slice(0, cut) : all;
  if (budget) budget.ops += text.length + all.length * 8;

  const drop = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    if (isQuoted(lines[i]!) || !isAttribution(lines, i)) continue;
    drop.add(i);
    const prev = i > 0 ? lines[i - 1]! : '';
    if (
      !isBlank(prev) &&
      !isQuoted(prev) &&
      !ATTRIBUTION_OPEN.test(head(lines[i]!)) &&
      ATTRIBUTION_OPEN.test(head(prev))
    )
      drop.add(i - 1);
  }

  // Blocks of new text, each with the quoted lines just above it (when there were any).
  const out: string[] = [];
  let quoted: string[] = [];
  let sawQuote = false;
  let pending: string[] = [];
  const flush = () => {
    const first = pending.find((l) => !isBlank(l));
    if (first !== undefined) {
      // A signature below the quote answers nothing: no context above it.
      const signature = /^--\s*$/.test(first);
      if (sawQuote && quoted.length && !signature) {
        if (out.length) out.push('');
        for (const q of quoted.slice(-CONTEXT_LINES))
          out.push(q.length > 200 ? `${q.slice(0, 200)}…` : q);
      } else if (out.length && sawQuote) out.push('');
      // One line at a time: a spread of a body's many lines would overflow the call stack.
      for (const l of pending) out.push(l);
    }
    pending = [];
  };
  for (let i = 0; i < lines.length; i++) {
    if (drop.has(i)) continue;
    const line = lines[i]!;
    if (isQuoted(line)) {
      if (pending.some((l) => !isBlank(l))) {
        flush();
        quoted = [];
      } else pending = [];
      sawQuote = true;
      const content = line.replace(/^\s{0,3}(?:>\s?)+/, '').trim();
      // The quoted "On … wrote:" line (Apple Mail quotes it) is no context for an answer.
      const attribution = /[:：]$/.test(head(content)) && ATTRIBUTION_VERB.test(head(content));
      if (content && !attribution) quoted.push(`> ${content}`);
      continue;
    }
    pending.push(line);
  }
  flush();

  // Trailing spaces off, runs of blank lines down to one, no blank edges.
  const result: string[] = [];
  for (const l of out) {
    const t = trimEnd(l);
    if (t === '' && (result.length === 0 || result[result.length - 1] === '')) continue;
    result.push(t);
  }
  while (result.length && result[result.length - 1] === '') result.pop();
  return result.join('\n');
}
