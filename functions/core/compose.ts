/**
 * Composing one recipient's message from the campaign's compiled letter:
 * merge values, signed links, headers and the raw MIME. Pure: the sender
 * calls it between the claim and the mail call, the web-version route calls
 * `personalLetter` to show the same letter in a browser.
 */
import { randomUUID } from 'node:crypto';
import type { Campaign, CampaignRecipient } from './campaign.js';
import {
  mergeLetter,
  type LetterLinks,
  type LetterTemplate,
  type RenderedLetter,
} from './letter.js';
import {
  clickUrl,
  openPixelUrl,
  privacyPageUrl,
  replyAddress,
  unsubscribeUrl,
  webVersionUrl,
  type LinkContext,
} from './links.js';
import {
  fillMime,
  isBase64Skeleton,
  mimeAddress,
  mimeBody,
  mimeDate,
  mimeHeaderLines,
  mimeParts,
} from './mime.js';
import { mergeValues } from './personalise.js';
import type { OutgoingLetter } from './ports.js';
import { trackingFor } from './tracking.js';

export interface ComposeOptions {
  /** The Date header; the sender passes its clock's now. */
  now?: Date;
  /** A test letter (`demarche test-send`): marked in a header, counted nowhere. */
  test?: boolean;
}

/** What the web version leaves out of the letter: the pixel (viewing it is no open) and its own link. */
export interface LetterLinkOptions {
  pixel?: boolean;
  web?: boolean;
  /** The letter's language, for the generated privacy page to answer in. */
  language?: string;
}

/** The signed links of one recipient's letter: tracking as the campaign and group allow, unsubscribe for NGOs. */
export function recipientLinks(
  campaign: Pick<Campaign, 'tracking'>,
  recipient: Pick<CampaignRecipient, 'group'>,
  ctx: LinkContext,
  opts: LetterLinkOptions = {},
): LetterLinks {
  const tracking = trackingFor(campaign.tracking, recipient.group);
  return {
    ...(opts.web !== false ? { webUrl: webVersionUrl(ctx) } : {}),
    privacyUrl: privacyPageUrl(ctx, opts.language),
    ...(recipient.group === 'ngo' ? { unsubscribeUrl: unsubscribeUrl(ctx) } : {}),
    ...(tracking.opens && opts.pixel !== false ? { pixelUrl: openPixelUrl(ctx) } : {}),
    ...(tracking.clicks ? { link: (i: number) => clickUrl(ctx, i) } : {}),
  };
}

/** One recipient's letter as HTML and text, exactly as their message carries it (without the pixel when asked). */
export function personalLetter(
  campaign: Campaign,
  template: LetterTemplate,
  recipient: CampaignRecipient,
  links: { publicUrl: string; secret: string; privacyUrl?: string },
  opts: LetterLinkOptions = {},
): RenderedLetter {
  const ctx = { ...links, campaignId: campaign.id, recipientId: recipient.id };
  return mergeLetter(
    template,
    mergeValues(recipient, template.language, campaign.statement.from.name),
    recipientLinks(campaign, recipient, ctx, { ...opts, language: template.language }),
  );
}

/** Builds the message for one recipient from the campaign's compiled letter. */
export function letterFor(
  campaign: Campaign,
  template: LetterTemplate,
  recipient: CampaignRecipient,
  links: { publicUrl: string; secret: string; privacyUrl?: string },
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

/** Picks the compiled language for a recipient: theirs if compiled, else the campaign default. */
export function languageFor(campaign: Campaign, recipient: CampaignRecipient): string {
  const lang = recipient.language;
  if (lang && campaign.languages.includes(lang)) return lang;
  // "pt-BR" falls back to "pt" before the campaign default.
  const base = lang?.split('-')[0];
  if (base && campaign.languages.includes(base)) return base;
  return campaign.languages[0]!;
}
