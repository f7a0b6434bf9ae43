/**
 * The one path every inbound message takes, whoever delivered it (the SES
 * receipt rule in AWS, the local SMTP server): read the raw message from the
 * raw store, parse it under limits and a time budget, judge its authenticity
 * from the receiving server's verdicts, match, classify, extract, store once,
 * then apply only the effects effects.ts allows. Bad messages are stored as
 * `rejected` or `malformed` with the reason; only a storage failure throws
 * (the delivery is retried, and a retry changes nothing already written).
 */
import { createHash } from 'node:crypto';
import type { Campaign } from '../campaign.js';
import { NotFoundError } from '../errors.js';
import type { KeyRing } from '../key-ring.js';
import { replyKeyId } from '../links.js';
import type { Clock, Mailer } from '../ports.js';
import { judgeAuthenticity, trustedAuthResults } from './authenticity.js';
import { classify } from './classify.js';
import { effectsOf } from './effects.js';
import { newText } from './extract.js';
import { staffForward } from './forward.js';
import { embeddedMessageIds, matchReply, type MatchResult } from './match.js';
import { BudgetExceeded, timeBudget } from './mime/budget.js';
import { DEFAULT_LIMITS, type InboundLimits, parseMessage } from './parse.js';
import type { RawMessageStore, ReplyStore } from './ports.js';
import { receiverBlockEnd } from './receiver-block.js';
import type { Authenticity, Reply } from './types.js';
import { visible } from './visible.js';

