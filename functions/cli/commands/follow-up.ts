/**
 * `demarche follow-up CAMPAIGN --statement FILE --audience STATE --at ISO`:
 * schedules a follow-up letter to the recipients of a sent campaign who are,
 * when it goes out, in the chosen state. Its deadline, sender and reply
 * domain are the original's; a plain-text follow-up's subject defaults to
 * "Re: " and the original subject, so it reads as part of the conversation.
 */
import { readFileSync } from 'node:fs';
import { readTemplate } from '../../adapters/templates.js';
import { DemarcheError, NotFoundError } from '../../core/errors.js';
import {
  AUDIENCE_LABELS,
  createFollowUp,
  FollowUpError,
  parseAudience,
} from '../../core/followups/followup.js';
import { parseStatement } from '../../core/statement.js';
import { openTarget, type TargetOptions } from '../target.js';
import { recordVersion } from '../../core/governance/govern.js';
import { shortHash } from '../../core/governance/model.js';
import { cliActor } from './governance.js';

export interface FollowUpOptions extends TargetOptions {
  /** Who writes it (issue 11): the follow-up version's author. */
  as?: string;
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
  let source: string;
  try {
    source = readFileSync(opts.statement, 'utf8');
  } catch (err) {
    throw new DemarcheError(
      'INPUT_UNREADABLE',
      `cannot read the statement file ${opts.statement}: ${(err as Error).message}`,
      { path: opts.statement },
    );
  }
  const target = await openTarget(opts);
  try {
    const d = target.deps;
    const original = await d.store.getCampaign(originalId);
    if (!original) throw new NotFoundError('campaign', originalId);
    const o = original.statement;
    const plainText = !/^\uFEFF?---\r?\n/.test(source);
    const statement = parseStatement(source, opts.statement, {
      deadline: o.deadline,
      from: o.from,
      replyToDomain: o.replyToDomain,
      ...(opts.subject
        ? { subject: opts.subject }
        : plainText
          ? { subject: `Re: ${o.subject}` }
          : {}),
      ...(plainText ? { language: o.language, signatories: o.signatories } : {}),
    });
    const followUp = await createFollowUp(d, originalId, {
      statement,
      audience,
      at: new Date(opts.at),
      mjml: readTemplate(),
    });
    // Issue 11: the follow-up's text and audience are a version a second campaigner approves.
    const version = await recordVersion(d, followUp.id, cliActor(opts), 'follow-up created');
    const needsApproval =
      d.approvalMode === 'two-person'
        ? `  approval needed before it goes out: npx demarche approve ${followUp.id} --as SOMEONE-ELSE (version ${shortHash(version.hash)} by ${version.author})`
        : '';
    const view = {
      id: followUp.id,
      followUpOf: originalId,
      audience,
      scheduledAt: followUp.scheduledAt,
      deadline: followUp.statement.deadline,
      subject: followUp.statement.subject,
    };
    process.stdout.write(
      opts.json
        ? `${JSON.stringify(view, null, 2)}\n`
        : [
            `Follow-up ${followUp.id} of ${originalId} scheduled for ${followUp.scheduledAt}.`,
            `  to       recipients ${AUDIENCE_LABELS[audience]} at that time`,
            `  subject  ${followUp.statement.subject}`,
            `  deadline ${followUp.statement.deadline} (the original's: nothing goes out after it)`,
            target.kind === 'local'
              ? '  It goes out when a local runtime is running at that time (npm start).'
              : '',
            needsApproval,
          ]
            .filter(Boolean)
            .join('\n') + '\n',
    );
    return followUp.id;
  } finally {
    await target.stop();
  }
}
