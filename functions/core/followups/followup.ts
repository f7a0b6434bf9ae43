/**
 * Follow-ups: a second, shorter letter (its own statement text) sent at a set
 * time before the deadline to the recipients of a campaign who are, at that
 * time, in a chosen state — not opened, opened but not replied, not replied,
 * or not delivered after a soft bounce.
 *
 * A follow-up is a campaign of its own (`followUpOf` names the original), so
 * it has every guarantee the first letter has without a line of new sending
 * code: its own claims (each recipient gets it at most once), its own
 * counters, the original's deadline (nothing is sent after it, and letters
 * still queued then expire), pausing and cancelling. Its recipients are
 * chosen when it launches, not when it is scheduled, and each carries the
 * Message-ID of the letter it follows up, which the composer puts in
 * In-Reply-To and References so the follow-up lands in the same conversation.
 */
import type { Campaign, CampaignRecipient } from '../campaign.js';
import type { Actor } from '../governance/model.js';
import { stepAt } from '../engagement.js';
import { CampaignStateError, DemarcheError, NotFoundError } from '../errors.js';
import { createCampaign, launchCampaign } from '../launch.js';
import { scheduleCampaign, type Schedules } from '../lifecycle.js';
import { trackingFor } from '../tracking.js';
import type { CampaignStore, Clock, Queue } from '../ports.js';
import type { Recipient } from '../recipients.js';
import type { Statement } from '../statement.js';
import { remainingFallbacks } from '../governance/fallback.js';

export const AUDIENCES = [
  'not-opened',
  'opened-not-replied',
  'not-replied',
  'soft-bounced',
] as const;
export type Audience = (typeof AUDIENCES)[number];

export const AUDIENCE_LABELS: Record<Audience, string> = {
  'not-opened': 'sent, not opened by a person, not replied',
  'opened-not-replied': 'opened by a person, not replied',
  'not-replied': 'sent, not replied (opened or not)',
  'soft-bounced': 'not delivered after a temporary bounce',
};

/** A follow-up that cannot be made as asked; `field` names the option. */
export class FollowUpError extends DemarcheError {
  constructor(field: string, message: string) {
    super('FOLLOW_UP_INVALID', `follow-up: ${field}: ${message}`, { field });
  }
}

/** Reads an audience name, refusing anything else with the list of names. */
export function parseAudience(value: string): Audience {
  if ((AUDIENCES as readonly string[]).includes(value)) return value as Audience;
  throw new FollowUpError('audience', `"${value}" is not one of ${AUDIENCES.join(', ')}`);
}

const NEVER_AGAIN = new Set(['bouncedHard', 'rejected', 'complained']);

/**
 * True when the recipient's first letter puts them in the audience. Only a
 * letter that was sent (with a message to thread to) qualifies; someone who
 * unsubscribed, complained or whose address does not exist never does.
 * "Opened" audiences need the first letter to have carried an open pixel
 * (`opensTracked`; officials get none by default): without one, not having
 * seen an open says nothing, and only `not-replied` can reach them.
 */
export function inAudience(r: CampaignRecipient, audience: Audience, opensTracked = true): boolean {
  const item = r as unknown as Record<string, unknown>;
  if (r.state !== 'sent' || !r.messageId) return false;
  // The recipient's latest own choice decides (an undone unsubscribe lets them back in);
  // without one, an unsubscribe recorded before choices were kept.
  const choice = item.choice as { scope?: string } | undefined;
  if (choice?.scope ? choice.scope !== 'none' : typeof item.unsubscribedAt === 'string')
    return false;
  const delivery = typeof item.deliveryState === 'string' ? item.deliveryState : undefined;
  if (delivery && NEVER_AGAIN.has(delivery)) return false;
  const opened = stepAt(r, 'opened') !== undefined;
  const replied = stepAt(r, 'replied') !== undefined;
  switch (audience) {
    case 'not-opened':
      return opensTracked && !opened && !replied && delivery !== 'bouncedSoft';
    case 'opened-not-replied':
      return opensTracked && opened && !replied;
    case 'not-replied':
      return !replied && delivery !== 'bouncedSoft';
    case 'soft-bounced':
      return delivery === 'bouncedSoft' && stepAt(r, 'delivered') === undefined && !replied;
  }
}

