/**
 * Closing sign-on and locking the approved list into the statement, as one
 * operation shared by the staff API (a campaigner closes it, or changes a
 * signatory after it closed) and the scheduler (sign-on closes itself at
 * its closing time). Pure but for the ports it is given.
 */
import type { CampaignStore, Clock } from '../ports.js';
import type { DraftStore } from '../job-ports.js';
import { CampaignStateError } from '../errors.js';
import { recordVersion, audit, type ActorLike, type GovernanceDeps } from '../governance/govern.js';
import { canonicalJson } from '../governance/model.js';
import { compileLetters } from '../letter.js';
import { lockedList, withLockedList } from './flow.js';
import type { SignonSettings } from './model.js';
import type { SignonStore } from './ports.js';

export interface LockDeps extends GovernanceDeps {
  store: CampaignStore;
  clock: Clock;
  signon: SignonStore;
  jobStore: DraftStore;
}

/** What a lock wrote: the new content version and how many organisations it lists. */
export interface LockedVersion {
  number: number;
  hash: string;
  signatories: number;
}

/**
 * Locks the approved list into the statement when sign-on is closed: the
 * letters compiled again and a new version recorded under `actor`. Nothing
 * is written when the list is the one already locked (so locking twice, or
 * a manual close racing the scheduler's, makes one version).
 */
export async function lockSignatories(
  deps: LockDeps,
  campaignId: string,
  actor: ActorLike,
  reason: string,
  letter: { mjml: string; listUrl: string },
): Promise<LockedVersion | undefined> {
  const c = await deps.store.getCampaign(campaignId);
  if (!c) return undefined;
  const settings = await deps.signon.settings(c.id);
  if (settings?.state !== 'closed') return undefined;
  if (c.status !== 'draft')
    throw new CampaignStateError(c.id, `sign-on is for a draft; this campaign is ${c.status}`, {
      status: c.status,
    });
  const list = lockedList(await deps.signon.list(c.id));
  const statement = withLockedList(c.statement, list, letter.listUrl);
  if (canonicalJson(statement) === canonicalJson(c.statement)) return undefined;
  const templates = await compileLetters(statement, letter.mjml);
  const ok = await deps.jobStore.replaceStatement(
    c.id,
    statement,
    templates,
    deps.clock.now().toISOString(),
  );
  if (!ok)
    throw new CampaignStateError(c.id, 'the campaign changed meanwhile; reload and try again');
  const version = await recordVersion(deps, c.id, actor, reason);
  return { number: version.number, hash: version.hash, signatories: list.length };
}

/** Whether an open sign-on's closing time has come (the scheduler closes it then). */
export function closingDue(settings: SignonSettings | undefined, now: Date): boolean {
  return settings?.state === 'open' && Date.parse(settings.closesAt) <= now.getTime();
}

/**
 * Closes sign-on and locks the list, audited under `actor`. Only the caller
 * whose conditional close wins audits it (`closed: false` when sign-on was
 * not open, or someone closed it first); the lock runs either way, since it
 * writes nothing when the list is already locked.
 */
export async function closeSignon(
  deps: LockDeps,
  campaignId: string,
  actor: ActorLike,
  detail: string,
  letter: { mjml: string; listUrl: string },
): Promise<{ closed: boolean; settings?: SignonSettings; version?: LockedVersion }> {
  const at = deps.clock.now().toISOString();
  const sub = typeof actor === 'string' ? actor : actor.sub;
  const settings = await deps.signon.closeIfOpen(campaignId, at, sub);
  if (settings) await audit(deps, campaignId, actor, 'signon-closed', { detail });
  const version = await lockSignatories(
    deps,
    campaignId,
    actor,
    settings ? 'sign-on closed: approved signatories locked' : 'approved signatories locked',
    letter,
  );
  return {
    closed: !!settings,
    ...(settings ? { settings } : {}),
    ...(version ? { version } : {}),
  };
}
