import { beforeAll, describe, expect, it } from 'vitest';
import { handler as inboundHandler, rawKeyFor } from '../../functions/inbound/handler.js';
import { receiveReply } from '../../functions/core/replies/receive.js';
import { DEFAULT_LIMITS } from '../../functions/core/replies/parse.js';
import { inboundDeps } from '../../functions/inbound/handler.js';
import { receiptEvent } from '../../functions/local/smtp.js';
import { deliver, fixture, sentCampaign, type SentCampaign } from '../support/replies.js';
import { mailsTo, useRuntime } from '../support/runtime.js';

const runtime = useRuntime();

describe('receiving replies: redelivery, limits, refusals and the staff forward', () => {
  let c: SentCampaign;
  let staffed: SentCampaign;
  const STAFF = 'campaign-staff@demarche.example.org';

  beforeAll(async () => {
    c = await sentCampaign(runtime(), 4, 'rd6');
    staffed = await sentCampaign(runtime(), 2, 'st6', { staffAddress: STAFF });
  }, 60_000);

  const recipient = (s: SentCampaign, i: number) => s.recipients[i]!;
  const tokenOf = (s: SentCampaign, i: number) => s.replyTo.get(recipient(s, i).id)!;

  it('a reply delivered twice is stored once and counted once', async () => {
    const d = runtime().deps();
    const r = recipient(c, 0);
    const raw = fixture('gmail.eml', r, tokenOf(c, 0));
    await deliver(runtime(), raw, { from: r.email, to: [tokenOf(c, 0)] });
    const before = await d.store.counters(c.id);
    // The sending server did not see our 250 and sends the same message again.
    const again = await deliver(runtime(), raw, { from: r.email, to: [tokenOf(c, 0)] });
    expect(again.response).toMatch(/^250 /);
    expect((await d.store.counters(c.id)).replied).toBe(before.replied);
    expect(before.replied).toBe(1);
    const replies = await d.replies.listReplies(c.id, { recipientId: r.id });
    expect(replies.items).toHaveLength(1);
    const timeline = await d.events.timeline(c.id, r.id);
    expect(timeline.filter((e) => (e.type as string) === 'reply')).toHaveLength(1);
  });

  it('a second reply from the same person is stored but the person is counted once', async () => {
    const d = runtime().deps();
    const r = recipient(c, 0);
    await deliver(runtime(), fixture('thunderbird.eml', r, tokenOf(c, 0)), {
      from: r.email,
      to: [tokenOf(c, 0)],
    });
    expect((await d.replies.listReplies(c.id, { recipientId: r.id })).items).toHaveLength(2);
    expect((await d.store.counters(c.id)).replied).toBe(1);
  });

  it('refuses mail for other domains and messages over the size limit at the SMTP level', async () => {
    const r = recipient(c, 1);
    await expect(
      deliver(runtime(), fixture('gmail.eml', r, 'someone@elsewhere.example.net'), {
        from: r.email,
        to: ['someone@elsewhere.example.net'],
      }),
    ).rejects.toMatchObject({ responseCode: 550 });
    const huge = Buffer.concat([
      fixture('gmail.eml', r, tokenOf(c, 1)),
      Buffer.alloc(11 * 1024 * 1024, 'x'),
    ]);
    await expect(
      deliver(runtime(), huge, { from: r.email, to: [tokenOf(c, 1)] }),
    ).rejects.toMatchObject({ responseCode: 552 });
  });

  it('a malformed or over-deep message is stored with its reason and the next message goes through', async () => {
    const d = runtime().deps();
    const r = recipient(c, 2);
    for (const name of ['malformed.eml', 'nested.eml', 'outlook.eml']) {
      const res = await deliver(runtime(), fixture(name, r, tokenOf(c, 2)), {
        from: r.email,
        to: [tokenOf(c, 2)],
      });
      expect(res.response).toMatch(/^250 /);
    }
    const items = (await d.replies.listReplies(c.id, { recipientId: r.id })).items;
    const byKind = items.map((i) => [i.kind, i.rejectReason ?? ''] as const);
    expect(byKind).toEqual(
      expect.arrayContaining([
        ['human', ''],
        ['rejected', expect.stringMatching(/nesting depth is over the limit of 12/)],
        ['malformed', expect.stringMatching(/malformed header line \d+: "From office/)],
      ]),
    );
  });

  it('a message over the core size limit is rejected by its size without being read', async () => {
    const d = runtime().deps();
    const deps = {
      ...inboundDeps(d),
      limits: { ...DEFAULT_LIMITS, maxBytes: 1000, maxHeaderBytes: 500, maxParts: 5, maxDepth: 3 },
    };
    const key = rawKeyFor(`big-${Date.now()}`);
    await d.rawStore.put(key, fixture('attachment.eml', recipient(c, 3), tokenOf(c, 3)));
    const out = await receiveReply(deps, { rawKey: key, envelopeTo: [tokenOf(c, 3)] });
    expect(out.reply).toMatchObject({ kind: 'rejected', recipientId: recipient(c, 3).id });
    expect(out.reply.rejectReason).toMatch(/over the 1000-byte limit/);
  });

  it('a message that takes longer than the time budget is stored as rejected with the reason', async () => {
    const d = runtime().deps();
    // A budget already spent: the first check stops the read, whatever the machine's speed.
    const deps = { ...inboundDeps(d), limits: { ...DEFAULT_LIMITS, maxParseMs: -1 } };
    const key = rawKeyFor(`slow-${Date.now()}`);
    await d.rawStore.put(key, fixture('outlook.eml', recipient(c, 3), tokenOf(c, 3)));
    const out = await receiveReply(deps, { rawKey: key, envelopeTo: [tokenOf(c, 3)] });
    expect(out.reply).toMatchObject({
      kind: 'rejected',
      recipientId: recipient(c, 3).id,
      text: '',
    });
    expect(out.reply.rejectReason).toMatch(
      /^reading the message took longer than its -1 ms budget/,
    );
    expect(out.counted).toBe(false);
  });

  it('a message the spam scan marked FAIL is stored as rejected, unread, and changes nothing', async () => {
    const d = runtime().deps();
    const r = recipient(c, 3);
    const sesId = `0102019c4f-${Date.now()}-spam01`;
    await d.rawStore.put(rawKeyFor(sesId), fixture('gmail.eml', r, tokenOf(c, 3)));
    const before = await d.store.counters(c.id);
    const event = receiptEvent(sesId, r.email, [tokenOf(c, 3)], new Date(), { spam: 'FAIL' });
    const [result] = await inboundHandler(event);
    expect(result!.reply).toMatchObject({ kind: 'rejected', text: '', recipientId: r.id });
    expect(result!.reply.rejectReason).toMatch(/spam verdict FAIL/);
    expect((await d.store.counters(c.id)).replied).toBe(before.replied);
  });

  it('takes the SES receipt event AWS sends, with SES verdicts kept', async () => {
    const d = runtime().deps();
    const r = recipient(c, 3);
    const sesId = `0102019c4f-${Date.now()}-000000`;
    await d.rawStore.put(rawKeyFor(sesId), fixture('french.eml', r, tokenOf(c, 3)));
    const event = receiptEvent(sesId, r.email, [tokenOf(c, 3)], new Date());
    event.Records[0]!.ses.receipt.spamVerdict = { status: 'PASS' };
    const [result] = await inboundHandler(event);
    expect(result!.reply).toMatchObject({
      kind: 'human',
      recipientId: r.id,
      verdicts: { spam: 'PASS', virus: 'GRAY' },
    });
    // Lambda retries the same event: nothing new.
    const [again] = await inboundHandler(event);
    expect(again!.duplicate).toBe(true);
    expect(again!.reply.id).toBe(result!.reply.id);
    // A message SES found a virus in is stored as rejected, unread.
    const infected = `0102019c4f-${Date.now()}-000001`;
    await d.rawStore.put(rawKeyFor(infected), fixture('gmail.eml', r, tokenOf(c, 3)));
    const virusEvent = receiptEvent(infected, r.email, [tokenOf(c, 3)], new Date());
    virusEvent.Records[0]!.ses.receipt.virusVerdict = { status: 'FAIL' };
    const [bad] = await inboundHandler(virusEvent);
    expect(bad!.reply).toMatchObject({ kind: 'rejected', recipientId: r.id, text: '' });
    expect(bad!.reply.rejectReason).toMatch(/virus/);
    // A record that is not an SES receipt is dropped, not retried.
    expect(await inboundHandler({ Records: [{ nonsense: true }] } as never)).toEqual([]);
  });

  it('forwards a person’s reply to the campaign staff with the match on top, escaped', async () => {
    const r = recipient(staffed, 0);
    await deliver(runtime(), fixture('hostile-html.eml', r, tokenOf(staffed, 0)), {
      from: r.email,
      to: [tokenOf(staffed, 0)],
    });
    // An out-of-office is not forwarded.
    await deliver(
      runtime(),
      fixture('ooo-outlook-en.eml', recipient(staffed, 1), tokenOf(staffed, 1)),
      {
        from: recipient(staffed, 1).email,
        to: [tokenOf(staffed, 1)],
      },
    );
    const mails = await mailsTo(runtime(), [STAFF]);
    expect(mails).toHaveLength(1);
    const m = mails[0]!;
    expect(m.replyTo).toEqual([r.email]);
    expect(m.body.text).toMatch(/^Reply to campaign /);
    expect(m.body.text).toContain(`Recipient: ${r.id}`);
    expect(m.body.text).toContain('Match: token (strong)');
    expect(m.body.text).toContain('We agree.');
    expect(m.body.html).not.toMatch(/<script|<img/i);
    expect(m.body.html).toContain('&lt;script&gt;');
    const stored = (await runtime().deps().replies.listReplies(staffed.id, { kind: 'human' }))
      .items;
    expect(stored[0]!.forwardedAt).toEqual(expect.any(String));
  });
});