/**
 * The Message-ID header SES gave a message it sent: `<id@email.amazonses.com>`
 * in us-east-1, `<id@<region>.amazonses.com>` elsewhere (as the replies
 * matcher reads it back). Refuses an id that could not be one.
 */
export function sesMessageIdHeader(messageId: string, region: string): string {
  if (!/^[A-Za-z0-9._+-]{1,200}$/.test(messageId) || !/^[a-z0-9-]{1,32}$/.test(region)) {
    throw new FollowUpError('messageId', `cannot thread to message ${JSON.stringify(messageId)}`);
  }
  const domain = region === 'us-east-1' ? 'email.amazonses.com' : `${region}.amazonses.com`;
  return `<${messageId}@${domain}>`;
}

export interface FollowUpInput {
  /** The follow-up's own text; its deadline, sender and reply domain are the original's. */
  statement: Statement;
  audience: Audience;
  /** When it goes out; before the original's deadline. */
  at: Date;
  mjml: string;
  /** The campaigner writing it. */
  author?: Actor;
}

/**
 * Creates a follow-up of a campaign that has been sent, scheduled for `at`.
 * Its deadline is the original's whatever the statement said: a follow-up can
 * never go out later than the first letter could.
 */
export async function createFollowUp(
  deps: { store: CampaignStore; clock: Clock; schedules?: Schedules },
  originalId: string,
  input: FollowUpInput,
): Promise<Campaign> {
  const original = await deps.store.getCampaign(originalId);
  if (!original) throw new NotFoundError('campaign', originalId);
  if (original.followUpOf) {
    throw new FollowUpError(
      'campaign',
      `${originalId} is itself a follow-up; follow up the original campaign ${original.followUpOf}`,
    );
  }
  if (original.status === 'draft' || original.status === 'scheduled') {
    throw new CampaignStateError(
      originalId,
      `cannot follow up a campaign that is ${original.status}`,
      {
        status: original.status,
      },
    );
  }
  parseAudience(input.audience);
  const now = deps.clock.now();
  const deadline = original.statement.deadline;
  if (Number.isNaN(input.at.getTime())) throw new FollowUpError('at', 'is not a valid date');
  if (input.at.getTime() >= Date.parse(deadline)) {
    throw new FollowUpError(
      'at',
      `${input.at.toISOString()} is not before the deadline ${deadline}`,
    );
  }
  if (input.at.getTime() <= now.getTime()) {
    throw new FollowUpError('at', `${input.at.toISOString()} is in the past`);
  }
  const statement: Statement = {
    ...input.statement,
    // The meeting the letter is about is the original's, unless the follow-up names one.
    ...(input.statement.meeting || !original.statement.meeting
      ? {}
      : { meeting: original.statement.meeting }),
    deadline,
    from: original.statement.from,
    replyToDomain: original.statement.replyToDomain,
  };
  const { campaign } = await createCampaign(deps, {
    statement,
    recipients: [],
    recipientCount: 0,
    mjml: input.mjml,
    ...(original.configurationSet ? { configurationSet: original.configurationSet } : {}),
    ...(original.staffAddress ? { staffAddress: original.staffAddress } : {}),
    ...(input.author ? { author: input.author } : {}),
  });
  const extra = { followUpOf: originalId, followUpAudience: input.audience };
  await deps.store.transition(campaign.id, ['draft'], 'draft', now.toISOString(), extra);
  return scheduleCampaign(deps, campaign.id, input.at);
}

