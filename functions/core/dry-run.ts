/**
 * A dry run: every letter of a campaign is composed exactly as the sender
 * would compose it, and nothing is mailed or changed. The campaign stays a
 * draft, ready to launch for real. Recipients are read page by page, so a dry
 * run of 100,000 letters holds one page at a time.
 */
import type { Campaign } from './campaign.js';
import { languageFor, letterFor } from './compose.js';
import { CampaignStateError, NotFoundError } from './errors.js';
import type { KeyRing } from './key-ring.js';
import type { LetterTemplate } from './letter.js';
import type { CampaignStore } from './ports.js';

export interface DryRunReport {
  campaignId: string;
  letters: number;
  /** Letters not pending (already sent, failed …): a dry run of a launched campaign skips them. */
  skipped: number;
  byLanguage: Record<string, number>;
  byGroup: Record<string, number>;
  /** Average and largest HTML part in bytes (Gmail clips above 102 KB). */
  averageHtmlBytes: number;
  largestHtmlBytes: number;
}

export async function dryRunCampaign(
  deps: { store: CampaignStore; keys: () => Promise<KeyRing>; config: { publicUrl: string } },
  campaignId: string,
  pageSize = 500,
): Promise<DryRunReport> {
  const campaign: Campaign | undefined = await deps.store.getCampaign(campaignId);
  if (!campaign) throw new NotFoundError('campaign', campaignId);
  if (Date.parse(campaign.statement.deadline) <= Date.now()) {
    throw new CampaignStateError(
      campaignId,
      `the deadline ${campaign.statement.deadline} has passed`,
    );
  }
  const links = { publicUrl: deps.config.publicUrl, keys: await deps.keys() };
  const templates = new Map<string, LetterTemplate>();
  const report: DryRunReport = {
    campaignId,
    letters: 0,
    skipped: 0,
    byLanguage: {},
    byGroup: {},
    averageHtmlBytes: 0,
    largestHtmlBytes: 0,
  };
  let htmlBytes = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.store.recipientsPage(campaignId, cursor, pageSize);
    for (const r of page.items) {
      if (r.state !== 'pending') {
        report.skipped++;
        continue;
      }
      const language = languageFor(campaign, r);
      let template = templates.get(language);
      if (!template) {
        template = await deps.store.getTemplate(campaignId, language);
        if (!template)
          throw new CampaignStateError(campaignId, `no compiled letter for language ${language}`);
        templates.set(language, template);
      }
      const letter = letterFor(campaign, template, r, links);
      const size = Buffer.byteLength(letter.html);
      htmlBytes += size;
      report.largestHtmlBytes = Math.max(report.largestHtmlBytes, size);
      report.letters++;
      report.byLanguage[language] = (report.byLanguage[language] ?? 0) + 1;
      report.byGroup[r.group] = (report.byGroup[r.group] ?? 0) + 1;
    }
    cursor = page.cursor;
  } while (cursor);
  report.averageHtmlBytes = report.letters ? Math.round(htmlBytes / report.letters) : 0;
  return report;
}
