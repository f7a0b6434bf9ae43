import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { handler } from '../../../functions/events/handler.js';
import { useRuntime } from '../../support/runtime.js';
import { groupCsv, storeCampaign } from './campaign.js';
import {
  asEventBridge,
  asIdentityNotification,
  asSns,
  examples,
  type Letter,
  sqsEvent,
} from './ses-examples.js';

const runtime = useRuntime();

const ingest = async (bodies: string[], receiveCount = 1) => {
  const out = await handler(sqsEvent(bodies, receiveCount));
  expect(out.batchItemFailures).toEqual([]);
};

async function setup(n: number, tag: string) {
  const { campaign, recipients } = await storeCampaign(runtime(), groupCsv(n, 'ngo', tag));
  const letters: Letter[] = recipients.map((r, i) => ({
    messageId: `0102018c${tag}${i}-${randomUUID()}-000000`,
    to: r.email,
    campaignId: campaign.id,
    recipientId: r.id,
    sentAt: new Date(Date.UTC(2027, 0, 5, 8, 0, i)).toISOString(),
  }));
  return { campaign, recipients, letters, d: runtime().deps() };
}

describe('SES events through the events handler', () => {
  it('records a delivery from an EventBridge event once, however often and in whichever envelope it comes', async () => {
    const { campaign, letters, d } = await setup(1, 'deliv');
    const l = letters[0]!;
    const record = examples.delivery(l);
    await ingest([asEventBridge(record)]);
    await ingest([asEventBridge(record), asSns(record)]);
    await Promise.all([ingest([asEventBridge(record)]), ingest([asSns(record)])]);

    const track = await d.events.track(campaign.id, l.recipientId!);
    expect(track).toMatchObject({ deliveryState: 'delivered', version: 1 });
    expect(track!.seen).toEqual(['delivered']);
    expect(await d.store.counters(campaign.id)).toMatchObject({ delivered: 1 });
    const timeline = await d.events.timeline(campaign.id, l.recipientId!);
    expect(timeline.map((e) => e.type)).toEqual(['delivery']);
    expect(timeline[0]!.at).toBe(new Date(Date.parse(l.sentAt!) + 11_893).toISOString());
  });

  it('attributes an identity notification without tags by its SES message id, and suppresses a hard bounce', async () => {
    const { campaign, recipients, letters, d } = await setup(1, 'bnc');
    const l = letters[0]!;
    const claim = randomUUID();
    await d.store.claim(campaign.id, l.recipientId!, claim, l.sentAt!);
    await d.store.recordSent(campaign.id, l.recipientId!, claim, l.messageId, l.sentAt!);

    await ingest([asIdentityNotification(examples.bounce(l))]);
    const track = await d.events.track(campaign.id, l.recipientId!);
    expect(track?.deliveryState).toBe('bouncedHard');
    expect(await d.store.isSuppressed(recipients[0]!.email)).toBe(true);
    const [entry] = await d.events.timeline(campaign.id, l.recipientId!);
    expect(entry).toMatchObject({ type: 'bounce', bounceType: 'hard' });
    expect(entry!.reason).toContain('550 5.1.1 user unknown');

    // A Delivery arriving late never overwrites the bounce, and is not counted as delivered.
    await ingest([asEventBridge(examples.delivery(l, 1_000))]);
    expect((await d.events.track(campaign.id, l.recipientId!))?.deliveryState).toBe('bouncedHard');
    expect(await d.store.counters(campaign.id)).toMatchObject({ bouncedHard: 1, delivered: 0 });
  });

  it('ends in the same states and counters whatever order the events arrive in', async () => {
    const { campaign, letters, d } = await setup(4, 'order');
    const story = (l: Letter) => [
      examples.send(l),
      examples.delivery(l, 900),
      examples.open(l, 3_600_000),
      examples.open(l, 7_200_000),
      examples.click(l, 7_300_000),
    ];
    const bounced = (l: Letter) => [
      examples.send(l),
      examples.delivery(l, 900),
      examples.bounce(l, 5_000),
    ];
    // Letters 0 and 1 in order, 2 and 3 reversed; 1 and 3 bounce after delivery.
    await ingest(story(letters[0]!).map(asEventBridge));
    for (const r of bounced(letters[1]!)) await ingest([asSns(r)]);
    for (const r of story(letters[2]!).reverse()) await ingest([asEventBridge(r)]);
    for (const r of bounced(letters[3]!).reverse()) await ingest([asEventBridge(r)]);

    const states = await Promise.all(
      letters.map((l) => d.events.track(campaign.id, l.recipientId!)),
    );
    expect(states.map((s) => s?.deliveryState)).toEqual([
      'delivered',
      'bouncedHard',
      'delivered',
      'bouncedHard',
    ]);
    expect(states[0]!.seen.sort()).toEqual(states[2]!.seen.sort());
    expect(await d.store.counters(campaign.id)).toMatchObject({
      delivered: 2,
      bouncedHard: 2,
      openedUnique: 2,
      openedTotal: 4,
      clickedUnique: 2,
      clickedTotal: 2,
      openedMachine: 0,
    });
    // The timeline is ordered by time, not by arrival.
    const reversed = await d.events.timeline(campaign.id, letters[2]!.recipientId!);
    expect(reversed.map((e) => e.type)).toEqual(['send', 'delivery', 'open', 'open', 'click']);
  });

  it('accepts every SES event type in both envelopes', async () => {
    const { campaign, letters, d } = await setup(10, 'every');
    const kinds = [
      ['send', 'sent'],
      ['delivery', 'delivered'],
      ['bounce', 'bouncedHard'],
      ['complaint', 'complained'],
      ['reject', 'rejected'],
      ['delay', 'delayed'],
      ['open', undefined],
      ['click', undefined],
      ['renderingFailure', 'rejected'],
      ['subscription', undefined],
    ] as const;
    for (const [i, [kind, state]] of kinds.entries()) {
      const record = examples[kind](letters[i]!);
      await ingest([i % 2 ? asSns(record) : asEventBridge(record)]);
      await ingest([i % 2 ? asEventBridge(record) : asSns(record)]);
      const track = await d.events.track(campaign.id, letters[i]!.recipientId!);
      expect(track?.deliveryState, kind).toBe(state);
      expect(track?.version, kind).toBe(1);
    }
    expect(await d.store.counters(campaign.id)).toMatchObject({
      delivered: 1,
      bouncedHard: 1,
      complained: 1,
      rejected: 2,
      delayed: 1,
      openedUnique: 2, // the click counts its reader as having opened
      openedTotal: 1,
      clickedUnique: 1,
      clickedTotal: 1,
      unsubscribed: 1,
    });
    for (const i of [2, 3, 9]) expect(await d.store.isSuppressed(letters[i]!.to)).toBe(true);
    expect(await d.store.isSuppressed(letters[1]!.to)).toBe(false);
  });

  it('drops malformed, hostile and unknown records without failing the batch or writing anything', async () => {
    const { campaign, letters, d } = await setup(1, 'bad');
    const l = letters[0]!;
    const noMessageId = examples.delivery(l) as unknown as { mail: Record<string, unknown> };
    delete noMessageId.mail.messageId;
    const bodies = [
      'not json at all',
      '[]',
      JSON.stringify({
        'detail-type': 'Email Delivered',
        source: 'aws.ses',
        id: 'x',
        detail: '<script>',
      }),
      asEventBridge(examples.delivery(l)).replace('Email Delivered', 'Email Teleported'),
      asEventBridge(examples.delivery(l)).replace('"Email Delivered"', '"Email Bounced"'),
      asEventBridge(noMessageId as never),
      asSns(examples.open(l)).replace('"Message":"{', '"Message":"{{'),
      JSON.stringify({
        eventType: 'Delivery',
        mail: { messageId: 'm', timestamp: 'yesterday' },
        delivery: {},
      }),
      asEventBridge({ ...examples.open(l), eventType: 'Teleport' }),
      JSON.stringify({ Type: 'SubscriptionConfirmation', Message: 'confirm me' }),
    ];
    await ingest(bodies);
    expect(await d.events.track(campaign.id, l.recipientId!)).toMatchObject({ version: 0 });
    expect(await d.events.timeline(campaign.id, l.recipientId!)).toEqual([]);
    const counters = await d.store.counters(campaign.id);
    expect(Object.values(counters).every((v) => v === 0)).toBe(true);
  });

  it('retries an event nothing matches yet, then drops it', async () => {
    const { letters } = await setup(1, 'orphan');
    const orphan = asIdentityNotification(
      examples.delivery({ ...letters[0]!, messageId: 'never-sent' }),
    );
    const first = await handler(sqsEvent([orphan], 1));
    expect(first.batchItemFailures).toHaveLength(1);
    const last = await handler(sqsEvent([orphan], 3));
    expect(last.batchItemFailures).toEqual([]);
  });

  it('counts machine opens and scanner clicks apart from people', async () => {
    const { campaign, letters, d } = await setup(4, 'machine');
    const [apple, scanner, gmail, person] = letters as [Letter, Letter, Letter, Letter];
    for (const l of letters) await ingest([asEventBridge(examples.delivery(l, 900))]);
    // Apple Mail Privacy Protection fetches from Apple's network as "Mozilla/5.0".
    await ingest([
      asEventBridge(
        examples.open(apple, 1_500, { ipAddress: '17.58.100.1', userAgent: 'Mozilla/5.0' }),
      ),
    ]);
    // A security gateway follows the link two seconds after delivery.
    await ingest([asEventBridge(examples.click(scanner, 2_900))]);
    // Gmail's proxy caches the image: even an hour later its fetch does not show a reader.
    await ingest([
      asEventBridge(
        examples.open(gmail, 3_600_000, {
          ipAddress: '66.249.84.1',
          userAgent:
            'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
        }),
      ),
    ]);
    // Thunderbird loading the image an hour later is a person.
    await ingest([
      asEventBridge(
        examples.open(person, 3_600_000, {
          ipAddress: '203.0.113.7',
          userAgent:
            'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Thunderbird/128.5.0',
        }),
      ),
    ]);
    expect(await d.store.counters(campaign.id)).toMatchObject({
      openedMachine: 2,
      clickedMachine: 1,
      openedUnique: 1,
      openedTotal: 1,
      clickedUnique: 0,
    });
    const [, open] = await d.events.timeline(campaign.id, apple.recipientId!);
    expect(open).toMatchObject({
      type: 'open',
      actor: 'machine',
      reason: 'Apple Mail Privacy Protection',
    });
    const [, click] = await d.events.timeline(campaign.id, scanner.recipientId!);
    expect(click).toMatchObject({ type: 'click', actor: 'machine' });
    expect(click!.reason).toContain('scanner');
    const [, proxied] = await d.events.timeline(campaign.id, gmail.recipientId!);
    expect(proxied).toMatchObject({ type: 'open', actor: 'machine' });
    expect(proxied!.reason).toContain('Gmail image proxy');
  });

  it('attributes an event whose tags name an unknown campaign by its message id before dropping it', async () => {
    const { campaign, letters, d } = await setup(2, 'retag');
    const [l, never] = letters as [Letter, Letter];
    const claim = randomUUID();
    await d.store.claim(campaign.id, l.recipientId!, claim, l.sentAt!);
    await d.store.recordSent(campaign.id, l.recipientId!, claim, l.messageId, l.sentAt!);
    // The tags point at a campaign this table never had; the message id was recorded at sending.
    await ingest([
      asEventBridge(examples.delivery({ ...l, campaignId: 'c20260101gone', recipientId: 'rGone' })),
    ]);
    expect((await d.events.track(campaign.id, l.recipientId!))?.deliveryState).toBe('delivered');
    expect(await d.store.counters(campaign.id)).toMatchObject({ delivered: 1 });
    // Neither the tags nor the message id lead anywhere: dropped, nothing written.
    await ingest([
      asEventBridge(
        examples.delivery({ ...never, campaignId: 'c20260101gone', messageId: 'never-recorded' }),
      ),
    ]);
    expect((await d.events.track(campaign.id, never.recipientId!))?.deliveryState).toBeUndefined();
    expect(await d.store.counters(campaign.id)).toMatchObject({ delivered: 1 });
  });

  it('keeps an open after a bounce as an anomaly, uncounted', async () => {
    const { campaign, letters, d } = await setup(1, 'anom');
    const l = letters[0]!;
    await ingest([asEventBridge(examples.bounce(l, 2_000))]);
    await ingest([asEventBridge(examples.open(l, 3_600_000))]);
    const timeline = await d.events.timeline(campaign.id, l.recipientId!);
    expect(timeline.map((e) => [e.type, e.anomaly ?? false])).toEqual([
      ['bounce', false],
      ['open', true],
    ]);
    expect(await d.store.counters(campaign.id)).toMatchObject({ openedUnique: 0, openedTotal: 0 });
  });
});
