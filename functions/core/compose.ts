/**
 * Composing one recipient's message from the campaign's compiled letter:
 * merge values, signed links, headers and the raw MIME. Pure: the sender
 * calls it between the claim and the mail call, the web-version route calls
 * `personalLetter` to show the same letter in a browser.
 */
import type { KeyRing } from './key-ring.js';
import { randomUUID } from 'node:crypto';
import type { Campaign, CampaignRecipient } from './campaign.js';
import { mergeLetter, type LetterTemplate } from './letter-merge.js';
import { replyAddress } from './links.js';
import {
  fillMime,
  isBase64Skeleton,
  mimeAddress,
  mimeBody,
  mimeDate,
  mimeHeaderLines,
  mimeParts,
} from './mime.js';
import type { OutgoingLetter } from './ports.js';
import { mergeValues } from './personalise.js';
import { recipientLinks } from './personal-letter.js';

export {
  languageFor,
  personalLetter,
  recipientLinks,
  type LetterLinkOptions,
} from './personal-letter.js';

export interface ComposeOptions {
  /** The Date header; the sender passes its clock's now. */
  now?: Date;
  /** A test letter (`demarche test-send`): marked in a header, counted nowhere. */
  test?: boolean;
}

/** Builds the message for one recipient from the campaign's compiled letter. */
export function letterFor(
  campaign: Campaign,
  template: LetterTemplate,
  recipient: CampaignRecipient,
  links: { publicUrl: string; keys: KeyRing; privacyUrl?: string },
  opts: ComposeOptions = {},
): OutgoingLetter {
  const ctx = { ...links, campaignId: campaign.id, recipientId: recipient.id };
  const signed = recipientLinks(campaign, recipient, ctx, { language: template.language });
  const rendered = mergeLetter(
    template,
    mergeValues(recipient, template.language, campaign.statement.from.name),
    signed,
  );
  const replyTo = replyAddress(ctx, campaign.statement.replyToDomain);
  const headers: Record<string, string> = {};
  if (signed.unsubscribeUrl) {
    // RFC 8058 one-click: the POST to this address unsubscribes without a page to click through.
    headers['List-Unsubscribe'] = `<${signed.unsubscribeUrl}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  if (opts.test) headers['X-Demarche-Test'] = 'yes';
  if (recipient.threadRef) {
    // A follow-up lands in the same conversation as the letter it follows up.
    headers['In-Reply-To'] = recipient.threadRef;
    headers['References'] = recipient.threadRef;
  }
  const from = campaign.statement.from;
  const domain = from.address.split('@')[1] ?? 'demarche.invalid';
  const raw = template.mime
    ? fillMime(template.mime, template.marker, {
        to: mimeAddress(recipient.name, recipient.email),
        replyTo,
        date: mimeDate(opts.now ?? new Date()),
        messageId: `<${randomUUID()}@${domain}>`,
        extra: mimeHeaderLines(headers),
        // Letters stored before bodies were quoted-printable keep their base64 skeleton.
        ...(isBase64Skeleton(template.mime)
          ? { text: mimeBody(rendered.text), html: mimeBody(rendered.html) }
          : { text: mimeParts(rendered.parts.text), html: mimeParts(rendered.parts.html) }),
      })
    : undefined;
  return {
    from,
    to: recipient.email,
    toName: recipient.name,
    replyTo,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    headers,
    ...(raw ? { raw } : {}),
    configurationSet: campaign.configurationSet,
    tags: { campaign: campaign.id, recipient: recipient.id },
  };
}
