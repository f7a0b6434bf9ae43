/**
 * The way out of every state a letter can be stuck in, for a person to take
 * through the API (and so the CLI and the dashboard):
 *
 * - `failed`: SES refused the letter for its recipient (an invalid address,
 *   rejected content) or it could not be rendered. Once the cause is fixed it
 *   may be sent again.
 * - `unknown`: its sender stopped between the SES call and the record, and no
 *   SES event has said whether it left. Sending it again may deliver it twice,
 *   so a resend needs the person's explicit acceptance of that risk, and is
 *   refused when SES's events for the letter show it left; a person who knows
 *   it went out marks it as sent instead.
 *
 * Every action is one conditional write per letter with its counter move
 * (counted once, however often it is asked), refused from the send cutoff
 * before the deadline on, and logged in the audit log under the person's name.
 */
import type { Campaign, CampaignRecipient } from './campaign.js';
import { CampaignStateError, NotFoundError } from './errors.js';
import type { TimelineEntry } from './events/rules.js';
import type { CampaignStore, Clock, Page, Queue } from './ports.js';
import { sendCutoff } from './send.js';

export const STUCK_STATES = ['failed', 'unknown'] as const;
export type StuckState = (typeof STUCK_STATES)[number];

export interface StuckLetterStore {
  /** One page of a campaign's letters in `state`, oldest first (an index, not a scan of the campaign). */
  stuckLetters(
    campaignId: string,
    state: StuckState,
    cursor?: string,
    limit?: number,
  ): Promise<Page<CampaignRecipient>>;
  /** `from` → pending, its count moved back; false when the letter was not in `from`. */
  reopen(
    campaignId: string,
    recipientId: string,
    from: StuckState,
    at: string,
    actor: string,
  ): Promise<boolean>;
  /** unknown → sent on a person's word, counted as sent; false when the letter was not unknown. */
  markSent(campaignId: string, recipientId: string, at: string, actor: string): Promise<boolean>;
}

export interface StuckDeps {
  store: Pick<CampaignStore, 'getCampaign' | 'getRecipient' | 'transition'>;
  stuck: StuckLetterStore;
  events: { timeline(campaignId: string, recipientId: string): Promise<TimelineEntry[]> };
  queue: Queue;
  clock: Clock;
}

/** Who acts, and how their action is logged (the API's auditBy, the CLI's audit): one entry per letter. */
export interface Acting {
  actor: string;
  audit(action: 'resent' | 'marked-sent', detail: string): Promise<void>;
}

/** Why a letter is in a stuck state, and what a person can do about it. */
export const WHAT_TO_DO: Record<StuckState, string> = {
  failed:
    'SES refused this letter for its recipient, or it could not be rendered: fix the cause (the address, the list), then resend it',
  unknown:
    'the sender stopped after handing the letter to SES and before recording it, and no SES event has said whether it left: resend it only if you accept that the recipient may get it twice, or mark it as sent if you know it went out',
};

/** SES event types that prove a letter reached SES (and so may have reached its recipient). */
const LEFT = new Set(['send', 'delivery', 'delay', 'bounce', 'complaint', 'reject']);

/** The SES events on a letter's timeline that show it left, oldest first. */
export function evidenceOfSending(timeline: TimelineEntry[]): TimelineEntry[] {
  return timeline.filter((e) => e.source === 'ses' && LEFT.has(e.type));
}

export interface ResendRequest extends Acting {
  state: StuckState;
  /** The letters to resend; absent with `all`, every letter in `state` (up to `limit` per call). */
  recipientIds?: string[];
  all?: boolean;
  /** Required for `unknown`: the person accepts that a recipient may get the letter twice. */
  acceptPossibleDuplicate?: boolean;
  limit?: number;
}

export interface LetterRefusal {
  recipientId: string;
  reason: string;
}

export interface StuckResult {
  done: string[];
  refused: LetterRefusal[];
  /** More letters in `state` remain (an `all` request stops at its limit: call again). */
  more: boolean;
}

/** How many letters one request acts on at most, so an API call ends within its timeout. */
export const MAX_PER_REQUEST = 500;

async function actionable(deps: StuckDeps, campaignId: string, verb: string): Promise<Campaign> {
  const c = await deps.store.getCampaign(campaignId);
  if (!c) throw new NotFoundError('campaign', campaignId);
  if (deps.clock.now().getTime() >= sendCutoff(c))
    throw new CampaignStateError(
      campaignId,
      `cannot ${verb}: the deadline ${c.statement.deadline} has passed (or is seconds away)`,
      { status: c.status },
    );
  if (c.status === 'cancelled' || c.status === 'expired' || c.status === 'draft')
    throw new CampaignStateError(campaignId, `cannot ${verb} letters of a ${c.status} campaign`, {
      status: c.status,
    });
  return c;
}

