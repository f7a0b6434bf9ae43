/**
 * Follow-ups on the local runtime: a campaign is really sent (SES events
 * record delivery and a hard bounce), one minister opens it through the open
 * pixel and another replies over SMTP; a follow-up to those who did not open
 * reaches exactly them, once, threaded to their first letter, launched by the
 * scheduler; and none goes out once the deadline has passed.
 */
import nodemailer from 'nodemailer';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { setDeps } from '../../functions/adapters/deps.js';
import { systemClock } from '../../functions/adapters/clock.js';
import {
  createFollowUp,
  FollowUpError,
  inAudience,
  launchFollowUp,
} from '../../functions/core/followups/followup.js';
import type { CampaignRecipient } from '../../functions/core/campaign.js';
import { letterFor } from '../../functions/core/compose.js';
import { approveVersion } from '../../functions/core/governance/govern.js';
import { createCampaign, launchCampaign } from '../../functions/core/launch.js';
import { openPixelUrl, replyAddress } from '../../functions/core/links.js';
import { importRecipients } from '../../functions/core/recipients.js';
import { parseStatement } from '../../functions/core/statement.js';
import { trackingFor } from '../../functions/core/tracking.js';
import { handler as scheduler } from '../../functions/scheduler/handler.js';
import { FUTURE_DEADLINE, letterMjml, sharedSample } from '../support/fixtures.js';
import { mailsTo, useRuntime } from '../support/runtime.js';

const runtime = useRuntime({ schedulerTickMs: 0 });
const REPLY_DOMAIN = 'replies.demarche.example.org';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const from = {
  name: 'Eastern Partnership Civil Society Forum',
  address: 'forum@demarche.example.org',
};

function original(deadline: string) {
  return parseStatement(sharedSample(), 'belarus.txt', {
    deadline,
    subject: 'Belarus: joint statement ahead of the Foreign Affairs Council',
    from,
    replyToDomain: REPLY_DOMAIN,
    language: 'en',
  });
}

function reminder(subject: string) {
  return parseStatement(
    'A reminder: our statement on Belarus\n\nThe Council meets soon. We would welcome your response to the joint statement we sent.\n',
    'reminder.txt',
    { deadline: FUTURE_DEADLINE(), subject, from, replyToDomain: REPLY_DOMAIN, language: 'en' },
  );
}

async function sendOriginal(tag: string, deadline = FUTURE_DEADLINE()) {
  const rt = runtime();
  const d = rt.deps();
  const rows = ['email,name,organisation,country,group'];
  for (let i = 0; i < 6; i++)
    rows.push(`member${i}@${tag}.example.org,Member ${i},Organisation ${i},FR,ngo`);
  // Officials' letters carry no open pixel: nothing can be said about their opens.
  rows.push(`minister@${tag}.example.org,Untracked Minister,Ministry,FR,minister`);
  rows.push(`bounce+${tag}@simulator.amazonses.com,Gone Minister,Ministry 9,DE,minister`);
  const { recipients } = importRecipients(rows.join('\n'));
  const { campaign } = await createCampaign(d, {
    statement: original(deadline),
    recipients,
    recipientCount: recipients.length,
    mjml: letterMjml(),
  });
  await launchCampaign(d, campaign.id);
  await rt.queue.drained();
  await rt.eventsQueue.drained();
  return { campaign, recipients };
}

async function stored(campaignId: string): Promise<CampaignRecipient[]> {
  return (await runtime().deps().store.recipientsPage(campaignId, undefined, 500)).items;
}

