/**
 * Stuck letters through the staff API, over HTTP on the local runtime: a
 * letter SES refused for its address (through the fault proxy) and a letter
 * whose SES answer was lost (swept to unknown) are listed with their reason;
 * each is sent again once, the unknown one only with the explicit acceptance
 * of a possible duplicate; each action is in the audit log under the
 * signed-in user; after the deadline the same requests are refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../functions/adapters/clock.js';
import { setDeps } from '../../functions/adapters/deps.js';
import { SesMailer, sesClient } from '../../functions/adapters/ses-mailer.js';
import { MailOutcomeUnknownError } from '../../functions/core/errors.js';
import type { Mailer, OutgoingLetter } from '../../functions/core/ports.js';
import { sweepStaleClaims } from '../../functions/core/reconcile.js';
import { importRecipients } from '../../functions/core/recipients.js';
import { createCampaign, launchCampaign } from '../../functions/core/launch.js';
import { letterMjml } from '../support/fixtures.js';
import { mailsTo, perRecipient, useRuntime } from '../support/runtime.js';
import { startSesProxy, type SesProxy } from '../support/ses-proxy.js';
import { belarusStatement, mixedCsv, settle, staffToken } from '../support/staff.js';

const runtime = useRuntime();

/** The real mailer, except that the answer to one address's send is lost before it reaches SES. */
class LostAnswer implements Mailer {
  constructor(
    private readonly real: Mailer,
    private readonly victim: string,
  ) {}
  async send(letter: OutgoingLetter) {
    if (letter.to === this.victim) throw new MailOutcomeUnknownError('socket hang up');
    return this.real.send(letter);
  }
}

let proxy: SesProxy | undefined;
afterEach(async () => {
  setDeps({
    clock: systemClock,
    mailer: new SesMailer(sesClient({ region: 'eu-west-1', endpoint: runtime().sesEndpoint })),
  });
  await proxy?.stop();
});

async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${runtime().httpUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('stuck letters through the staff API', { timeout: 300_000 }, () => {
  it('lists failed and unknown letters, resends each once (unknown only when a duplicate is accepted), audited, refused after the deadline', async () => {
    const { recipients } = importRecipients(mixedCsv(6, 'stuck'));
    const [refusedOne, lostOne] = [recipients[1]!, recipients[4]!];
    proxy = await startSesProxy(runtime().sesEndpoint, { rejectTo: new Set([refusedOne.email]) });
    const viaProxy = new SesMailer(sesClient({ region: 'eu-west-1', endpoint: proxy.url }));
    setDeps({ mailer: new LostAnswer(viaProxy, lostOne.email) });
    const d = runtime().deps();
    const { campaign } = await createCampaign(d, {
      statement: belarusStatement(),
      recipients,
      recipientCount: recipients.length,
      mjml: letterMjml(),
    });
    await launchCampaign(d, campaign.id);
    await settle(runtime());
    expect(await sweepStaleClaims(d, campaign.id, 0)).toBe(1);

    const viewer = await staffToken(['viewer']);
    const campaigner = await staffToken(['campaigner'], 'carla');
    const base = `/api/campaigns/${campaign.id}/letters`;
    const listed = await call('GET', `${base}/stuck`, viewer);
    expect(listed.status).toBe(200);
    const items = listed.json.items as { recipientId: string; state: string; reason: string }[];
    expect(items.map((i) => [i.recipientId, i.state]).sort()).toEqual(
      [
        [refusedOne.id, 'failed'],
        [lostOne.id, 'unknown'],
      ].sort(),
    );
    expect(items.find((i) => i.state === 'failed')!.reason).toContain('MessageRejected');
    expect(items.find((i) => i.state === 'unknown')!.reason).toContain('never recorded');

    // An unknown letter is not resent without the explicit acceptance; the field is named.
    const blind = await call('POST', `${base}/resend`, campaigner, {
      state: 'unknown',
      recipientIds: [lostOne.id],
    });
    expect(blind.status).toBe(400);
    expect(JSON.stringify(blind.json)).toContain('acceptPossibleDuplicate');

    // The causes are fixed; both go again, each once however often asked.
    proxy.faults.rejectTo = undefined;
    setDeps({ mailer: viaProxy });
    const failed = await call('POST', `${base}/resend`, campaigner, { state: 'failed', all: true });
    expect(failed.json.resent).toEqual([refusedOne.id]);
    const unknown = { state: 'unknown', recipientIds: [lostOne.id], acceptPossibleDuplicate: true };
    expect((await call('POST', `${base}/resend`, campaigner, unknown)).json.resent).toEqual([
      lostOne.id,
    ]);
    const twice = await call('POST', `${base}/resend`, campaigner, unknown);
    expect(twice.json.resent).toEqual([]);
    await settle(runtime());
    const counts = perRecipient(
      await mailsTo(
        runtime(),
        recipients.map((r) => r.email),
      ),
    );
    expect([...counts.values()]).toEqual(Array(6).fill(1));
    expect(await d.store.counters(campaign.id)).toMatchObject({ sent: 6, failed: 0, unknown: 0 });
    expect((await call('GET', `${base}/stuck`, viewer)).json.items).toEqual([]);

    const resent = (await d.governance.auditLog(campaign.id)).items.filter(
      (e) => e.action === 'resent',
    );
    expect(resent).toHaveLength(2);
    expect(resent.every((e) => e.actor === 'carla@example.org')).toBe(true);

    // After the deadline nothing is resent or marked.
    setDeps({ clock: { now: () => new Date(Date.parse(campaign.statement.deadline) + 1000) } });
    const late = await call('POST', `${base}/mark-sent`, campaigner, { all: true });
    expect(late.status).toBe(409);
    expect(late.json.code).toBe('CAMPAIGN_STATE');
  });
});
