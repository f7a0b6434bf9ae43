/**
 * A follow-up needs approval too: written (and scheduled) by one campaigner,
 * it does not go out when due until a second campaigner approved it.
 */
import { describe, expect, it } from 'vitest';
import { setDeps } from '../../../functions/adapters/deps.js';
import { systemClock } from '../../../functions/adapters/clock.js';
import { createFollowUp } from '../../../functions/core/followups/followup.js';
import { approveVersion, recordVersion } from '../../../functions/core/governance/govern.js';
import { createCampaign, launchCampaign } from '../../../functions/core/launch.js';
import { importRecipients } from '../../../functions/core/recipients.js';
import { parseStatement } from '../../../functions/core/statement.js';
import { handler as scheduler } from '../../../functions/scheduler/handler.js';
import { collectReport } from '../../../functions/core/report/collect.js';
import { renderReportHtml } from '../../../functions/core/report/html.js';
import { letterMjml } from '../../support/fixtures.js';
import { mailsTo, useRuntime } from '../../support/runtime.js';
import { belarusStatement } from '../../support/staff.js';

const runtime = useRuntime({ schedulerTickMs: 0 });

describe('follow-up approval', { timeout: 120_000 }, () => {
  it('an unapproved follow-up is not launched when due; once a second person approves, it is', async () => {
    const rt = runtime();
    const d = rt.deps();
    const { recipients } = importRecipients(
      'email,name,group,source,last_verified,fallback_emails\n' +
        'm1@gov-fu.example.org,Member One,ngo,members list 2026,2026-11-02,office@gov-fu.example.org\n' +
        'm2@gov-fu.example.org,Member Two,ngo,phone call,2026-10-20,\n',
    );
    expect(recipients[0]).toMatchObject({
      source: 'members list 2026',
      lastVerified: '2026-11-02',
    });
    const { campaign } = await createCampaign(d, {
      statement: belarusStatement(),
      recipients,
      recipientCount: recipients.length,
      mjml: letterMjml(),
    });
    await launchCampaign(d, campaign.id);
    await rt.queue.drained();
    const followUp = await createFollowUp(d, campaign.id, {
      statement: parseStatement('A reminder\n\nWe would welcome your answer.\n', 'r.txt', {
        deadline: campaign.statement.deadline,
        subject: 'Re: Belarus',
        from: campaign.statement.from,
        replyToDomain: campaign.statement.replyToDomain,
        language: 'en',
      }),
      audience: 'not-replied',
      at: new Date(Date.now() + 60_000),
      mjml: letterMjml(),
    });
    await recordVersion(d, followUp.id, 'alice', 'follow-up created');
    // The follow-up is about the same meeting as the original, unless it says otherwise.
    expect(followUp.statement.meeting).toBe(campaign.statement.meeting);

    // Two minutes on, and still moving (the audit log orders entries by time).
    const shift = 120_000;
    setDeps({ clock: { now: () => new Date(Date.now() + shift) } });
    try {
      const first = await scheduler({ action: 'tick' });
      expect(first.launched).not.toContain(followUp.id);
      expect((await d.store.getCampaign(followUp.id))!.status).toBe('scheduled');
      await expect(approveVersion(rt.deps(), followUp.id, 'alice')).rejects.toThrow(
        'alice wrote version',
      );
      await approveVersion(rt.deps(), followUp.id, 'bob');
      const second = await scheduler({ action: 'tick' });
      expect(second.launched).toContain(followUp.id);
    } finally {
      setDeps({ clock: systemClock });
    }
    await rt.queue.drained();
    const mails = await mailsTo(rt, ['m1@gov-fu.example.org', 'm2@gov-fu.example.org']);
    expect(mails.filter((m) => m.subject === 'Re: Belarus')).toHaveLength(2);
    const log = (await d.governance.auditLog(followUp.id)).items.map(
      (e) => `${e.action} ${e.actor}`,
    );
    expect(log).toEqual(['created alice', 'approved bob', 'launched scheduler']);

    // Its recipients keep where their address came from, when it was checked, and their fallbacks.
    const copied = (await d.store.recipientsPage(followUp.id, undefined, 10)).items;
    expect(copied.find((r) => r.email === 'm1@gov-fu.example.org')).toMatchObject({
      source: 'members list 2026',
      lastVerified: '2026-11-02',
      fallbackEmails: ['office@gov-fu.example.org'],
    });
    expect(copied.find((r) => r.email === 'm2@gov-fu.example.org')).toMatchObject({
      source: 'phone call',
      lastVerified: '2026-10-20',
    });

    // The original's report lists the follow-up; the follow-up's names the original.
    const reportDeps = { store: d.store, clock: d.clock };
    const original = await collectReport(reportDeps, campaign.id);
    expect(original.followUps).toEqual([
      expect.objectContaining({ id: followUp.id, audience: 'not-replied', sent: 2, recipients: 2 }),
    ]);
    const html = renderReportHtml(original);
    expect(html).toContain('<h2>Follow-ups</h2>');
    expect(html).toContain('Re: Belarus');
    expect(renderReportHtml(await collectReport(reportDeps, followUp.id))).toContain(
      `<dt>Follow-up of</dt><dd>${campaign.id}</dd>`,
    );
  });
});