/** Adds recipients to a draft exactly once each and counts them (adapters/staff-queries.ts does). */
export interface AudienceWriter {
  addRecipients(campaignId: string, recipients: Recipient[]): Promise<{ added: number }>;
}

export interface FollowUpLaunch {
  /** Recipients of the original in the audience at launch. */
  selected: number;
  queued: number;
}

/**
 * Launches a due follow-up: takes it back to draft (a conditional write, so
 * of two launchers only one goes on), adds the original's recipients who are
 * in the audience now, each once, threaded to their first letter, and
 * launches it. With nobody in the audience it completes with no letter. A
 * follow-up left in draft by a crash can be launched again: recipients added
 * before are not added twice.
 */
export async function launchFollowUp(
  deps: {
    store: CampaignStore;
    queue: Queue;
    clock: Clock;
    schedules?: Schedules;
    audience: AudienceWriter;
  },
  followUpId: string,
  opts: { region: string },
): Promise<FollowUpLaunch> {
  const c = await deps.store.getCampaign(followUpId);
  if (!c) throw new NotFoundError('campaign', followUpId);
  if (!c.followUpOf) throw new FollowUpError('campaign', `${followUpId} is not a follow-up`);
  const audience = parseAudience(c.followUpAudience ?? '');
  const now = deps.clock.now();
  if (Date.parse(c.statement.deadline) <= now.getTime()) {
    throw new CampaignStateError(
      followUpId,
      `cannot launch: the deadline ${c.statement.deadline} has passed`,
    );
  }
  if (c.status === 'scheduled') {
    if (c.scheduledAt && Date.parse(c.scheduledAt) > now.getTime()) {
      throw new CampaignStateError(followUpId, `is not due before ${c.scheduledAt}`);
    }
    const mine = await deps.store.transition(followUpId, ['scheduled'], 'draft', now.toISOString());
    if (!mine) return { selected: 0, queued: 0 };
  } else if (c.status !== 'draft') {
    throw new CampaignStateError(followUpId, `cannot launch a follow-up that is ${c.status}`, {
      status: c.status,
    });
  }
  const original = await deps.store.getCampaign(c.followUpOf);
  if (!original) throw new NotFoundError('campaign', c.followUpOf);
  let selected = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.store.recipientsPage(c.followUpOf, cursor, 500);
    const batch: Recipient[] = page.items
      .filter((r) => inAudience(r, audience, trackingFor(original.tracking, r.group).opens))
      .map((r) => ({
        ...copyRecipient(r),
        threadRef: sesMessageIdHeader(r.messageId!, opts.region),
      }));
    for (let i = 0; i < batch.length; i += 100) {
      await deps.audience.addRecipients(followUpId, batch.slice(i, i + 100));
    }
    selected += batch.length;
    cursor = page.cursor;
  } while (cursor);
  const fresh = await deps.store.getCampaign(followUpId);
  if (selected === 0 && fresh?.recipientCount === 0) {
    const at = now.toISOString();
    await deps.store.transition(followUpId, ['draft'], 'sending', at, { launchedAt: at });
    await deps.store.transition(followUpId, ['sending'], 'completed', at, { completedAt: at });
    return { selected, queued: 0 };
  }
  const { queued } = await launchCampaign(deps, followUpId);
  return { selected, queued };
}

/**
 * The recipient as the follow-up writes to them: every field of the original
 * row (where the address came from and when it was checked included, so the
 * follow-up's plan does not call it unverified), at the address the original
 * letter reached, with the fallbacks not yet tried.
 */
function copyRecipient(r: CampaignRecipient): Recipient {
  const out: Recipient = { id: r.id, email: r.email, name: r.name, group: r.group };
  for (const k of [
    'title',
    'organisation',
    'country',
    'language',
    'salutation',
    'source',
    'lastVerified',
  ] as const) {
    if (r[k]) out[k] = r[k];
  }
  const fallbacks = remainingFallbacks(r);
  if (fallbacks.length) out.fallbackEmails = fallbacks;
  return out;
}
