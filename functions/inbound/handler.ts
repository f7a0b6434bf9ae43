/**
 * Inbound: an SES receipt rule has stored a reply's raw MIME in S3 and
 * invokes this function with the receipt event; locally the SMTP server
 * stores the bytes in the data folder and invokes it with the same event
 * shape. Both end in core/replies/receive.ts. A message that cannot be read
 * is stored as rejected; only a storage failure throws, so that Lambda's
 * retry (or the SMTP client's) delivers again, and a redelivery changes
 * nothing already written.
 */
import type { SESEvent } from 'aws-lambda';
import { z } from 'zod';
import { ENV } from '../adapters/config.js';
import { deps, type Deps } from '../adapters/deps.js';
import { logger } from '../adapters/logger.js';
import type { InboundDeps, ReceiveResult } from '../core/replies/receive.js';
import { receiveReply } from '../core/replies/receive.js';

const log = logger('inbound');

const verdict = z.object({ status: z.string().max(40) }).optional();
const recordSchema = z.object({
  ses: z.object({
    mail: z.object({
      messageId: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/, 'is not an SES message id'),
      source: z.string().max(1000).optional(),
      timestamp: z.string().optional(),
    }),
    receipt: z.object({
      timestamp: z.string().optional(),
      recipients: z.array(z.string().max(1000)).max(100),
      spamVerdict: verdict,
      virusVerdict: verdict,
      spfVerdict: verdict,
      dkimVerdict: verdict,
      dmarcVerdict: verdict,
    }),
  }),
});

/** The pieces of the shared deps the inbound path uses. */
export function inboundDeps(d: Deps): InboundDeps {
  return {
    replies: d.replies,
    raw: d.rawStore,
    clock: d.clock,
    keys: d.keys,
    campaigns: d.store,
    mailer: d.mailer,
  };
}

/** The object key SES's S3 action used: the rule's prefix and the SES message id. */
export function rawKeyFor(messageId: string): string {
  return `${process.env[ENV.inboundPrefix] ?? 'inbound/'}${messageId}`;
}

export async function handler(event: SESEvent): Promise<ReceiveResult[]> {
  const d = inboundDeps(deps());
  const results: ReceiveResult[] = [];
  for (const [i, record] of (event.Records ?? []).entries()) {
    const parsed = recordSchema.safeParse(record);
    if (!parsed.success) {
      // Not an SES receipt: nothing to read, and retrying would not help.
      log.error('not an SES receipt record', { index: i, issues: parsed.error.issues });
      continue;
    }
    const { mail, receipt } = parsed.data.ses;
    const verdicts = Object.fromEntries(
      (['spam', 'virus', 'spf', 'dkim', 'dmarc'] as const).flatMap((k) => {
        const v = receipt[`${k}Verdict`];
        return v ? [[k, v.status]] : [];
      }),
    );
    const result = await receiveReply(d, {
      rawKey: rawKeyFor(mail.messageId),
      envelopeFrom: mail.source,
      envelopeTo: receipt.recipients,
      ...(Object.keys(verdicts).length ? { verdicts } : {}),
      ...(receipt.timestamp && !Number.isNaN(Date.parse(receipt.timestamp))
        ? { receivedAt: new Date(receipt.timestamp).toISOString() }
        : {}),
    });
    log.info('reply received', {
      replyId: result.reply.id,
      campaignId: result.reply.campaignId,
      recipientId: result.reply.recipientId,
      kind: result.reply.kind,
      match: result.reply.match.by,
      duplicate: result.duplicate,
    });
    results.push(result);
  }
  return results;
}
