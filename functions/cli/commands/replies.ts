/**
 * `demarche replies CAMPAIGN`: the replies a campaign received, newest
 * first, each under its recipient with its kind, how it was matched and the
 * start of its new text; `--raw ID` prints one reply's raw message. Read
 * through the staff API (opening a reply is logged there).
 */
import { DemarcheError, NotFoundError } from '../../core/errors.js';
import { oneLine } from '../../core/html.js';
import type { Client, TargetOptions } from '../target.js';
import { withClient } from './status.js';

export interface RepliesOptions extends TargetOptions {
  json?: boolean;
  raw?: string;
  unmatched?: boolean;
  limit?: string;
}

interface ReplyRow {
  id: string;
  recipientId?: string;
  kind: string;
  match: { by: string; strength: string; label: string };
  /** The authenticity verdict, as staff read it. */
  sender?: string;
  rejectReason?: string;
  receivedAt: string;
  from?: { address?: string };
  subject?: string;
  excerpt: string;
}

/** Prints a campaign's replies, or one raw message. */
export async function repliesCommand(
  campaignId: string | undefined,
  opts: RepliesOptions,
): Promise<void> {
  if (opts.unmatched)
    throw new DemarcheError(
      'NOT_AVAILABLE',
      'replies --unmatched: the staff API has no route for unmatched replies yet',
    );
  if (!campaignId) throw new NotFoundError('campaign', '(none given)');
  const id = encodeURIComponent(campaignId);
  await withClient(opts, async (client) => {
    if (opts.raw) {
      const raw = await fetchRaw(
        client,
        `/api/campaigns/${id}/replies/${encodeURIComponent(opts.raw)}/raw`,
      );
      process.stdout.write(raw);
      return;
    }
    const limit = Math.min(Math.max(Number(opts.limit ?? 50) || 50, 1), 200);
    const { items } = await client.call<{ items: ReplyRow[] }>(
      'GET',
      `/api/campaigns/${id}/replies?limit=${limit}`,
    );
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
      return;
    }
    if (!items.length) process.stdout.write('No replies yet.\n');
    for (const r of items) process.stdout.write(`${await line(client, id, r)}\n`);
  });
}

async function fetchRaw(client: Client, path: string): Promise<Buffer> {
  return client.bytes('GET', path);
}

async function line(client: Client, campaignId: string, r: ReplyRow): Promise<string> {
  const who = r.recipientId
    ? ((
        await client
          .call<{ recipient: { email: string } }>(
            'GET',
            `/api/campaigns/${campaignId}/recipients/${encodeURIComponent(r.recipientId)}`,
          )
          .catch(() => undefined)
      )?.recipient.email ?? r.recipientId)
    : '(not matched)';
  return [
    r.id,
    r.receivedAt.slice(0, 19).replace('T', ' '),
    r.kind.padEnd(10),
    `${r.match.by}/${r.match.strength}`.padEnd(18),
    who,
    `\n    from ${r.from?.address ?? '?'}: ${oneLine(r.subject ?? '')}`,
    ...(r.match.strength === 'strong' ? [] : [`\n    ${r.match.label}`]),
    ...(r.sender ? [`\n    ${r.sender}`] : []),
    `\n    ${oneLine(r.kind === 'rejected' || r.kind === 'malformed' ? (r.rejectReason ?? '') : r.excerpt).slice(0, 90)}`,
  ].join('  ');
}