describe('follow-ups', () => {
  it('reach exactly the recipients who did not open, once, threaded to their first letter', async () => {
    const rt = runtime();
    const d = rt.deps();
    const { campaign, recipients } = await sendOriginal('fu1');
    const keys = await d.keys();
    const [opener, replier] = recipients;
    // Member 0 opens the letter; member 1 opens and replies.
    for (const r of [opener!, replier!]) {
      const res = await fetch(
        openPixelUrl({ publicUrl: rt.httpUrl, keys, campaignId: campaign.id, recipientId: r.id }),
        { headers: { 'user-agent': FIREFOX } },
      );
      expect(res.status).toBe(200);
    }
    await nodemailer
      .createTransport({ host: '127.0.0.1', port: rt.smtpPort, secure: false, ignoreTLS: true })
      .sendMail({
        from: replier!.email,
        to: replyAddress({ keys, campaignId: campaign.id, recipientId: replier!.id }, REPLY_DOMAIN),
        subject: 'Re: Belarus',
        text: 'Received with thanks; the minister supports the statement.',
      });
    await rt.eventsQueue.drained();

    const before = await stored(campaign.id);
    const bounced = before.find((r) => r.email.startsWith('bounce+'))!;
    expect((bounced as unknown as Record<string, unknown>).deliveryState).toBe('bouncedHard');
    const opens = (r: CampaignRecipient) => trackingFor(campaign.tracking, r.group).opens;
    expect(
      before
        .filter((r) => inAudience(r, 'not-replied', opens(r)))
        .map((r) => r.name)
        .sort(),
    ).toEqual(['Member 0', 'Member 2', 'Member 3', 'Member 4', 'Member 5', 'Untracked Minister']);
    const expected = before.filter((r) => inAudience(r, 'not-opened', opens(r)));
    // Members 2–5: not the opener, not the replier, not the bounced address, not the minister.
    expect(expected.map((r) => r.name).sort()).toEqual([
      'Member 2',
      'Member 3',
      'Member 4',
      'Member 5',
    ]);
    expect(
      before.filter((r) => inAudience(r, 'opened-not-replied', opens(r))).map((r) => r.name),
    ).toEqual(['Member 0']);

    const subject = 'Re: Belarus: joint statement ahead of the Foreign Affairs Council';
    const at = new Date(Date.now() + 1500);
    const followUp = await createFollowUp(d, campaign.id, {
      statement: reminder(subject),
      audience: 'not-opened',
      at,
      mjml: letterMjml(),
    });
    expect(followUp.status).toBe('scheduled');
    expect(followUp.statement.deadline).toBe(campaign.statement.deadline);
    // Not due yet: the scheduler leaves it alone.
    expect((await scheduler({ action: 'launch', campaignId: followUp.id })).launched).toEqual([]);
    await sleep(at.getTime() - Date.now() + 50);
    // Two-person approval: a follow-up goes out only once a second campaigner approved it.
    await expect(scheduler({ action: 'launch', campaignId: followUp.id })).rejects.toThrow(
      'is not approved',
    );
    await approveVersion(d, followUp.id, 'reviewer');
    expect((await scheduler({ action: 'launch', campaignId: followUp.id })).launched).toEqual([
      followUp.id,
    ]);
    await rt.queue.drained();

    // Launched again, by the scheduler or by hand, and its jobs delivered again: nothing more is sent.
    expect((await scheduler({ action: 'launch', campaignId: followUp.id })).launched).toEqual([]);
    await expect(
      launchFollowUp({ ...d, audience: d.staffQueries }, followUp.id, { region: 'eu-west-1' }),
    ).rejects.toThrow(/cannot launch a follow-up that is (sending|completed)/);
    const sent = await stored(followUp.id);
    await rt.queue.enqueue(sent.map((r) => ({ campaignId: followUp.id, recipientId: r.id })));
    await rt.queue.drained();

    const mails = (
      await mailsTo(
        rt,
        recipients.map((r) => r.email),
      )
    ).filter((m) => m.subject === subject);
    expect(mails.map((m) => m.destination.to[0]).sort()).toEqual(
      expected.map((r) => r.email).sort(),
    );
    // Each follow-up carries its first letter's SES Message-ID. (The local SES endpoint keeps no
    // headers of raw messages, so the message is composed again from what is stored, as the sender did.)
    const region = d.config.region;
    const fc = (await d.store.getCampaign(followUp.id))!;
    const template = (await d.store.getTemplate(followUp.id, 'en'))!;
    for (const r of await stored(followUp.id)) {
      const first = before.find((x) => x.id === r.id)!;
      const ref = `<${first.messageId}@${region === 'us-east-1' ? 'email' : region}.amazonses.com>`;
      expect(r.threadRef).toBe(ref);
      const letter = letterFor(fc, template, r, { publicUrl: rt.httpUrl, keys });
      const parsed = await PostalMime.parse(letter.raw!);
      const header = (name: string) => parsed.headers.find((h) => h.key === name)?.value;
      expect(header('in-reply-to')).toBe(ref);
      expect(header('references')).toBe(ref);
      expect(parsed.subject).toBe(subject);
    }
    const c = (await d.store.getCampaign(followUp.id))!;
    expect(c.recipientCount).toBe(4);
    expect(c.status).toBe('completed');
    expect((await d.store.counters(followUp.id)).sent).toBe(4);
  });

  it('is refused at or after the deadline, and none goes out once the deadline has passed', async () => {
    const rt = runtime();
    const d = rt.deps();
    const deadline = new Date(Date.now() + 60_000).toISOString();
    const { campaign, recipients } = await sendOriginal('fu2', deadline);
    await expect(
      createFollowUp(d, campaign.id, {
        statement: reminder('Late reminder'),
        audience: 'not-opened',
        at: new Date(deadline),
        mjml: letterMjml(),
      }),
    ).rejects.toThrow(FollowUpError);
    const followUp = await createFollowUp(d, campaign.id, {
      statement: reminder('Reminder that will be too late'),
      audience: 'not-opened',
      at: new Date(Date.now() + 30_000),
      mjml: letterMjml(),
    });
    // The clock moves past the deadline before the follow-up was launched.
    const late = new Date(Date.parse(deadline) + 1000);
    setDeps({ clock: { now: () => late } });
    try {
      const dd = rt.deps();
      await expect(
        launchFollowUp({ ...dd, audience: dd.staffQueries }, followUp.id, { region: 'eu-west-1' }),
      ).rejects.toThrow(/deadline .* has passed/);
      const tick = await scheduler({ action: 'tick' });
      expect(tick.launched).not.toContain(followUp.id);
      expect(tick.expired).toContain(followUp.id);
    } finally {
      setDeps({ clock: systemClock });
    }
    await rt.queue.drained();
    expect((await d.store.getCampaign(followUp.id))!.status).toBe('expired');
    const mails = await mailsTo(
      rt,
      recipients.map((r) => r.email),
    );
    expect(mails.filter((m) => m.subject === 'Reminder that will be too late')).toEqual([]);
  });

  it('refuses what it cannot do, naming it', async () => {
    const d = runtime().deps();
    const { recipients } = importRecipients('email,name\ndraft@fu3.example.org,Draft Minister\n');
    const { campaign: draft } = await createCampaign(d, {
      statement: original(FUTURE_DEADLINE()),
      recipients,
      recipientCount: 1,
      mjml: letterMjml(),
    });
    const input = {
      statement: reminder('x'),
      audience: 'not-opened' as const,
      at: new Date(Date.now() + 60_000),
      mjml: letterMjml(),
    };
    await expect(createFollowUp(d, draft.id, input)).rejects.toThrow(
      /cannot follow up a campaign that is draft/,
    );
    await expect(createFollowUp(d, 'c-none', input)).rejects.toThrow('campaign c-none not found');
  });
});
