/**
 * Sign-on closes itself: the scheduler's tick, at a clock past the closing
 * time, closes it and locks the approved list into the statement as a
 * campaigner's close does (a new content version, audited as the
 * scheduler); a second tick changes nothing. On the local runtime's real
 * handlers, DynamoDB Local and the SES inbox.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setDeps } from '../../../functions/adapters/deps.js';
import { systemClock } from '../../../functions/adapters/clock.js';
import { handler as scheduler } from '../../../functions/scheduler/handler.js';
import { apiCall } from '../../support/api.js';
import { useRuntime } from '../../support/runtime.js';
import { bilingualDraft, signAs } from '../../support/signon.js';
import { staffToken } from '../../support/staff.js';

const runtime = useRuntime({ schedulerTickMs: 0 });
const call = (method: string, path: string, token: string, body?: unknown) =>
  apiCall(runtime().httpUrl, method, path, token, body);
afterEach(() => setDeps({ clock: systemClock }));

describe('sign-on closes at its closing time', { timeout: 180_000 }, () => {
  it('the tick closes it, locks the approved list as a new version, audited as the scheduler, once', async () => {
    const alice = await staffToken(['campaigner'], 'alice');
    const id = await bilingualDraft(
      runtime().httpUrl,
      alice,
      'email,name,group,country,language\nana@cl1.example.org,Ana Pop,ngo,RO,en\n',
    );
    const closesAt = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const opened = await call('POST', `/api/campaigns/${id}/signon/open`, alice, { closesAt });
    const invite = opened.json.inviteUrl as string;
    await signAs(runtime(), invite, { contactEmail: 'contact@cl1.example.org' });
    await signAs(runtime(), invite, {
      name: 'Pending Org',
      latin: '',
      website: '',
      contactEmail: 'p@cl1-pending.example.org',
    });
    const sid = (
      (await call('GET', `/api/campaigns/${id}/signon?state=confirmed`, alice)).json.items as {
        id: string;
      }[]
    )[0]!.id;
    expect(
      (await call('POST', `/api/campaigns/${id}/signatories/${sid}`, alice, { action: 'approve' }))
        .status,
    ).toBe(200);
    const versionsBefore = (await call('GET', `/api/campaigns/${id}/versions`, alice)).json
      .versions as unknown[];

    // Before the closing time the tick leaves it open.
    expect((await scheduler({ action: 'tick' })).signonClosed).not.toContain(id);
    expect((await call('GET', `/api/campaigns/${id}/signon`, alice)).json.settings).toMatchObject({
      state: 'open',
    });

    // A minute past it: closed by the scheduler, the approved list in a new version.
    setDeps({ clock: { now: () => new Date(Date.parse(closesAt) + 60_000) } });
    const first = await scheduler({ action: 'tick' });
    expect(first.signonClosed).toEqual([id]);
    const after = await call('GET', `/api/campaigns/${id}/signon`, alice);
    expect(after.json.settings).toMatchObject({ state: 'closed', closedBy: 'scheduler' });
    expect(after.json.locked).toBe(1);
    const versions = (await call('GET', `/api/campaigns/${id}/versions`, alice)).json.versions as {
      author: string;
      reason: string;
    }[];
    expect(versions.length).toBe(versionsBefore.length + 1);
    expect(versions.at(-1)).toMatchObject({ author: 'scheduler' });
    const preview = await call('POST', `/api/campaigns/${id}/preview`, alice, {});
    expect((preview.json as { html: string }).html).toContain('Правозащитный центр «Весна»');
    expect((preview.json as { html: string }).html).not.toContain('Pending Org');
    // The page takes no more signatures.
    expect((await fetch(invite)).status).toBe(410);

    // A second tick (or a retried one) closes nothing, audits nothing, versions nothing.
    const second = await scheduler({ action: 'tick' });
    expect(second.signonClosed).toEqual([]);
    const log = (await call('GET', `/api/campaigns/${id}/audit`, alice)).json.items as {
      action: string;
      actor: string;
    }[];
    expect(log.filter((e) => e.action === 'signon-closed')).toEqual([
      expect.objectContaining({ actor: 'scheduler' }),
    ]);
    expect(
      ((await call('GET', `/api/campaigns/${id}/versions`, alice)).json.versions as unknown[])
        .length,
    ).toBe(versionsBefore.length + 1);

    // A campaigner's close afterwards is answered, and records no second close.
    const manual = await call('POST', `/api/campaigns/${id}/signon/close`, alice, {});
    expect(manual.status, manual.text).toBe(200);
    expect(manual.json.settings).toMatchObject({ state: 'closed', closedBy: 'scheduler' });
    expect(
      (
        (await call('GET', `/api/campaigns/${id}/audit`, alice)).json.items as { action: string }[]
      ).filter((e) => e.action === 'signon-closed').length,
    ).toBe(1);
  });
});
