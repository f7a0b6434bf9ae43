/**
 * `demarche stuck | resend | mark-sent`: the way out of failed and unknown
 * letters from the command line, through the staff API (letters/stuck,
 * letters/resend, letters/mark-sent): the server checks the request, looks
 * for each letter's SES events, refuses after the deadline and logs each
 * letter under the signed-in user. Resending unknown letters needs
 * --accept-possible-duplicate: their sender stopped after handing them to
 * SES, so they may have arrived.
 */
import { DemarcheError } from '../../core/errors.js';
import { STUCK_STATES, type StuckState } from '../../core/stuck.js';
import type { Client, TargetOptions } from '../target.js';
import { withClient } from './status.js';

type Opts = TargetOptions & { json?: boolean };

interface StuckLetter {
  recipientId: string;
  name?: string;
  email: string;
  state: StuckState;
  reason?: string;
}
interface StuckPage {
  whatToDo: Record<StuckState, string>;
  items: StuckLetter[];
  cursor?: string;
}
interface MoveResult {
  refused: { recipientId: string; reason: string }[];
  more?: boolean;
}

function stateOf(value: string | undefined): StuckState {
  if (value === undefined || (STUCK_STATES as readonly string[]).includes(value))
    return (value ?? 'failed') as StuckState;
  throw new DemarcheError('REQUEST_INVALID', `--state must be failed or unknown, not ${value}`, {
    field: 'state',
  });
}

function printResult(opts: Opts, verb: string, done: string[], out: MoveResult): void {
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ done, ...out }, null, 2)}\n`);
    return;
  }
  const lines = [`${done.length} letter${done.length === 1 ? '' : 's'} ${verb}.`];
  for (const r of out.refused) lines.push(`  not ${verb}: ${r.recipientId}: ${r.reason}`);
  if (out.more) lines.push('More letters remain: run the command again.');
  process.stdout.write(`${lines.join('\n')}\n`);
  if (out.refused.length && !done.length) process.exitCode = 1;
}

const lettersPath = (campaignId: string, what: string) =>
  `/api/campaigns/${encodeURIComponent(campaignId)}/letters/${what}`;

/** Every stuck letter of one state, page by page. */
async function allStuck(client: Client, campaignId: string, state: StuckState) {
  const letters: StuckLetter[] = [];
  let whatToDo: Record<StuckState, string> | undefined;
  let cursor: string | undefined;
  do {
    const q = `?state=${state}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await client.call<StuckPage>('GET', `${lettersPath(campaignId, 'stuck')}${q}`);
    letters.push(...page.items);
    whatToDo = page.whatToDo;
    cursor = page.cursor;
  } while (cursor);
  return { letters, whatToDo: whatToDo![state] };
}

/** Lists a campaign's failed and unknown letters (or those of --state), each with its reason. */
export async function stuckCommand(
  campaignId: string,
  opts: Opts & { state?: string },
): Promise<void> {
  const states = opts.state ? [stateOf(opts.state)] : [...STUCK_STATES];
  await withClient(opts, async (client) => {
    const found: Record<string, Awaited<ReturnType<typeof allStuck>>> = {};
    for (const state of states) found[state] = await allStuck(client, campaignId, state);
    if (opts.json) {
      const out = Object.fromEntries(states.map((s) => [s, found[s]!.letters]));
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return;
    }
    for (const state of states) {
      const { letters, whatToDo } = found[state]!;
      process.stdout.write(`${letters.length} ${state} letter${letters.length === 1 ? '' : 's'}`);
      if (!letters.length) {
        process.stdout.write('.\n');
        continue;
      }
      process.stdout.write(`: ${whatToDo}.\n`);
      for (const r of letters)
        process.stdout.write(`  ${r.recipientId}  ${r.email}  ${r.reason ?? ''}\n`);
    }
  });
}

/** Locally, in this process: the letters go out before the command returns. */
async function drained(client: Client): Promise<void> {
  if (client.inProcess) await client.runtime?.queue.drained();
}

/** Sends failed (or, accepting a possible duplicate, unknown) letters again. */
export async function resendCommand(
  campaignId: string,
  recipientIds: string[],
  opts: Opts & { state?: string; all?: boolean; acceptPossibleDuplicate?: boolean },
): Promise<void> {
  const state = stateOf(opts.state);
  if (!opts.all && recipientIds.length === 0)
    throw new DemarcheError('REQUEST_INVALID', 'name the recipients to resend, or use --all', {
      field: 'recipients',
    });
  if (state === 'unknown' && !opts.acceptPossibleDuplicate)
    throw new DemarcheError(
      'REQUEST_INVALID',
      'resending unknown letters needs --accept-possible-duplicate: each may already have reached its recipient, and sending it again may deliver it twice',
      { field: 'acceptPossibleDuplicate' },
    );
  await withClient(opts, async (client) => {
    const out = await client.call<MoveResult & { resent: string[] }>(
      'POST',
      lettersPath(campaignId, 'resend'),
      {
        state,
        ...(opts.all ? { all: true } : { recipientIds }),
        ...(opts.acceptPossibleDuplicate ? { acceptPossibleDuplicate: true } : {}),
      },
    );
    if (out.resent.length) await drained(client);
    printResult(opts, 'sent again', out.resent, out);
  });
}

/** Records unknown letters a person knows went out as sent. */
export async function markSentCommand(
  campaignId: string,
  recipientIds: string[],
  opts: Opts & { all?: boolean; note?: string },
): Promise<void> {
  if (!opts.all && recipientIds.length === 0)
    throw new DemarcheError(
      'REQUEST_INVALID',
      'name the recipients to mark as sent, or use --all',
      {
        field: 'recipients',
      },
    );
  await withClient(opts, async (client) => {
    const out = await client.call<MoveResult & { marked: string[] }>(
      'POST',
      lettersPath(campaignId, 'mark-sent'),
      {
        ...(opts.all ? { all: true } : { recipientIds }),
        ...(opts.note ? { note: opts.note } : {}),
      },
    );
    printResult(opts, 'marked as sent', out.marked, out);
  });
}
