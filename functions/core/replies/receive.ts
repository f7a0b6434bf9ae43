/**
 * The one path every inbound message takes, whoever delivered it (the SES
 * receipt rule in AWS, the local SMTP server): read the raw message from the
 * raw store, parse it under limits, match, classify, extract, store once,
 * then mark the recipient and count. Bad messages are stored as `rejected`
 * with the reason; only a storage failure throws (the delivery is retried,
 * and a retry changes nothing that was already written).
 */
import { createHash } from 'node:crypto';
import type { Campaign } from '../campaign.js';
import { NotFoundError } from '../errors.js';
import { oneLine } from '../html.js';
import type { Clock, Mailer } from '../ports.js';
import { classify } from './classify.js';
import { newText } from './extract.js';
import { staffForward } from './forward.js';
import { embeddedMessageIds, matchReply, type MatchResult } from './match.js';
import { DEFAULT_LIMITS, type InboundLimits, parseMessage } from './parse.js';
import type { RawMessageStore, ReplyStore } from './ports.js';
import type { Reply } from './types.js';

export interface InboundDeps {
  replies: ReplyStore;
  raw: RawMessageStore;
  clock: Clock;
  secret: () => Promise<string>;
  limits?: InboundLimits;
  /** For the staff forward: the campaign (its staff address) and a mailer. */
  campaigns?: { getCampaign(id: string): Promise<Campaign | undefined> };
  mailer?: Mailer;
}

export interface InboundMessage {
  /** Key of the raw message in the raw store (the S3 object key in AWS). */
  rawKey: string;
  /** SMTP MAIL FROM; '' for the null sender of bounces and auto-replies. */
  envelopeFrom?: string;
  /** SMTP RCPT TO addresses (SES receipt recipients). */
  envelopeTo: string[];
  verdicts?: Record<string, string>;
  receivedAt?: string;
}

export interface ReceiveResult {
  reply: Reply;
  /** True when this message had been received before: nothing new was written or counted. */
  duplicate: boolean;
  /** True when this call counted the recipient as replied. */
  counted: boolean;
}

/** Text kept per reply: a DynamoDB item holds 400 KB; staff read the rest in the raw message. */
const MAX_TEXT = 20_000;

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

function replyId(receivedAt: string, hash: string): string {
  return `${receivedAt.replace(/[-:TZ.]/g, '').slice(0, 17)}-${hash.slice(0, 12)}`;
}

const decode = (bytes: Uint8Array) =>
  new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 65536));

