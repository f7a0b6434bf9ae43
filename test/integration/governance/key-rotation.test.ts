/**
 * Rotating the signing key through the staff API, on the real handlers: the
 * links of a letter delivered before the rotation (and a link from before key
 * ids existed) keep working after it; a reply to an old reply address still
 * matches its recipient; an erased person stays suppressed after the rotation
 * and after the old key is retired; retiring is refused while the old key's
 * campaign still has live links, and once retired its links fail as forged
 * ones do. Every change is in the keys' audit log under the caller.
 */
import { describe, expect, it } from 'vitest';
import { KEY_AUDIT_ID } from '../../../functions/core/key-rotation.js';
import { signToken } from '../../../functions/core/tokens.js';
import { mailsTo, useRuntime } from '../../support/runtime.js';
import { mixedCsv, replyOverSmtp, sentCampaign, staffToken } from '../../support/staff.js';

const runtime = useRuntime();

async function api(method: string, path: string, body?: unknown, sub = 'keyholder') {
  const token = await staffToken(['campaigner'], sub);
  const res = await fetch(`${runtime().httpUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** The web-version link a delivered letter carries. */
async function webLink(address: string): Promise<string> {
  const [letter] = await mailsTo(runtime(), [address]);
  const url = /https?:\/\/[^\s"<>]+\/w\/[^\s"<>]+/.exec(letter!.body.html ?? '')?.[0];
  if (!url) throw new Error(`no web-version link in the letter to ${address}`);
  return url.replace(/&amp;/g, '&');
}

async function forgetAndSuppress(email: string): Promise<void> {
  const started = await api('POST', '/api/privacy/forget', { email, suppress: true }, 'dpo');
  expect(started.status).toBe(202);
  let job = started.json.job as { id: string; state: string };
  while (job.state === 'erasing') {
    await new Promise((r) => setTimeout(r, 100));
    job = (await api('GET', `/api/privacy/forget/${job.id}`, undefined, 'dpo')).json.job as {
      id: string;
      state: string;
    };
  }
  expect(job.state).toBe('done');
}

const status = async (url: string) => (await fetch(url, { redirect: 'manual' })).status;

describe('rotating the signing key', { timeout: 240_000 }, () => {
  it('keeps old links working until their key is retired, and erased people suppressed throughout', async () => {
    const d = runtime().deps();
    const campaign = await sentCampaign(runtime(), mixedCsv(6, 'rotation'));
    const recipients = (await d.store.recipientsPage(campaign.id)).items;
    const [reader, replier, erased] = [recipients[0]!, recipients[1]!, recipients[2]!];
    const oldLink = await webLink(reader.email);
    expect(oldLink).toMatch(/\/w\/[A-Za-z0-9_~-]+\.k0\.[A-Za-z0-9_-]+$/);
    // A letter delivered before tokens named their key: fields and MAC only, under the plain secret.
    const ring0 = await d.keys();
    const legacyLink = `${runtime().httpUrl}/w/${signToken(ring0.lookup, 'web', [campaign.id, reader.id])}`;
    expect(await status(oldLink)).toBe(200);
    expect(await status(legacyLink)).toBe(200);

    await forgetAndSuppress(erased.email);
    expect(await d.store.isSuppressed(erased.email)).toBe(true);

    // Rotate: k1 signs from now on, k0 stays as a previous key.
    const rotated = await api('POST', '/api/keys/rotate', {});
    expect(rotated.status).toBe(200);
    expect(rotated.json.ring).toMatchObject({
      current: 'k1',
      keys: [
        { id: 'k1', state: 'current' },
        { id: 'k0', state: 'previous' },
      ],
    });
    expect(JSON.stringify(rotated.json)).not.toContain(ring0.lookup);

    // Everything issued before still works: the letter's link, the id-less link, the reply address.
    expect(await status(oldLink)).toBe(200);
    expect(await status(legacyLink)).toBe(200);
    const reply = await replyOverSmtp(runtime(), campaign.id, replier.email, {
      subject: 'Re: Belarus',
      text: 'The minister will raise it at the Council.',
    });
    expect(reply).toMatchObject({ recipientId: replier.id, match: { strength: 'strong' } });
    expect(await d.store.isSuppressed(erased.email)).toBe(true);

    // A new campaign to the erased person and a newcomer: signed with k1, the erased one not mailed.
    const later = await sentCampaign(
      runtime(),
      `email,name,group\n${erased.email},E,ngo\nnew@rotation-later.example.org,New,ngo\n`,
    );
    const newLink = await webLink('new@rotation-later.example.org');
    expect(newLink).toMatch(/\.k1\.[A-Za-z0-9_-]+$/);
    expect(await status(newLink)).toBe(200);
    expect(await mailsTo(runtime(), [erased.email])).toHaveLength(1);
    expect((await d.store.counters(later.id)).sent).toBe(1);

    // Retiring k0 while its campaign still has live links is refused, saying until when.
    const early = await api('POST', '/api/keys/k0/retire', {});
    expect(early.status).toBe(409);
    expect(early.json.message).toContain(campaign.id);
    expect(await status(oldLink)).toBe(200);
    // The current key cannot be retired at all.
    expect((await api('POST', '/api/keys/k1/retire', { force: true })).status).toBe(409);

    // Forced (say the key leaked): k0's links now fail exactly like forged ones.
    const retired = await api('POST', '/api/keys/k0/retire', { force: true });
    expect(retired.status).toBe(200);
    expect(retired.json.ring).toMatchObject({
      current: 'k1',
      keys: [{ id: 'k1', state: 'current' }],
      retired: [{ id: 'k0' }],
    });
    const forged = oldLink.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect(await status(oldLink)).toBe(404);
    expect(await status(legacyLink)).toBe(404);
    expect(await status(forged)).toBe(404);
    expect(await status(newLink)).toBe(200);
    // A token naming a key the ring never had fails the same way.
    expect(await status(oldLink.replace('.k0.', '.k7.'))).toBe(404);

    // The erased person is still suppressed with k0 gone: a third campaign does not mail them.
    expect(await d.store.isSuppressed(erased.email)).toBe(true);
    const third = await sentCampaign(
      runtime(),
      `email,name,group\n${erased.email},E,ngo\nthird@rotation-later.example.org,T,ngo\n`,
    );
    expect((await d.store.counters(third.id)).sent).toBe(1);
    expect(await mailsTo(runtime(), [erased.email])).toHaveLength(1);

    // Who did what, from the verified token; a viewer may not rotate.
    const listed = await api('GET', '/api/keys');
    expect(listed.status).toBe(200);
    expect(listed.json.audit).toEqual([
      expect.objectContaining({
        campaignId: KEY_AUDIT_ID,
        action: 'key-rotated',
        actor: 'keyholder',
      }),
      expect.objectContaining({
        action: 'key-retired',
        actor: 'keyholder',
        detail: expect.stringContaining('forced'),
      }),
    ]);
    const viewer = await fetch(`${runtime().httpUrl}/api/keys/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await staffToken(['viewer'], 'watcher')}` },
    });
    expect(viewer.status).toBe(403);
  });
});
