/**
 * `demarche test-send`: one letter to a person on the team, through the real
 * mail path (the local SES endpoint, or SES in AWS), marked as a test in its
 * subject and an `X-Demarche-Test` header. It belongs to no campaign: nothing
 * is stored and no campaign's counts change.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { readTemplate } from '../../adapters/templates.js';
import { DemarcheError } from '../../core/errors.js';
import { recipientId } from '../../core/recipients.js';
import { openTarget, type TargetOptions } from '../target.js';
import {
  markedAsTest,
  parseGroup,
  pickRecipient,
  sampleRecipient,
  singleLetter,
} from '../../core/single-letter.js';
import { readStatement } from '../statement-file.js';
import { previewOverrides, type PreviewOptions } from './preview.js';

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
  const statement = markedAsTest(
    readStatement(opts.statement, (plain) => previewOverrides({ ...opts, out: '' }, plain)),
  );
  const base = opts.recipients
    ? pickRecipient(readFileSync(opts.recipients, 'utf8'), opts.recipients, {
        ...(opts.recipient !== undefined
          ? { email: opts.recipient }
          : { row: Number(opts.row ?? 1) }),
      })
    : sampleRecipient();
  const group = parseGroup(opts.group);
  // The letter is the chosen row's (or the sample's), delivered to the tester's address.
  const recipient = {
    ...base,
    id: recipientId(to.data),
    email: to.data,
    ...(opts.name ? { name: opts.name } : {}),
    ...(group ? { group } : {}),
  };
  const target = await openTarget(opts);
  try {
    const d = target.deps;
    const { letter } = await singleLetter({
      statement,
      recipient,
      language: opts.lang ?? statement.language,
      mjml: readTemplate(),
      publicUrl: d.config.publicUrl,
      secret: await d.secret(),
      test: true,
      now: d.clock.now(),
    });
    const { messageId } = await d.mailer.send({ ...letter, tags: { test: 'true' } });
    process.stdout.write(`Test letter sent to ${to.data} (message ${messageId}).\n`);
    return { messageId };
  } finally {
    await target.stop();
  }
}