export interface InboundDeps {
  replies: ReplyStore;
  raw: RawMessageStore;
  clock: Clock;
  /** The key ring reply addresses are verified with; `holding` re-reads a ring lacking that key id. */
  keys: (holding?: string) => Promise<KeyRing>;
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
  /** The receiving server's verdicts: spam, virus, spf, dkim, dmarc (PASS, FAIL, GRAY, PROCESSING_FAILED). */
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

/** Why a message is refused unread on the receiving server's word or its size, or undefined. */
function refusedUnread(
  size: number,
  msg: InboundMessage,
  limits: InboundLimits,
): string | undefined {
  if (msg.verdicts?.virus === 'FAIL')
    return 'the virus scan found a virus (virus verdict FAIL): not opened';
  if (msg.verdicts?.spam === 'FAIL')
    return 'the spam scan marked it as spam (spam verdict FAIL): not opened';
  if (size > limits.maxBytes)
    return `message is ${size} bytes, over the ${limits.maxBytes}-byte limit`;
  return undefined;
}

/** Receives one message already in the raw store; see the file comment for the guarantees. */
export async function receiveReply(deps: InboundDeps, msg: InboundMessage): Promise<ReceiveResult> {
  const limits = deps.limits ?? DEFAULT_LIMITS;
  const receivedAt = msg.receivedAt ?? deps.clock.now().toISOString();
  const size = await deps.raw.size(msg.rawKey);
  if (size === undefined) throw new NotFoundError('raw message', msg.rawKey);
  const envelopeTo = msg.envelopeTo.map((a) => a.trim()).slice(0, 50);
  const keys = await deps.keys(replyKeyId(envelopeTo));
  const base = {
    receivedAt,
    envelopeTo,
    ...(msg.verdicts ? { verdicts: msg.verdicts } : {}),
  };
  const envelopeMatch = () =>
    matchReply(deps.replies, keys, { addresses: envelopeTo, referenced: [] });

  let reply: Reply;
  let dedupeKey: string;
  const refusal = refusedUnread(size, msg, limits);
  if (refusal) {
    const hash = sha256(`${msg.rawKey}\n${size}`);
    reply = unread(
      base,
      replyId(receivedAt, hash),
      { key: msg.rawKey, size, sha256: '' },
      await envelopeMatch(),
      'rejected',
      refusal,
      judgeAuthenticity(msg),
    );
    dedupeKey = `key:${msg.rawKey}`;
  } else {
    const raw = await deps.raw.get(msg.rawKey);
    if (!raw) throw new NotFoundError('raw message', msg.rawKey);
    const hash = sha256(raw);
    const rawRef = { key: msg.rawKey, size: raw.byteLength, sha256: hash };
    const id = replyId(receivedAt, hash);
    // The receiving server's own header lines differ on each delivery: they are not the message.
    const contentHash = sha256(raw.subarray(receiverBlockEnd(raw)));
    const budget = timeBudget(limits.maxParseMs);
    const parsed = await parseMessage(raw, limits, budget);
    let text = '';
    let late: string | undefined;
    if (parsed.ok) {
      try {
        text = newText(parsed.message.text, budget);
        budget.check('extracting the new text');
      } catch (err) {
        if (!(err instanceof BudgetExceeded)) throw err;
        late = err.message;
      }
    }
    if (!parsed.ok || late) {
      const kind = parsed.ok ? 'rejected' : parsed.kind;
      const reason = parsed.ok ? late! : parsed.reason;
      reply = unread(base, id, rawRef, await envelopeMatch(), kind, reason, judgeAuthenticity(msg));
      dedupeKey = `raw:${contentHash}`;
    } else {
      const m = parsed.message;
      const c = classify(m, text, msg.envelopeFrom);
      const matched = await matchReply(deps.replies, keys, {
        addresses: [...envelopeTo, ...m.to],
        referenced: [...m.referenced, ...embeddedMessageIds(m.embedded.map((p) => p.text))],
        from: m.from?.address,
      });
      const authenticity = judgeAuthenticity({
        ...msg,
        authResults: trustedAuthResults(m.fields),
        from: m.from?.address,
      });
      const { match, ref } = weighSender(matched, authenticity, m.from?.address ?? '');
      const truncated = text.length > MAX_TEXT || m.textCut;
      reply = {
        ...base,
        id,
        ...(ref ?? {}),
        match,
        kind: c.kind,
        reasons: c.reasons,
        authenticity,
        ...(m.from
          ? { from: { name: visible(m.from.name, 200), address: visible(m.from.address, 320) } }
          : {}),
        ...(m.subject !== undefined ? { subject: visible(m.subject, 500) } : {}),
        ...(m.date ? { date: m.date.slice(0, 64) } : {}),
        ...(m.messageId ? { messageId: m.messageId.slice(0, 500) } : {}),
        ...(m.inReplyTo ? { inReplyTo: m.inReplyTo.slice(0, 500) } : {}),
        text: text.slice(0, MAX_TEXT),
        ...(truncated ? { truncated } : {}),
        attachments: m.parts.slice(0, 100).map((p) => ({
          filename: visible(p.filename ?? '', 255) || '(unnamed)',
          mimeType: p.mimeType.slice(0, 100),
          size: p.size,
        })),
        ...(m.inlineImages ? { inlineImages: m.inlineImages } : {}),
        ...(c.bounce ? { bounce: c.bounce } : {}),
        raw: rawRef,
      };
      // A redelivery repeats the Message-ID, the sender and the envelope; a forged
      // Message-ID from someone else cannot hide a real reply.
      dedupeKey = m.messageId
        ? `mid:${sha256([m.messageId, m.from?.address ?? '', ...[...envelopeTo].sort()].join('\n'))}`
        : `raw:${contentHash}`;
    }
  }

  const effects = effectsOf(reply, msg.envelopeFrom);
  const stored = await deps.replies.recordReply(
    reply,
    dedupeKey,
    effects.timeline ? { timeline: effects.timeline } : {},
  );
  const duplicate = !stored.created;
  if (!stored.created) {
    reply = (await deps.replies.getReply(stored.campaignId, stored.replyId)) ?? reply;
  }
  // The marks are conditional writes: run again on a redelivery, they finish what a crash left undone.
  let counted = false;
  const again = duplicate ? effectsOf(reply, msg.envelopeFrom) : effects;
  if (reply.campaignId && reply.recipientId) {
    const ref = { campaignId: reply.campaignId, recipientId: reply.recipientId };
    if (again.mark === 'replied') counted = await deps.replies.markReplied(ref, reply);
    else if (again.mark === 'note') await deps.replies.noteReply(ref, reply);
    else if (again.mark === 'weak') await deps.replies.noteWeakReply(ref, reply);
    if (again.forward && !reply.forwardedAt) await forward(deps, reply);
  }
  return { reply, duplicate, counted };
}

/**
 * A sender match is kept (weak, attached) only when the sender's domain
 * authenticated the message; otherwise the reply is not attached to anyone
 * and the recipient it points at is kept only as a candidate.
 */
function weighSender(matched: MatchResult, auth: Authenticity, who: string): MatchResult {
  if (matched.match.by !== 'sender' || !matched.ref) return matched;
  if (auth.senderAuthenticated)
    return {
      ref: matched.ref,
      match: {
        ...matched.match,
        senderAuthenticated: true,
        detail: `possibly from ${who}, unverified: the sender's domain authenticated the message (${auth.summary}), but it carries no reply token and no Message-ID we sent`,
      },
    };
  return {
    match: {
      ...matched.match,
      senderAuthenticated: false,
      candidate: matched.ref,
      detail: `the From address ${who} is a recipient's, but nothing authenticates it (${auth.summary}): not attached`,
    },
  };
}

function unread(
  base: Pick<Reply, 'receivedAt' | 'envelopeTo' | 'verdicts'>,
  id: string,
  raw: Reply['raw'],
  matched: MatchResult,
  kind: 'rejected' | 'malformed',
  reason: string,
  authenticity: Authenticity,
): Reply {
  return {
    ...base,
    id,
    ...(matched.ref ?? {}),
    match: matched.match,
    kind,
    reasons: [reason],
    rejectReason: reason,
    authenticity,
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
