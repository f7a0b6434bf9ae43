/**
 * Rotating the deployment's signing keys, as the staff API does it: read the
 * ring as stored, add a new current key (rotate) or drop a previous one
 * (retire), write it back, and record who did it in an audit log of its own.
 * The actor is always the verified caller the route passes in.
 */
import type { CampaignHead } from './campaign.js';
import { KeyRingError } from './errors.js';
import type { Actor, AuditEntry } from './governance/model.js';
import { personalExpiry } from './governance/retention.js';
import {
  type KeyRing,
  type KeyRingStore,
  type KeyRingSummary,
  retireKey,
  rotateKeyRing,
  summariseKeyRing,
} from './key-ring.js';
import type { Clock } from './ports.js';

/**
 * The audit log the key actions are written to. Campaign ids are letters,
 * digits, "-" and "_", so an id with ":" can never be a campaign's.
 */
export const KEY_AUDIT_ID = 'deployment:keys';

export interface KeyRotationDeps {
  keyStore: KeyRingStore;
  clock: Clock;
  governance: { appendAudit(entry: AuditEntry): Promise<void> };
  /** A new key's secret: 32 random bytes (the caller's source of randomness). */
  newSecret: () => string;
  /** The campaigns whose letters may carry a key's links (retire checks them). */
  campaigns: { listCampaigns(): Promise<CampaignHead[]> };
  retentionDays: number;
}

/** A launched campaign whose letters key `id` may have signed, and when its recipients' links end. */
export interface LiveLinks {
  campaignId: string;
  /** ISO date and time: the campaign's personal data (and so every link's target) expires. */
  until: string;
}

/**
 * The campaigns whose letters key `id` may have signed and whose links still
 * work: launched before the next key took over, personal data not yet
 * expired. Retiring the key before then would turn those links into errors.
 */
export function liveLinksOf(
  ring: KeyRing,
  id: string,
  campaigns: CampaignHead[],
  retentionDays: number,
  now: Date,
): LiveLinks[] {
  const index = ring.keys.findIndex((k) => k.id === id);
  // The newer key that replaced it (keys are current first); unknown: every campaign so far.
  const replacedAt = index > 0 ? ring.keys[index - 1]!.createdAt : undefined;
  const replaced = replacedAt ? Date.parse(replacedAt) : now.getTime();
  return campaigns
    .filter((c) => c.launchedAt !== undefined && Date.parse(c.launchedAt) < replaced)
    .map((c) => ({ campaignId: c.id, until: personalExpiry(c, retentionDays) * 1000 }))
    .filter((c) => c.until > now.getTime())
    .sort((a, b) => b.until - a.until)
    .map((c) => ({ campaignId: c.campaignId, until: new Date(c.until).toISOString() }));
}

/** Makes a new current key; the old current key stays as a previous key and keeps verifying. */
export async function rotateKeys(deps: KeyRotationDeps, actor: Actor): Promise<KeyRingSummary> {
  const at = deps.clock.now().toISOString();
  const before = await deps.keyStore.load();
  const after = rotateKeyRing(before, deps.newSecret(), at);
  await deps.keyStore.save(after);
  await audit(
    deps,
    actor,
    'key-rotated',
    at,
    `new current key ${after.current.id}; ${before.current.id} kept as a previous key`,
  );
  return summariseKeyRing(after);
}

/**
 * Removes previous key `id`: from now on its links and reply addresses are
 * refused. Refused while a campaign its letters went out in still has live
 * links (liveLinksOf), unless `force` (a key that leaked: better broken links
 * than forged ones).
 */
export async function retireKeys(
  deps: KeyRotationDeps,
  actor: Actor,
  id: string,
  opts: { force?: boolean } = {},
): Promise<KeyRingSummary> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const before = await deps.keyStore.load();
  const after = retireKey(before, id, at);
  const live = opts.force
    ? []
    : liveLinksOf(before, id, await deps.campaigns.listCampaigns(), deps.retentionDays, now);
  if (live.length)
    throw new KeyRingError(
      `${id} still signs live links: ${live.length} campaign(s) sent with it keep their links until ${live[0]!.until.slice(0, 10)} (${live
        .slice(0, 3)
        .map((l) => l.campaignId)
        .join(
          ', ',
        )}${live.length > 3 ? ', …' : ''}); retire it after that, or now with force if the key leaked`,
      { keyId: id, live },
    );
  await deps.keyStore.save(after);
  await audit(
    deps,
    actor,
    'key-retired',
    at,
    `key ${id} retired${opts.force ? ' (forced)' : ''}; its links no longer verify`,
  );
  return summariseKeyRing(after);
}

function audit(
  deps: KeyRotationDeps,
  actor: Actor,
  action: 'key-rotated' | 'key-retired',
  at: string,
  detail: string,
): Promise<void> {
  return deps.governance.appendAudit({
    campaignId: KEY_AUDIT_ID,
    at,
    actor: actor.sub,
    ...(actor.email ? { actorEmail: actor.email } : {}),
    action,
    detail,
  });
}
