/** Shared by the letter tests: the example statement with its translations, a campaign, recipients. */
import { parseKeyRing } from '../../../functions/core/key-ring.js';
import { readStatement } from '../../../functions/cli/statement-file.js';
import type { Campaign, CampaignRecipient } from '../../../functions/core/campaign.js';
import { recipientId, type Recipient } from '../../../functions/core/recipients.js';
import { statementLanguages, type Statement } from '../../../functions/core/statement.js';
import { repoPath } from '../../support/fixtures.js';

/** A plain-string secret, read as a ring of one key (k0), as a deployment from before key rings. */
export const LINKS = {
  publicUrl: 'https://t.demarche.example.org',
  keys: parseKeyRing('test-secret-for-letter-links-0000'),
};

export const exampleWithTranslations = (): Statement =>
  readStatement(repoPath('examples/statement.md'), () => ({
    postalAddress: 'Rue de la Loi 42, 1040 Brussels, Belgium',
  }));

export function campaignOf(statement: Statement, extra: Partial<Campaign> = {}): Campaign {
  return {
    id: 'c202701010000abcdef',
    status: 'sending',
    statement,
    languages: statementLanguages(statement),
    recipientCount: 3,
    dryRun: false,
    createdAt: '2027-01-01T00:00:00Z',
    ...extra,
  };
}

export function recipientOf(r: Partial<Recipient> & { email: string }): CampaignRecipient {
  return {
    id: recipientId(r.email),
    name: 'Anna Berg',
    group: 'minister',
    campaignId: 'c202701010000abcdef',
    state: 'claimed',
    ...r,
  };
}
