/**
 * Telling people from machines among inbound messages. In order: a
 * delivery-status report (multipart/report, or a mailer-daemon's failure
 * notice) is a bounce; headers that mail software sets on automatic mail
 * (Auto-Submitted, X-Autoreply, Precedence, a null envelope sender) make an
 * auto-reply; so do the subject lines and set phrases of out-of-office and
 * "your message has been received" notices in English, French and German;
 * a forwarded letter is a forward (a forward subject prefix in any of the
 * languages Outlook and webmail write, Gmail's, Apple Mail's or
 * Thunderbird's forwarded-message marker, an Outlook header block with
 * nothing written above it, or a message attached whole); anything else is a
 * person's reply. Body phrases are looked for in the new text only, never in
 * the quoted letter.
 */
import { FORWARD_START, outlookBlockStart } from './extract.js';
import type { BounceReport, ReplyKind } from './types.js';
import { header, type ParsedMessage } from './parse.js';

export interface Classification {
  kind: Exclude<ReplyKind, 'rejected' | 'malformed'>;
  reasons: string[];
  bounce?: BounceReport;
}

const AUTO_SUBJECT = [
  /^\s*(automatic reply|auto(?:matic)?[- ]?(?:reply|response)|out of (?:the )?office|away from (?:the )?office)\b/i,
  /^\s*(réponse automatique|absence du bureau|absent(?:e)? du bureau|message d'absence|accusé de réception)\b/i,
  /^\s*(automatische antwort|abwesenheitsnotiz|abwesenheit|eingangsbestätigung|außer haus)\b/i,
  /\b(out of office|autoreply|auto-reply|réponse automatique|abwesenheitsnotiz|automatische antwort)\b/i,
];

/** Set phrases of automatic notices; matched against the new text, lower-cased, spaces collapsed. */
const AUTO_PHRASES: { lang: string; re: RegExp }[] = [
  // English: out of office
  {
    lang: 'en',
    re: /\b(i am|i'm) (currently )?(out of (the )?office|away from (the|my) (office|desk)|on (annual )?leave|on holiday|on vacation|travelling with limited access)/,
  },
  { lang: 'en', re: /\bthis is an automat(ic|ed) (reply|response|message|notification)/ },
  // English: acknowledgement
  {
    lang: 'en',
    re: /\b(your (message|e-?mail|letter|enquiry|inquiry) (has been|was) (received|delivered)|we (have )?(received|acknowledge receipt of) your (message|e-?mail))/,
  },
  { lang: 'en', re: /\bplease do not reply to this (e-?mail|message)/ },
  // French
  {
    lang: 'fr',
    re: /\bje suis (actuellement )?(absent|absente|en congés?|en déplacement|hors du bureau)\b/,
  },
  { lang: 'fr', re: /\b(ceci est une réponse automatique|ceci est un message automatique)/ },
  {
    lang: 'fr',
    re: /\b(nous avons bien reçu votre (message|courriel|e-?mail|demande)|votre (message|courriel|e-?mail) a bien été (reçu|transmis)|accusé de réception)/,
  },
  // German
  {
    lang: 'de',
    re: /\bich bin (derzeit |zurzeit |zur zeit )?(nicht im büro|abwesend|im urlaub|außer haus)/,
  },
  { lang: 'de', re: /\b(dies ist eine automatische (antwort|nachricht|e-?mail))/ },
  {
    lang: 'de',
    re: /\b(wir haben ihre (nachricht|e-?mail|mail|anfrage) erhalten|ihre (nachricht|e-?mail|mail) ist (bei uns )?eingegangen|eingangsbestätigung)/,
  },
];

/**
 * Subject prefixes of a forward: Fwd/Fw (en), TR (fr), WG (de), RV (es),
 * I (it), ENC (pt), Doorst (nl), PD (pl), VB (sv), VL (fi), Wtr.
 */
const FORWARD_SUBJECT = /^\s*(?:\[[^\]]{0,40}\]\s*)?(fwd?|tr|wg|rv|i|enc|doorst|pd|vb|vl|wtr)\s*:/i;

const BOUNCE_SENDER = /^(mailer-daemon|postmaster|mail-daemon)@/i;
const BOUNCE_SUBJECT =
  /\b(undeliverable|undelivered mail|delivery status notification \(failure\)|mail delivery failed|returned mail|delivery has failed|non remis|non distribuable|unzustellbar|nicht zustellbar)\b/i;

/** Reads Action, Status, Final-Recipient and Diagnostic-Code from a message/delivery-status body. */
export function readDeliveryStatus(text: string): BounceReport {
  const field = (name: string) =>
    new RegExp(String.raw`^${name}\s*:\s*(.+(?:\r?\n[ \t].+)*)`, 'im')
      .exec(text)?.[1]
      ?.replace(/\s+/g, ' ')
      .trim();
  const action = field('Action')?.toLowerCase();
  const status = field('Status');
  const finalRecipient = field('Final-Recipient')?.replace(/^rfc822\s*;\s*/i, '');
  const diagnostic = field('Diagnostic-Code')?.replace(/^smtp\s*;\s*/i, '');
  const permanent = action !== 'delayed' && (status ? status.startsWith('5') : action === 'failed');
  return {
    permanent,
    ...(action ? { action } : {}),
    ...(status ? { status } : {}),
    ...(finalRecipient ? { finalRecipient: finalRecipient.toLowerCase() } : {}),
    ...(diagnostic ? { diagnostic: diagnostic.slice(0, 500) } : {}),
  };
}

function bounceOf(m: ParsedMessage, envelopeFrom: string | undefined): Classification | undefined {
  const status = m.embedded.find((p) => p.mimeType === 'message/delivery-status');
  const isReport = m.contentType.startsWith('multipart/report');
  if (isReport && /report-type\s*=\s*"?disposition-notification/.test(m.contentType)) {
    return {
      kind: 'auto-reply',
      reasons: ['read receipt (multipart/report disposition-notification)'],
    };
  }
  if (status || (isReport && /report-type\s*=\s*"?delivery-status/.test(m.contentType))) {
    const bounce = readDeliveryStatus((status ? status.text : m.text).slice(0, 65536));
    return {
      kind: 'bounce',
      reasons: [`delivery-status report${bounce.status ? ` (status ${bounce.status})` : ''}`],
      bounce,
    };
  }
  const sender = m.from?.address ?? '';
  if ((BOUNCE_SENDER.test(sender) || envelopeFrom === '') && BOUNCE_SUBJECT.test(m.subject ?? '')) {
    return {
      kind: 'bounce',
      reasons: [`failure notice from ${sender || 'a null sender'}: ${m.subject ?? ''}`],
      bounce: { permanent: true, diagnostic: m.text.slice(0, 500) },
    };
  }
  return undefined;
}

function autoHeaders(m: ParsedMessage, envelopeFrom: string | undefined): string[] {
  const reasons: string[] = [];
  const auto = header(m, 'auto-submitted')?.trim().toLowerCase();
  if (auto && !auto.startsWith('no')) reasons.push(`Auto-Submitted: ${auto}`);
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autogenerated', 'x-auto-response']) {
    const v = header(m, name);
    if (v !== undefined && !/^\s*(no|false)\s*$/i.test(v)) reasons.push(`${name}: ${v.trim()}`);
  }
  const precedence = header(m, 'precedence')?.trim().toLowerCase();
  if (precedence && ['auto_reply', 'bulk', 'junk', 'list'].includes(precedence))
    reasons.push(`Precedence: ${precedence}`);
  const suppress = header(m, 'x-auto-response-suppress')?.toLowerCase() ?? '';
  if (/\boof\b|\ball\b/.test(suppress) && header(m, 'x-ms-exchange-generated-message-source'))
    reasons.push('Exchange generated message');
  if (envelopeFrom === '') reasons.push('null envelope sender (MAIL FROM:<>)');
  return reasons;
}

/** Classifies a parsed message; `text` is its new text (quotes removed), `envelopeFrom` the SMTP MAIL FROM. */
export function classify(m: ParsedMessage, text: string, envelopeFrom?: string): Classification {
  const bounce = bounceOf(m, envelopeFrom);
  if (bounce) return bounce;

  const reasons = autoHeaders(m, envelopeFrom);
  const subject = m.subject ?? '';
  const subjectHit = AUTO_SUBJECT.find((re) => re.test(subject));
  if (subjectHit) reasons.push(`subject: ${subject.slice(0, 80)}`);
  const plain = text.toLowerCase().replace(/\s+/g, ' ');
  for (const { lang, re } of AUTO_PHRASES) {
    const hit = re.exec(plain);
    if (hit) reasons.push(`phrase (${lang}): "${hit[0]}"`);
  }
  if (reasons.length) return { kind: 'auto-reply', reasons };

  const forwardReasons: string[] = [];
  const prefix = FORWARD_SUBJECT.exec(subject);
  if (prefix)
    forwardReasons.push(`forward subject prefix "${prefix[1]}:": ${subject.slice(0, 80)}`);
  const lines = m.text.split('\n');
  const marker = lines.find((l) => l.length < 200 && FORWARD_START.some((re) => re.test(l)));
  if (marker) forwardReasons.push(`forward marker: ${marker.trim()}`);
  // An Outlook "From: … Sent: …" block with nothing written above it passes a letter on.
  if (!marker && text.trim() === '' && outlookBlockStart(lines) >= 0)
    forwardReasons.push(
      'an Outlook header block (From:, Sent:, To:, Subject:) with no new text above it',
    );
  if (m.parts.some((p) => p.mimeType === 'message/rfc822'))
    forwardReasons.push('a message attached whole (message/rfc822)');
  if (forwardReasons.length) return { kind: 'forward', reasons: forwardReasons };

  return { kind: 'human', reasons: [] };
}
