/**
 * `demarche follow-up CAMPAIGN --statement FILE --audience STATE --at ISO`:
 * schedules, through the staff API, a follow-up letter to the recipients of a
 * sent campaign who are, when it goes out, in the chosen state. Its deadline,
 * sender and reply domain are the original's; a plain-text follow-up's
 * subject defaults to "Re: " and the original subject. It is a version a
 * second campaigner approves before it goes out.
 */
import { AUDIENCE_LABELS, FollowUpError, parseAudience } from '../../core/followups/followup.js';
import { shortHash } from '../../core/governance/model.js';
import type { CampaignJson } from '../output.js';
import { statementSources } from '../sources.js';
import type { TargetOptions } from '../target.js';
import { withClient } from './status.js';

export interface FollowUpOptions extends TargetOptions {
  statement: string;
  audience: string;
  at: string;
  subject?: string;
  json?: boolean;
}

export async function followUpCommand(originalId: string, opts: FollowUpOptions): Promise<string> {
  const audience = parseAudience(opts.audience);
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(opts.at.trim()) || Number.isNaN(Date.parse(opts.at))) {
    throw new FollowUpError('at', `"${opts.at}" is not an ISO 8601 date-time with a zone`);
  }
  const { statement, statementName, translations } = statementSources(opts.statement);
  return withClient(opts, async (client) => {
    const out = await client.call<{
      campaign: CampaignJson & { scheduledAt: string };
      version: { hash: string; author: string };
      approval: string;
    }>('POST', `/api/campaigns/${encodeURIComponent(originalId)}/follow-ups`, {
      statement,
      statementName,
      translations,
      audience,
      at: opts.at,
      ...(opts.subject ? { subject: opts.subject } : {}),
    });
    const f = out.campaign;
    const view = {
      id: f.id,
      followUpOf: originalId,
      audience,
      scheduledAt: f.scheduledAt,
      deadline: f.deadline,
      subject: (f as { subject?: string }).subject,
    };
    process.stdout.write(
      opts.json
        ? `${JSON.stringify(view, null, 2)}\n`
        : [
            `Follow-up ${f.id} of ${originalId} scheduled for ${f.scheduledAt}.`,
            `  to       recipients ${AUDIENCE_LABELS[audience]} at that time`,
            `  subject  ${view.subject}`,
            `  deadline ${f.deadline} (the original's: nothing goes out after it)`,
            client.kind === 'local'
              ? '  It goes out when a local runtime is running at that time (npm start).'
              : '',
            out.approval === 'two-person'
              ? `  approval needed before it goes out: another campaigner runs npx demarche approve ${f.id} (version ${shortHash(out.version.hash)})`
              : '',
          ]
            .filter(Boolean)
            .join('\n') + '\n',
    );
    return f.id;
  });
}
