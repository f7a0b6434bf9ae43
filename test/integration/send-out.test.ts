import { describe, expect, it } from 'vitest';
import { setDeps } from '../../functions/adapters/deps.js';
import { createCampaign, launchCampaign } from '../../functions/core/launch.js';
import { parseReplyAddress } from '../../functions/core/links.js';
import { importRecipients, type Recipient } from '../../functions/core/recipients.js';
import { parseStatement, type Statement } from '../../functions/core/statement.js';
import { FUTURE_DEADLINE, letterMjml, ministersCsv, sharedSample } from '../support/fixtures.js';
import { mailsTo, perRecipient, useRuntime } from '../support/runtime.js';

const runtime = useRuntime();

function belarus(deadline = FUTURE_DEADLINE()): Statement {
  return parseStatement(sharedSample(), 'belarus.txt', {
    deadline,
    subject: 'Belarus: joint statement ahead of the Foreign Affairs Council',
    from: {
      name: 'Eastern Partnership Civil Society Forum',
      address: 'forum@demarche.example.org',
    },
    replyToDomain: 'replies.demarche.example.org',
    language: 'en',
  });
}

async function create(statement: Statement, recipients: Recipient[], id?: string) {
  const d = runtime().deps();
  const { campaign } = await createCampaign(d, {
    statement,
    recipients,
    recipientCount: recipients.length,
    mjml: letterMjml(),
    ...(id ? { id } : {}),
  });
  return campaign;
}

describe('a first real send-out', () => {
  it('records each letter as sent when it was handed to SES, never after SES delivered it', async () => {
    const { recipients } = importRecipients(ministersCsv(25).replaceAll('@mfa-', '@times-'));
    const campaign = await create(belarus(), recipients);
    const d = runtime().deps();
    await launchCampaign(d, campaign.id);
    await runtime().queue.drained();
    const deadline = Date.now() + 60_000;
    while ((await d.store.counters(campaign.id)).delivered < 25 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const items = (await d.store.recipientsPage(campaign.id, undefined, 100)).items as {
      id: string;
      sentAt?: string;
      deliveredAt?: string;
    }[];
    expect(items.filter((r) => r.deliveredAt)).toHaveLength(25);
    for (const r of items)
      expect(
        r.deliveredAt! >= r.sentAt!,
        `${r.id}: sent ${r.sentAt}, delivered ${r.deliveredAt}`,
      ).toBe(true);
  });

  it('sends every recipient exactly one personalised letter and records each send', async () => {
    const { recipients } = importRecipients(ministersCsv(30));
    const campaign = await create(belarus(), recipients);
    const d = runtime().deps();
    const { queued } = await launchCampaign(d, campaign.id);
    expect(queued).toBe(30);
    await runtime().queue.drained();

    const mails = await mailsTo(
      runtime(),
      recipients.map((r) => r.email),
    );
    expect(mails).toHaveLength(30);
    expect([...perRecipient(mails).values()].every((n) => n === 1)).toBe(true);
    for (const r of recipients) {
      const mail = mails.find((m) => m.destination.to[0] === r.email)!;
      const surname = r.name.split(' ').pop()!;
      expect(mail.subject).toBe('Belarus: joint statement ahead of the Foreign Affairs Council');
      expect(mail.from).toContain('forum@demarche.example.org');
      expect(mail.replyTo).toHaveLength(1);
      expect(mail.replyTo[0]).toMatch(
        /^reply\+[A-Za-z0-9_~.-]{40,58}@replies\.demarche\.example\.org$/,
      );
      expect(parseReplyAddress(await d.keys(), mail.replyTo[0]!)).toEqual({
        campaignId: campaign.id,
        recipientId: r.id,
      });
      expect(mail.body.text).toContain(`Dear Minister ${surname},`);
      expect(mail.body.html).toContain(`Dear Minister ${surname},`);
      expect(mail.body.html).toContain(r.organisation!);
      expect(mail.body.text).toContain('We are dismayed at the continued violation');

      const stored = (await d.store.getRecipient(campaign.id, r.id))!;
      expect(stored.state).toBe('sent');
      expect(stored.messageId).toBe(mail.messageId);
    }
    const counters = await d.store.counters(campaign.id);
    expect(counters).toMatchObject({ queued: 30, sent: 30, failed: 0, expired: 0 });
    expect((await d.store.getCampaign(campaign.id))!.status).toBe('completed');
  });

  it('a job delivered twice sends one letter', async () => {
    const { recipients } = importRecipients(ministersCsv(12).replaceAll('@mfa-', '@twice-'));
    const campaign = await create(belarus(), recipients);
    const d = runtime().deps();
    await launchCampaign(d, campaign.id);
    await runtime().queue.drained();
    // Redeliver every job, one after the other and two at once.
    for (const r of recipients) {
      const body = JSON.stringify({ campaignId: campaign.id, recipientId: r.id });
      runtime().queue.sendRaw(body);
      runtime().queue.sendRaw(body);
    }
    await runtime().queue.drained();
    const counts = perRecipient(
      await mailsTo(
        runtime(),
        recipients.map((r) => r.email),
      ),
    );
    expect(counts.size).toBe(12);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect((await d.store.counters(campaign.id)).sent).toBe(12);
  });

  it('two deliveries of the same job at the same moment send one letter', async () => {
    const { recipients } = importRecipients(ministersCsv(20).replaceAll('@mfa-', '@race-'));
    const campaign = await create(belarus(), recipients);
    const d = runtime().deps();
    await d.store.transition(campaign.id, ['draft'], 'sending', new Date().toISOString());
    // Each job is on the queue twice before any consumer reaches it; with
    // four consumers the two copies are often handled concurrently.
    for (const r of recipients) {
      const body = JSON.stringify({ campaignId: campaign.id, recipientId: r.id });
      runtime().queue.sendRaw(body);
      runtime().queue.sendRaw(body);
    }
    await runtime().queue.drained();
    const counts = perRecipient(
      await mailsTo(
        runtime(),
        recipients.map((r) => r.email),
      ),
    );
    expect([...counts.values()]).toEqual(Array(20).fill(1));
  });

  it('sends nothing once the deadline has passed: queued letters expire', async () => {
    const { recipients } = importRecipients(ministersCsv(5).replaceAll('@mfa-', '@late-'));
    const deadline = new Date(Date.now() + 60_000).toISOString();
    const campaign = await create(belarus(deadline), recipients);
    const d = runtime().deps();
    await d.store.transition(campaign.id, ['draft'], 'sending', new Date().toISOString());
    setDeps({ clock: { now: () => new Date(Date.parse(deadline) + 1) }, queue: runtime().queue });
    try {
      await runtime().queue.enqueue(
        recipients.map((r) => ({ campaignId: campaign.id, recipientId: r.id })),
      );
      await runtime().queue.drained();
    } finally {
      setDeps({ clock: { now: () => new Date() } });
    }
    expect(
      await mailsTo(
        runtime(),
        recipients.map((r) => r.email),
      ),
    ).toHaveLength(0);
    expect(await runtime().deps().store.counters(campaign.id)).toMatchObject({
      sent: 0,
      expired: 5,
    });
  });

  it('refuses to launch a campaign twice from draft, or one that is completed', async () => {
    const { recipients } = importRecipients(ministersCsv(1).replaceAll('@mfa-', '@once-'));
    const campaign = await create(belarus(), recipients);
    const d = runtime().deps();
    await launchCampaign(d, campaign.id);
    await runtime().queue.drained();
    await expect(launchCampaign(d, campaign.id)).rejects.toThrow(
      /cannot launch a campaign that is completed/,
    );
  });
});
