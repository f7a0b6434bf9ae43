/**
 * One recipient's letter as a browser shows it: their compiled language, the
 * signed links their letter carries, and the merge. Apart from compose.ts
 * (which also builds the raw MIME message) so that the web version and the
 * tracking routes load no MIME code.
 */
import type { KeyRing } from './key-ring.js';
import type { Campaign, CampaignRecipient } from './campaign.js';
import {
  mergeLetter,
  type LetterLinks,
  type LetterTemplate,
  type RenderedLetter,
} from './letter-merge.js';
import {
  clickUrl,
  openPixelUrl,
  privacyPageUrl,
  unsubscribeUrl,
  webVersionUrl,
  type LinkContext,
} from './links.js';
import { mergeValues } from './personalise.js';
import { trackingFor } from './tracking.js';

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
  links: { publicUrl: string; keys: KeyRing; privacyUrl?: string },
  opts: LetterLinkOptions = {},
): RenderedLetter {
  const ctx = { ...links, campaignId: campaign.id, recipientId: recipient.id };
  return mergeLetter(
    template,
    mergeValues(recipient, template.language, campaign.statement.from.name),
    recipientLinks(campaign, recipient, ctx, { ...opts, language: template.language }),
  );
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
