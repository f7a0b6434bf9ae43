/**
 * What a stored reply may change, decided in one place. Only a strong match
 * (the signed reply token, or a Message-ID we sent) changes a recipient: a
 * person's reply sets `repliedAt` and counts `replied` once; an auto-reply or
 * a forward is noted, uncounted. A weak match (the From address alone, and
 * only when the sender's domain authenticated the message) goes on the
 * recipient's timeline and in the inbox marked unconfirmed, and changes
 * nothing that counts until staff confirm it. A delivery-status report never
 * counts a bounce nor suppresses an address — SES's Bounce events are the
 * authority for both, and anyone can write a DSN — and it may add a timeline
 * note only when it carries a strong match and comes from a null or
 * mailer-daemon sender. Rejected and malformed messages change nothing.
 */
import type { Reply } from './types.js';

export interface ReplyEffects {
  /** What to write on the recipient's record. */
  mark: 'replied' | 'note' | 'weak' | 'none';
  /** The reason shown on the recipient's timeline, when the reply goes there. */
  timeline?: string;
  /** Whether campaign staff get the reply forwarded. */
  forward: boolean;
}

const MAILER_DAEMON = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;

/** True when a message comes from a null envelope sender or a mailer daemon's address. */
export function fromMailSystem(
  reply: Pick<Reply, 'from'>,
  envelopeFrom: string | undefined,
): boolean {
  return envelopeFrom === '' || MAILER_DAEMON.test(reply.from?.address ?? '');
}

const KIND_WORDS: Record<Reply['kind'], string> = {
  human: 'reply from a person',
  'auto-reply': 'automatic reply',
  bounce: 'delivery-status report',
  forward: 'forward of the letter',
  malformed: 'malformed message',
  rejected: 'rejected message',
};

/** The effects of `reply` (already matched and classified); see the file comment. */
export function effectsOf(reply: Reply, envelopeFrom: string | undefined): ReplyEffects {
  const none: ReplyEffects = { mark: 'none', forward: false };
  if (!reply.campaignId || !reply.recipientId) return none;
  if (reply.kind === 'rejected' || reply.kind === 'malformed') return none;
  const how = `matched by ${reply.match.by} (${reply.match.strength})`;
  if (reply.kind === 'bounce') {
    if (reply.match.strength !== 'strong' || !fromMailSystem(reply, envelopeFrom)) return none;
    const status = reply.bounce?.status ? ` (status ${reply.bounce.status})` : '';
    return {
      mark: 'none',
      forward: false,
      timeline: `${KIND_WORDS.bounce}${status} received at the reply address, ${how}: a note only — bounces and suppressions come from SES bounce events`,
    };
  }
  if (reply.match.strength === 'strong') {
    const human = reply.kind === 'human';
    return {
      mark: human ? 'replied' : 'note',
      forward: human,
      timeline: `${KIND_WORDS[reply.kind]}, ${how}${human ? '' : ', not counted as a reply'}`,
    };
  }
  if (reply.match.strength === 'weak' && reply.match.senderAuthenticated) {
    const human = reply.kind === 'human';
    return {
      mark: human ? 'weak' : 'none',
      forward: human,
      timeline: `${KIND_WORDS[reply.kind]}, weak match (sender address only, sender authenticated): unconfirmed, not counted`,
    };
  }
  return none;
}

/**
 * One line for staff on how a reply was matched and whether it counts, the
 * same wording in the inbox, the report, the CLI and the staff forward.
 */
export function matchLabel(reply: Pick<Reply, 'match' | 'recipientId' | 'kind'>): string {
  const m = reply.match;
  if (m.strength === 'strong')
    return m.by === 'token'
      ? 'strong match: signed reply address'
      : 'strong match: answers a letter we sent (Message-ID)';
  if (m.by === 'sender' && m.confirmedBy)
    return `weak match confirmed by ${m.confirmedBy}${m.confirmedAt ? ` on ${m.confirmedAt.slice(0, 10)}` : ''}: counts`;
  if (m.by === 'sender' && m.senderAuthenticated && reply.recipientId)
    return 'weak match, unconfirmed: possibly from this recipient (the sender’s domain authenticated the message, but it carries no reply token); not counted until staff confirm it';
  if (m.by === 'sender')
    return 'weak, unverified: the From address is a recipient’s, but nothing authenticates it; not attached to anyone';
  return 'not matched';
}
