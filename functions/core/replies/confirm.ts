/**
 * Staff confirming a weak match by hand: a reply attached to a recipient by
 * its sender address alone (and only because the sender's domain
 * authenticated it) counts once a person has looked at it and said it is
 * that recipient's. The API route audits who did it; this says what may be
 * confirmed and writes the confirmation, counting the recipient once.
 */
import { NotFoundError } from '../errors.js';
import { ReplyStateError } from './errors.js';
import type { ReplyStore } from './ports.js';
import type { Reply } from './types.js';

/** Confirms reply `replyId` of `campaignId` as `by`'s decision; throws ReplyStateError when it cannot be confirmed. */
export async function confirmWeakMatch(
  store: Pick<ReplyStore, 'getReply' | 'confirmReply'>,
  campaignId: string,
  replyId: string,
  by: string,
  at: string,
): Promise<{ reply: Reply; counted: boolean }> {
  const reply = await store.getReply(campaignId, replyId);
  if (!reply) throw new NotFoundError('reply', replyId);
  if (reply.match.by !== 'sender' || !reply.recipientId)
    throw new ReplyStateError(
      reply.id,
      reply.match.strength === 'strong'
        ? 'it is a strong match already and counts without confirmation'
        : 'only a weak match attached to a recipient (sender authenticated) can be confirmed',
    );
  if (reply.kind !== 'human')
    throw new ReplyStateError(
      reply.id,
      `it is ${reply.kind === 'auto-reply' ? 'an' : 'a'} ${reply.kind}, not a person's reply: it never counts`,
    );
  if (reply.match.confirmedBy)
    throw new ReplyStateError(reply.id, `it was confirmed already by ${reply.match.confirmedBy}`);
  const out = await store.confirmReply(
    { campaignId, recipientId: reply.recipientId },
    reply,
    by,
    at,
  );
  if (!out.confirmed) throw new ReplyStateError(reply.id, 'it was confirmed already');
  return {
    reply: { ...reply, match: { ...reply.match, confirmedBy: by, confirmedAt: at } },
    counted: out.counted,
  };
}