/** Receives one message already in the raw store; see the file comment for the guarantees. */
export async function receiveReply(deps: InboundDeps, msg: InboundMessage): Promise<ReceiveResult> {
  const limits = deps.limits ?? DEFAULT_LIMITS;
  const receivedAt = msg.receivedAt ?? deps.clock.now().toISOString();
  const size = await deps.raw.size(msg.rawKey);
  if (size === undefined) throw new NotFoundError('raw message', msg.rawKey);
  const secret = await deps.secret();
  const envelopeTo = msg.envelopeTo.map((a) => a.trim()).slice(0, 50);
  const base = {
    receivedAt,
    envelopeTo,
    ...(msg.verdicts ? { verdicts: msg.verdicts } : {}),
  };

  let reply: Reply;
  let dedupeKey: string;
  const virus = msg.verdicts?.virus === 'FAIL';
  if (size > limits.maxBytes || virus) {
    // Never read an oversized or infected message: reject it on SES's word or its size alone.
    const hash = sha256(`${msg.rawKey}\n${size}`);
    const matched = await matchReply(deps.replies, secret, {
      addresses: envelopeTo,
      referenced: [],
    });
    reply = rejected(
      base,
      replyId(receivedAt, hash),
      { key: msg.rawKey, size, sha256: '' },
      matched,
      virus
        ? 'the SES virus scan found a virus (virusVerdict FAIL): not opened'
        : `message is ${size} bytes, over the ${limits.maxBytes}-byte limit`,
    );
    dedupeKey = `key:${msg.rawKey}`;
  } else {
    const raw = await deps.raw.get(msg.rawKey);
    if (!raw) throw new NotFoundError('raw message', msg.rawKey);
    const hash = sha256(raw);
    const rawRef = { key: msg.rawKey, size: raw.byteLength, sha256: hash };
    const id = replyId(receivedAt, hash);
    const parsed = await parseMessage(raw, limits);
    if (!parsed.ok) {
      const matched = await matchReply(deps.replies, secret, {
        addresses: envelopeTo,
        referenced: [],
      });
      reply = rejected(base, id, rawRef, matched, parsed.reason);
      dedupeKey = `raw:${hash}`;
    } else {
      const m = parsed.message;
      const text = newText(m.text);
      const c = classify(m, text, msg.envelopeFrom);
      const embedded = embeddedMessageIds(
        m.parts
          .filter((p) => p.mimeType === 'message/rfc822' || p.mimeType === 'text/rfc822-headers')
          .map((p) => decode(p.content)),
      );
      const matched = await matchReply(deps.replies, secret, {
        addresses: [...envelopeTo, ...m.to],
        referenced: [...m.referenced, ...embedded],
        from: m.from?.address,
      });
      const truncated = text.length > MAX_TEXT;
      reply = {
        ...base,
        id,
        ...(matched.ref ?? {}),
        match: matched.match,
        kind: c.kind,
        reasons: c.reasons,
        ...(m.from
          ? { from: { name: oneLine(m.from.name).slice(0, 200), address: m.from.address } }
          : {}),
        ...(m.subject !== undefined ? { subject: oneLine(m.subject).slice(0, 500) } : {}),
        ...(m.date ? { date: m.date.slice(0, 64) } : {}),
        ...(m.messageId ? { messageId: m.messageId.slice(0, 500) } : {}),
        ...(m.inReplyTo ? { inReplyTo: m.inReplyTo.slice(0, 500) } : {}),
        text: truncated ? text.slice(0, MAX_TEXT) : text,
        ...(truncated ? { truncated } : {}),
        attachments: m.parts
          .filter((p) => p.mimeType !== 'message/delivery-status')
          .slice(0, 100)
          .map((p) => ({
            filename: oneLine(p.filename ?? '').slice(0, 255) || '(unnamed)',
            mimeType: p.mimeType.slice(0, 100),
            size: p.size,
          })),
        ...(c.bounce ? { bounce: c.bounce } : {}),
        raw: rawRef,
      };
      // A redelivery repeats the Message-ID, the sender and the envelope; a forged
      // Message-ID from someone else cannot hide a real reply.
      dedupeKey = m.messageId
        ? `mid:${sha256([m.messageId, m.from?.address ?? '', ...[...envelopeTo].sort()].join('\n'))}`
        : `raw:${hash}`;
    }
  }

  const stored = await deps.replies.recordReply(reply, dedupeKey);
  const duplicate = !stored.created;
  if (!stored.created) {
    reply = (await deps.replies.getReply(stored.campaignId, stored.replyId)) ?? reply;
  }
  // The marks are conditional writes: run again on a redelivery, they finish what a crash left undone.
  let counted = false;
  if (reply.campaignId && reply.recipientId) {
    const ref = { campaignId: reply.campaignId, recipientId: reply.recipientId };
    if (reply.kind === 'human') counted = await deps.replies.markReplied(ref, reply);
    else if (reply.kind === 'bounce')
      await deps.replies.markBounced(ref, reply, reply.bounce?.permanent ?? true);
    else await deps.replies.noteReply(ref, reply);
    if (reply.kind === 'human' && !reply.forwardedAt) await forward(deps, reply);
  }
  return { reply, duplicate, counted };
}

function rejected(
  base: Pick<Reply, 'receivedAt' | 'envelopeTo' | 'verdicts'>,
  id: string,
  raw: Reply['raw'],
  matched: MatchResult,
  reason: string,
): Reply {
  return {
    ...base,
    id,
    ...(matched.ref ?? {}),
    match: matched.match,
    kind: 'rejected',
    reasons: [reason],
    rejectReason: reason,
    text: '',
    attachments: [],
    raw,
  };
}

/** Forwards a person's reply to the campaign's staff address, once it is stored; at most once per success. */
async function forward(deps: InboundDeps, reply: Reply): Promise<void> {
  if (!deps.campaigns || !deps.mailer || !reply.campaignId) return;
  const campaign = await deps.campaigns.getCampaign(reply.campaignId);
  if (!campaign?.staffAddress) return;
  await deps.mailer.send(staffForward(campaign, reply));
  await deps.replies.markForwarded(reply.campaignId, reply.id, deps.clock.now().toISOString());
}
