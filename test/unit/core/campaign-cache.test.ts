/**
 * The campaign cache serves a campaign for a few seconds, and a reader in an
 * entry's last second starts a refresh in the background instead of waiting
 * for the store when the entry expires: the sender checks the campaign
 * between its send slot and the send call, where a wait costs the slot.
 */
import { describe, expect, it } from 'vitest';
import type { Campaign } from '../../../functions/core/campaign.js';
import { CampaignCache, REFRESH_AHEAD_MS } from '../../../functions/core/campaign-cache.js';

/** A store whose reads the test answers one by one, in order. */
function store() {
  const pending: { resolve(c: Campaign | undefined): void; reject(e: unknown): void }[] = [];
  return {
    pending,
    getCampaign: () =>
      new Promise<Campaign | undefined>((resolve, reject) => pending.push({ resolve, reject })),
    getTemplate: async () => undefined,
  };
}
const campaign = (status: string) => ({ id: 'c1', status }) as unknown as Campaign;
const settle = () => new Promise((r) => setImmediate(r));

describe('the campaign cache', () => {
  it('reads once per entry, and refreshes it in the background before it expires', async () => {
    const s = store();
    const cache = new CampaignCache(s, 5_000);
    const first = cache.campaign('c1', 0);
    expect(s.pending).toHaveLength(1);
    s.pending[0]!.resolve(campaign('sending'));
    expect((await first)?.status).toBe('sending');

    // Fresh: served from memory.
    await cache.campaign('c1', 3_000);
    expect(s.pending).toHaveLength(1);

    // In its last second: still served at once, and one refresh starts (not one per reader).
    const late = 5_000 - REFRESH_AHEAD_MS;
    expect((await cache.campaign('c1', late))?.status).toBe('sending');
    await cache.campaign('c1', late + 10);
    expect(s.pending).toHaveLength(2);

    // The refresh brings the pause in; the entry is then as old as the refresh.
    s.pending[1]!.resolve(campaign('paused'));
    await settle();
    expect((await cache.campaign('c1', 5_500))?.status).toBe('paused');
    expect(s.pending).toHaveLength(2);
    // Its age counts from when the refresh began: expired at 4,000 + 5,000.
    const expired = cache.campaign('c1', late + 5_000);
    expect(s.pending).toHaveLength(3);
    s.pending[2]!.resolve(campaign('cancelled'));
    expect((await expired)?.status).toBe('cancelled');
  });

  it('never serves an entry past its time when a refresh fails: the next reader waits for the store', async () => {
    const s = store();
    const cache = new CampaignCache(s, 5_000);
    const first = cache.campaign('c1', 0);
    s.pending[0]!.resolve(campaign('sending'));
    await first;
    await cache.campaign('c1', 4_500);
    s.pending[1]!.reject(new Error('storage down'));
    await settle();
    // Still within its time: served, and a new refresh may start.
    await cache.campaign('c1', 4_600);
    expect(s.pending).toHaveLength(3);
    // Expired: read anew and waited for.
    const again = cache.campaign('c1', 5_000);
    expect(s.pending).toHaveLength(4);
    s.pending[3]!.resolve(campaign('paused'));
    expect((await again)?.status).toBe('paused');
  });

  it('reads anew on fresh(), and a refresh under way does not overwrite it', async () => {
    const s = store();
    const cache = new CampaignCache(s, 5_000);
    const first = cache.campaign('c1', 0);
    s.pending[0]!.resolve(campaign('sending'));
    await first;
    await cache.campaign('c1', 4_500); // refresh 1 starts
    const fresh = cache.fresh('c1', 4_600); // read 2
    s.pending[2]!.resolve(campaign('paused'));
    await fresh;
    s.pending[1]!.resolve(campaign('sending'));
    await settle();
    expect((await cache.campaign('c1', 4_700))?.status).toBe('paused');
  });
});