/** The ids a request names, or the first page(s) of letters in `state` for `all`. */
async function targets(
  deps: StuckDeps,
  campaignId: string,
  state: StuckState,
  req: { recipientIds?: string[]; all?: boolean; limit?: number },
): Promise<{ ids: string[]; more: boolean }> {
  const limit = Math.min(req.limit ?? MAX_PER_REQUEST, MAX_PER_REQUEST);
  if (!req.all) return { ids: [...new Set(req.recipientIds ?? [])].slice(0, limit), more: false };
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.stuck.stuckLetters(campaignId, state, cursor, limit - ids.length);
    ids.push(...page.items.map((r) => r.id));
    cursor = page.cursor;
  } while (cursor && ids.length < limit);
  return { ids, more: cursor !== undefined };
}

/** Lists a campaign's letters in `state`, each with its reason. */
export async function listStuck(
  deps: Pick<StuckDeps, 'stuck'>,
  campaignId: string,
  state: StuckState,
  cursor?: string,
  limit = 100,
): Promise<Page<CampaignRecipient>> {
  return deps.stuck.stuckLetters(campaignId, state, cursor, limit);
}

/**
 * Sends failed or unknown letters again: each goes back to pending (counted
 * once: a second request finds it no longer in `state`) and its job onto the
 * queue, where the usual claim keeps it to one send. An unknown letter needs
 * `acceptPossibleDuplicate`, and is refused when SES's events show it left.
 * A completed campaign goes back to sending for the letters to go.
 */
export async function resendLetters(
  deps: StuckDeps,
  campaignId: string,
  req: ResendRequest,
): Promise<StuckResult> {
  if (req.state === 'unknown' && req.acceptPossibleDuplicate !== true)
    throw new CampaignStateError(
      campaignId,
      'resending an unknown letter needs acceptPossibleDuplicate: true — it may already have reached its recipient, and sending it again may deliver it twice',
      { field: 'acceptPossibleDuplicate' },
    );
  const campaign = await actionable(deps, campaignId, 'resend');
  const { ids, more } = await targets(deps, campaignId, req.state, req);
  const done: string[] = [];
  const refused: LetterRefusal[] = [];
  for (const id of ids) {
    const r = await deps.store.getRecipient(campaignId, id);
    if (!r || r.state !== req.state) {
      refused.push({
        recipientId: id,
        reason: `the letter is ${r?.state ?? 'not in this campaign'}, not ${req.state}`,
      });
      continue;
    }
    if (req.state === 'unknown') {
      // Looked for first: an SES event of this letter means it left.
      const left = evidenceOfSending(await deps.events.timeline(campaignId, id));
      if (left.length) {
        refused.push({
          recipientId: id,
          reason: `SES reported it (${left.map((e) => `${e.type} at ${e.at}`).join(', ')}): it left; mark it as sent instead`,
        });
        continue;
      }
    }
    const at = deps.clock.now().toISOString();
    if (!(await deps.stuck.reopen(campaignId, id, req.state, at, req.actor))) {
      refused.push({ recipientId: id, reason: `the letter is no longer ${req.state}` });
      continue;
    }
    await req.audit(
      'resent',
      `${req.state} letter to recipient ${id} sent again${req.state === 'unknown' ? ' (possible duplicate accepted)' : ''}; it was ${req.state}: ${r.failure ?? 'no reason recorded'}`,
    );
    done.push(id);
  }
  if (done.length) {
    if (campaign.status === 'completed')
      await deps.store.transition(
        campaignId,
        ['completed'],
        'sending',
        deps.clock.now().toISOString(),
      );
    await deps.queue.enqueue(done.map((recipientId) => ({ campaignId, recipientId })));
  }
  return { done, refused, more };
}

/**
 * Records unknown letters a person knows went out as sent (counted once: a
 * second request finds them no longer unknown), with who said so.
 */
export async function markLettersSent(
  deps: StuckDeps,
  campaignId: string,
  req: Acting & { recipientIds?: string[]; all?: boolean; note?: string; limit?: number },
): Promise<StuckResult> {
  await actionable(deps, campaignId, 'mark letters as sent');
  const { ids, more } = await targets(deps, campaignId, 'unknown', req);
  const done: string[] = [];
  const refused: LetterRefusal[] = [];
  for (const id of ids) {
    const at = deps.clock.now().toISOString();
    if (!(await deps.stuck.markSent(campaignId, id, at, req.actor))) {
      const r = await deps.store.getRecipient(campaignId, id);
      refused.push({
        recipientId: id,
        reason: `the letter is ${r?.state ?? 'not in this campaign'}, not unknown`,
      });
      continue;
    }
    await req.audit(
      'marked-sent',
      `unknown letter to recipient ${id} recorded as sent on a person's word${req.note ? `: ${req.note}` : ''}`,
    );
    done.push(id);
  }
  return { done, refused, more };
}
