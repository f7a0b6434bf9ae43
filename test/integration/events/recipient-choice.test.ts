/**
 * The unsubscribe page's guards on the local runtime (real handler, DynamoDB
 * Local): a stop a bounce made is never the recipient's to undo or replace,
 * an undo after its 30 days lifts nothing, a forged token stores nothing, and
 * the page's headers forbid scripts, frames and caching.
 */
import { describe, expect, it } from 'vitest';
import { launchCampaign } from '../../../functions/core/launch.js';
import { unsubscribeUrl } from '../../../functions/core/links.js';
import { PAGE_CSP } from '../../../functions/core/recipient-pages/layout.js';
import { useRuntime } from '../../support/runtime.js';
import { groupCsv, storeCampaign } from './campaign.js';

const runtime = useRuntime();

async function members(tag: string, n: number) {
  const rt = runtime();
  const d = rt.deps();
  const { campaign, recipients } = await storeCampaign(rt, groupCsv(n, 'ngo', tag), {
    status: 'draft',
  });
  await launchCampaign(d, campaign.id);
  await rt.queue.drained();
  await rt.eventsQueue.drained();
  const keys = await d.keys();
  const url = (i: number) =>
    unsubscribeUrl({
      publicUrl: rt.httpUrl,
      keys,
      campaignId: campaign.id,
      recipientId: recipients[i]!.id,
    });
  return { d, campaign, recipients, url };
}

const post = (url: string, body: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    redirect: 'manual',
  });

describe('the unsubscribe page', () => {
  it('never replaces or lifts a stop that a hard bounce made', async () => {
    const { d, campaign, recipients, url } = await members('bounced', 1);
    const email = recipients[0]!.email;
    await d.store.suppress(email, 'hard bounce', new Date().toISOString());
    const page = await fetch(url(0));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('does not write to this address');
    expect(html).not.toContain('<form');
    expect((await post(url(0), 'choice=all')).status).toBe(303);
    expect((await post(url(0), 'choice=undo')).status).toBe(303);
    expect((await post(url(0), 'List-Unsubscribe=One-Click')).status).toBe(200);
    expect((await d.choices.choices(email, campaign.id)).all?.reason).toBe('hard bounce');
    expect(await d.store.isSuppressed(email)).toBe(true);
  });

  it('lifts nothing after the 30 days, and a lifted stop lets the letters through', async () => {
    const { d, campaign, recipients, url } = await members('late', 2);
    const [old, fresh] = recipients.map((r) => r.email) as [string, string];
    await d.choices.stop(
      old,
      'all',
      campaign.id,
      new Date(Date.now() - 31 * 86_400_000).toISOString(),
    );
    expect(await (await fetch(url(0))).text()).toContain('The 30 days to undo this have passed.');
    expect((await post(url(0), 'choice=undo')).headers.get('location')).not.toContain('undone');
    expect(await d.store.isSuppressed(old)).toBe(true);

    expect((await post(url(1), 'choice=all')).status).toBe(303);
    expect(await d.store.isSuppressed(fresh)).toBe(true);
    const undo = await post(url(1), 'choice=undo');
    expect(undo.headers.get('location')).toMatch(/\?undone=1$/);
    expect(await d.store.isSuppressed(fresh)).toBe(false);
    expect((await d.choices.choices(fresh, campaign.id)).all?.liftedAt).toBeDefined();
    // A second undo finds nothing of theirs to lift.
    expect((await post(url(1), 'choice=undo')).headers.get('location')).not.toContain('undone');
  });

  it('answers a forged token with a page that names no one, and stores nothing', async () => {
    const { d, campaign, recipients, url } = await members('forged', 1);
    const forged = url(0).replace(/\.(.)/, (_m, c: string) => `.${c === 'A' ? 'B' : 'A'}`);
    for (const res of [await fetch(forged), await post(forged, 'choice=all')]) {
      expect(res.status).toBe(404);
      const html = await res.text();
      expect(html).not.toContain(recipients[0]!.email.slice(1));
      expect(html).toContain('This link is not available');
    }
    expect(await d.choices.choices(recipients[0]!.email, campaign.id)).toEqual({});
    const bad = await post(url(0), 'choice=everything');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Choose what to stop');
  });

  it('forbids scripts, outside styles, frames and caching', async () => {
    const { url } = await members('headers', 1);
    const res = await fetch(url(0));
    expect(res.headers.get('content-security-policy')).toBe(PAGE_CSP);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toContain('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });
});
