/**
 * Composing one recipient's message from the campaign's compiled letter:
 * merge values, addresses, headers and tags. Pure: the sender calls it
 * between the claim and the mail call.
 */
import type { Campaign, CampaignRecipient } from './campaign.js';
import { mergeLetter, type LetterTemplate } from './letter.js';
import { replyAddress } from './links.js';
import { mergeValues } from './personalise.js';
import type { OutgoingLetter } from './ports.js';

/** Builds the message for one recipient from the campaign's compiled letter. */
export function letterFor(
  campaign: Campaign,
  template: LetterTemplate,
  recipient: CampaignRecipient,
  links: { publicUrl: string; secret: string },
): OutgoingLetter {
  const ctx = { ...links, campaignId: campaign.id, recipientId: recipient.id };
  const rendered = mergeLetter(template, mergeValues(recipient, template.language));
  return {
    from: campaign.statement.from,
    to: recipient.email,
    replyTo: replyAddress(ctx, campaign.statement.replyToDomain),
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    configurationSet: campaign.configurationSet,
    tags: { campaign: campaign.id, recipient: recipient.id },
  };
}

/** Picks the compiled language for a recipient: theirs if compiled, else the campaign default. */
export function languageFor(campaign: Campaign, recipient: CampaignRecipient): string {
  const lang = recipient.language;
  if (lang && campaign.languages.includes(lang)) return lang;
  return campaign.languages[0]!;
}
