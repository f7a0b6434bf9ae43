/**
 * The message that tells campaign staff about a person's reply: the match
 * (who, which campaign, how sure) at the top, then the new text, then the
 * attachments' names. Everything that came from the reply is escaped in the
 * HTML part and kept on one line in headers.
 */
import type { Campaign } from '../campaign.js';
import { escapeHtml, oneLine } from '../html.js';
import type { OutgoingLetter } from '../ports.js';
import { matchLabel } from './effects.js';
import type { Reply } from './types.js';

/** Builds the staff notification for one stored reply of `campaign`. */
export function staffForward(campaign: Campaign, reply: Reply): OutgoingLetter {
  const who = reply.from
    ? `${oneLine(reply.from.name) || reply.from.address} <${reply.from.address}>`
    : 'unknown sender';
  const top = [
    `Reply to campaign ${campaign.id} (${oneLine(campaign.statement.title || campaign.statement.subject)})`,
    `From: ${who}`,
    `Recipient: ${reply.recipientId ?? 'not matched'}`,
    `Match: ${reply.match.by} (${reply.match.strength}) — ${matchLabel(reply)}`,
    `Sender: ${reply.authenticity?.summary ?? 'not checked'}`,
    `Subject: ${oneLine(reply.subject ?? '')}`,
    `Received: ${reply.receivedAt}`,
  ];
  const attachments = reply.attachments.map(
    (a) => `${a.filename} (${a.mimeType}, ${a.size} bytes)`,
  );
  const text = [
    ...top,
    '',
    reply.text,
    ...(attachments.length ? ['', 'Attachments:', ...attachments] : []),
  ].join('\n');
  const html = [
    '<div style="font-family:sans-serif">',
    `<table style="background:#f3f3f3;padding:8px">${top
      .map((l) => `<tr><td>${escapeHtml(l)}</td></tr>`)
      .join('')}</table>`,
    `<pre style="white-space:pre-wrap;font-family:inherit">${escapeHtml(reply.text)}</pre>`,
    attachments.length
      ? `<p>Attachments:</p><ul>${attachments.map((a) => `<li>${escapeHtml(a)}</li>`).join('')}</ul>`
      : '',
    '</div>',
  ].join('');
  return {
    from: campaign.statement.from,
    to: campaign.staffAddress!,
    // Staff answer the person directly.
    replyTo: reply.from?.address ?? campaign.statement.from.address,
    subject: oneLine(`[reply] ${reply.subject ?? ''}`).slice(0, 250),
    html,
    text,
    // No configuration set and no recipient tag: this is not a campaign letter and must not count as one.
    tags: { campaign: campaign.id, kind: 'reply-forward' },
  };
}
