/**
 * `demarche test-send`: one letter to a person on the team, sent by the
 * staff API through the real mail path (the local SES endpoint, or SES in
 * AWS), marked as a test in its subject and an `X-Demarche-Test` header. It
 * belongs to no campaign: nothing is stored and no campaign's counts change.
 */
import { z } from 'zod';
import { DemarcheError } from '../../core/errors.js';
import { parseGroup } from '../../core/single-letter.js';
import { readInput, statementSources } from '../sources.js';
import type { TargetOptions } from '../target.js';
import type { PreviewOptions } from './preview.js';
import { withClient } from './status.js';

export interface TestSendOptions extends TargetOptions, Omit<PreviewOptions, 'out'> {
  to: string;
  name?: string;
  group?: string;
}

export async function testSendCommand(opts: TestSendOptions): Promise<{ messageId: string }> {
  const to = z.email().safeParse(opts.to.trim().toLowerCase());
  if (!to.success) {
    throw new DemarcheError(
      'OPTION_INVALID',
      `--to ${JSON.stringify(opts.to)} is not an email address`,
    );
  }
  const group = parseGroup(opts.group);
  const row = opts.row !== undefined ? Number(opts.row) : undefined;
  if (row !== undefined && (!Number.isInteger(row) || row < 1))
    throw new DemarcheError('OPTION_INVALID', `--row must be a row number from 1, not ${opts.row}`);
  const body = {
    ...statementSources(opts.statement, opts),
    to: to.data,
    ...(opts.lang ? { lang: opts.lang } : {}),
    ...(opts.recipients ? { recipientsCsv: readInput(opts.recipients, 'recipients') } : {}),
    ...(opts.recipient ? { recipientEmail: opts.recipient.trim().toLowerCase() } : {}),
    ...(row !== undefined ? { row } : {}),
    ...(opts.name ? { name: opts.name } : {}),
    ...(group ? { group } : {}),
  };
  return withClient(opts, async (client) => {
    const { messageId } = await client.call<{ messageId: string }>('POST', '/api/test-send', body);
    process.stdout.write(`Test letter sent to ${to.data} (message ${messageId}).\n`);
    return { messageId };
  });
}
