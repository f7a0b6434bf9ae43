/**
 * `demarche replies CAMPAIGN`: the replies a campaign received, newest
 * first, each under its recipient with its kind, how it was matched and the
 * start of its new text; `--raw ID` prints one reply's raw message.
 */
import { NotFoundError } from '../../core/errors.js';
import { oneLine } from '../../core/html.js';
import { matchLabel } from '../../core/replies/effects.js';
import type { Reply } from '../../core/replies/types.js';
import { openTarget, type TargetOptions } from '../target.js';

export interface RepliesOptions extends TargetOptions {
  json?: boolean;
  raw?: string;
  unmatched?: boolean;
  limit?: string;
}

/** Prints a campaign's replies (or the unmatched ones), or one raw message. */
export async function repliesCommand(
  campaignId: string | undefined,
  opts: RepliesOptions,
): Promise<void> {
  const target = await openTarget(opts);
  try {
    const d = target.deps;
    const scope = opts.unmatched ? undefined : campaignId;
    if (!opts.unmatched && !campaignId) throw new NotFoundError('campaign', '(none given)');
    if (scope && !(await d.store.getCampaign(scope))) throw new NotFoundError('campaign', scope);
    if (opts.raw) {
      const reply = await d.replies.getReply(scope, opts.raw);
      if (!reply) throw new NotFoundError('reply', opts.raw);
      const raw = await d.rawStore.get(reply.raw.key);
      if (!raw) throw new NotFoundError('raw message', reply.raw.key);
      process.stdout.write(Buffer.from(raw));
      return;
    }
    const limit = Math.min(Math.max(Number(opts.limit ?? 50) || 50, 1), 500);
    const { items } = await d.replies.listReplies(scope, { limit });
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
      return;
    }
    if (!items.length) process.stdout.write('No replies yet.\n');
    for (const r of items) process.stdout.write(`${await line(r, scope, d.store)}\n`);
  } finally {
    await target.stop();
  }
}

async function line(
  r: Reply,
  campaignId: string | undefined,
  store: { getRecipient(c: string, r: string): Promise<{ email: string } | undefined> },
): Promise<string> {
  const who =
    campaignId && r.recipientId
      ? ((await store.getRecipient(campaignId, r.recipientId))?.email ?? r.recipientId)
      : '(not matched)';
  const text = oneLine(
    r.kind === 'rejected' || r.kind === 'malformed' ? (r.rejectReason ?? '') : r.text,
  ).slice(0, 90);
  return [
    r.id,
    r.receivedAt.slice(0, 19).replace('T', ' '),
    r.kind.padEnd(10),
    `${r.match.by}/${r.match.strength}`.padEnd(18),
    who,
    `\n    from ${r.from?.address ?? '?'}: ${oneLine(r.subject ?? '')}`,
    ...(r.match.strength === 'strong' ? [] : [`\n    ${matchLabel(r)}`]),
    ...(r.authenticity ? [`\n    ${r.authenticity.summary}`] : []),
    `\n    ${text}`,
  ].join('  ');
}
