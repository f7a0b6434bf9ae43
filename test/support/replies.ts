/**
 * Helpers for the replies tests: a campaign really sent through the local
 * runtime, reply fixtures filled in for one of its recipients, and delivery
 * over SMTP with nodemailer, as a recipient's mail server would.
 */
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import type { CampaignRecipient } from '../../functions/core/campaign.js';
import { createCampaign, launchCampaign } from '../../functions/core/launch.js';
import { replyAddress } from '../../functions/core/links.js';
import { importRecipients } from '../../functions/core/recipients.js';
import { parseStatement } from '../../functions/core/statement.js';
import type { LocalRuntime } from '../../functions/local/runtime.js';
import { FUTURE_DEADLINE, letterMjml, ministersCsv, repoPath, sharedSample } from './fixtures.js';

export const REPLY_DOMAIN = 'replies.demarche.example.org';

export interface SentCampaign {
  id: string;
  recipients: CampaignRecipient[];
  /** The signed reply address of each recipient, by recipient id. */
  replyTo: Map<string, string>;
}

/** Creates, launches and fully sends a Belarus campaign to `n` ministers at `@<tag>-xx` addresses. */
export async function sentCampaign(
  runtime: LocalRuntime,
  n: number,
  tag: string,
  extra: { staffAddress?: string } = {},
): Promise<SentCampaign> {
  const d = runtime.deps();
  const statement = parseStatement(sharedSample(), 'belarus.txt', {
    deadline: FUTURE_DEADLINE(),
    subject: 'Belarus: joint statement ahead of the Foreign Affairs Council',
    from: {
      name: 'Eastern Partnership Civil Society Forum',
      address: 'forum@demarche.example.org',
    },
    replyToDomain: REPLY_DOMAIN,
    language: 'en',
  });
  const { recipients } = importRecipients(ministersCsv(n).replaceAll('@mfa-', `@${tag}-`));
  const { campaign } = await createCampaign(d, {
    statement,
    recipients,
    recipientCount: recipients.length,
    mjml: letterMjml(),
    ...extra,
  });
  await launchCampaign(d, campaign.id);
  await runtime.queue.drained();
  const stored = (await d.store.recipientsPage(campaign.id)).items;
  const keys = await d.keys();
  const replyTo = new Map(
    stored.map((r) => [
      r.id,
      replyAddress({ keys, campaignId: campaign.id, recipientId: r.id }, REPLY_DOMAIN),
    ]),
  );
  return { id: campaign.id, recipients: stored, replyTo };
}

/** A reply fixture from test/fixtures/replies, filled in for one recipient. */
export function fixture(name: string, r: CampaignRecipient, to: string): Buffer {
  const raw = readFileSync(repoPath(`test/fixtures/replies/${name}`));
  // latin1 round-trips every byte, so 8-bit fixtures (ISO-8859-1) stay as they are.
  const filled = raw
    .toString('latin1')
    .replaceAll('{{FROM}}', r.email)
    .replaceAll('{{FROMDOMAIN}}', r.email.split('@')[1]!)
    .replaceAll('{{NAME}}', r.name)
    .replaceAll('{{TO}}', to)
    .replaceAll('{{DOMAIN}}', REPLY_DOMAIN)
    .replaceAll('{{MSGID}}', r.messageId ?? 'no-message-id');
  return Buffer.from(filled, 'latin1');
}

/** Delivers raw bytes over SMTP to the runtime, with the given envelope. */
export async function deliver(
  runtime: LocalRuntime,
  raw: Buffer,
  envelope: { from: string; to: string[] },
): Promise<{ response: string }> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: runtime.smtpPort,
    secure: false,
    ignoreTLS: true,
  });
  try {
    const info = await transport.sendMail({ envelope, raw });
    return { response: info.response };
  } finally {
    transport.close();
  }
}

/** A reply address whose MAC has one character changed. */
export function tampered(address: string): string {
  const at = address.indexOf('@');
  const i = at - 3;
  const c = address[i] === 'A' ? 'B' : 'A';
  return address.slice(0, i) + c + address.slice(i + 1);
}
