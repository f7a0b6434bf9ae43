/**
 * `demarche stuck | resend | mark-sent`: the way out of failed and unknown
 * letters from the command line, through the same core operations as the
 * staff API (core/stuck.ts), each letter logged in the audit log under the
 * acting user. Resending unknown letters needs --accept-possible-duplicate:
 * their sender stopped after handing them to SES, so they may have arrived.
 */
import type { CampaignRecipient } from '../../core/campaign.js';
import { DemarcheError } from '../../core/errors.js';
import { audit } from '../../core/governance/govern.js';
import {
  type Acting,
  listStuck,
  markLettersSent,
  resendLetters,
  STUCK_STATES,
  type StuckResult,
  type StuckState,
  WHAT_TO_DO,
} from '../../core/stuck.js';
import type { Deps } from '../../adapters/deps.js';
import { openTarget, type Target, type TargetOptions } from '../target.js';
import { cliActor } from './governance.js';

type Opts = TargetOptions & { json?: boolean; as?: string };

async function withTarget<T>(opts: Opts, fn: (t: Target) => Promise<T>): Promise<T> {
  const target = await openTarget(opts);
  try {
    return await fn(target);
  } finally {
    await target.stop();
  }
}

function stateOf(value: string | undefined): StuckState {
  if (value === undefined || (STUCK_STATES as readonly string[]).includes(value))
    return (value ?? 'failed') as StuckState;
  throw new DemarcheError('REQUEST_INVALID', `--state must be failed or unknown, not ${value}`, {
    field: 'state',
  });
}

function acting(d: Deps, campaignId: string, opts: Opts): Acting {
  const actor = cliActor(opts);
  return { actor, audit: (action, detail) => audit(d, campaignId, actor, action, { detail }) };
}

function printResult(opts: Opts, verb: string, out: StuckResult): void {
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const lines = [`${out.done.length} letter${out.done.length === 1 ? '' : 's'} ${verb}.`];
  for (const r of out.refused) lines.push(`  not ${verb}: ${r.recipientId}: ${r.reason}`);
  if (out.more) lines.push('More letters remain: run the command again.');
  process.stdout.write(`${lines.join('\n')}\n`);
  if (out.refused.length && !out.done.length) process.exitCode = 1;
}

/** Lists a campaign's failed and unknown letters (or those of --state), each with its reason. */
export async function stuckCommand(
  campaignId: string,
  opts: Opts & { state?: string },
): Promise<void> {
  const states = opts.state ? [stateOf(opts.state)] : [...STUCK_STATES];
  await withTarget(opts, async (t) => {
    const found: Record<string, CampaignRecipient[]> = {};
    for (const state of states) {
      const letters: CampaignRecipient[] = [];
      let cursor: string | undefined;
      do {
        const page = await listStuck(t.deps, campaignId, state, cursor, 200);
        letters.push(...page.items);
        cursor = page.cursor;
      } while (cursor);
      found[state] = letters;
    }
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
      return;
    }
    for (const state of states) {
      const letters = found[state]!;
      process.stdout.write(`${letters.length} ${state} letter${letters.length === 1 ? '' : 's'}`);
      if (!letters.length) {
        process.stdout.write('.\n');
        continue;
      }
      process.stdout.write(`: ${WHAT_TO_DO[state]}.\n`);
      for (const r of letters) process.stdout.write(`  ${r.id}  ${r.email}  ${r.failure ?? ''}\n`);
    }
  });
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
      `resending unknown letters needs --accept-possible-duplicate: ${WHAT_TO_DO.unknown}`,
      { field: 'acceptPossibleDuplicate' },
    );
  await withTarget(opts, async (t) => {
    const out = await resendLetters(t.deps, campaignId, {
      state,
      ...(opts.all ? { all: true } : { recipientIds }),
      acceptPossibleDuplicate: opts.acceptPossibleDuplicate === true,
      ...acting(t.deps, campaignId, opts),
    });
    // Locally, the letters go out before the command returns.
    if (out.done.length) await t.drained();
    printResult(opts, 'sent again', out);
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
  await withTarget(opts, async (t) => {
    const out = await markLettersSent(t.deps, campaignId, {
      ...(opts.all ? { all: true } : { recipientIds }),
      ...(opts.note ? { note: opts.note } : {}),
      ...acting(t.deps, campaignId, opts),
    });
    printResult(opts, 'marked as sent', out);
  });
}
