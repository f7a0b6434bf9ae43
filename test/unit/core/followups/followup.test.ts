import { describe, expect, it } from 'vitest';
import type { CampaignRecipient } from '../../../../functions/core/campaign.js';
import {
  AUDIENCES,
  inAudience,
  parseAudience,
  sesMessageIdHeader,
} from '../../../../functions/core/followups/followup.js';

const r = (over: Record<string, unknown>): CampaignRecipient =>
  ({
    id: 'r1',
    campaignId: 'c1',
    email: 'a@example.org',
    name: 'A',
    group: 'minister',
    state: 'sent',
    messageId: 'm1',
    ...over,
  }) as CampaignRecipient;

const audiences = (x: CampaignRecipient) => AUDIENCES.filter((a) => inAudience(x, a));

describe('who a follow-up reaches', () => {
  it('sorts each first letter by what its recipient did', () => {
    expect(audiences(r({ deliveryState: 'delivered', deliveredAt: 't' }))).toEqual([
      'not-opened',
      'not-replied',
    ]);
    expect(audiences(r({ deliveryState: 'delivered', openedAt: 't' }))).toEqual([
      'opened-not-replied',
      'not-replied',
    ]);
    expect(audiences(r({ deliveryState: 'delivered', openedAt: 't', repliedAt: 't' }))).toEqual([]);
    // A reply without an open (images off) is still a reply.
    expect(audiences(r({ deliveryState: 'delivered', repliedAt: 't' }))).toEqual([]);
    expect(audiences(r({ deliveryState: 'bouncedSoft', bouncedAt: 't' }))).toEqual([
      'soft-bounced',
    ]);
    // Sent, no report yet: counts as not opened.
    expect(audiences(r({}))).toEqual(['not-opened', 'not-replied']);
  });

  it('says nothing about opens of a letter that carried no pixel: only not-replied reaches them', () => {
    const untracked = (x: CampaignRecipient) => AUDIENCES.filter((a) => inAudience(x, a, false));
    expect(untracked(r({ deliveryState: 'delivered' }))).toEqual(['not-replied']);
    expect(untracked(r({ deliveryState: 'delivered', repliedAt: 't' }))).toEqual([]);
  });

  it('never reaches an address that bounced for good, complained, unsubscribed, or a letter never sent', () => {
    for (const over of [
      { deliveryState: 'bouncedHard' },
      { deliveryState: 'rejected' },
      { deliveryState: 'complained', openedAt: 't' },
      { deliveryState: 'delivered', unsubscribedAt: 't' },
      { state: 'failed', messageId: undefined },
      { state: 'expired', messageId: undefined },
      { state: 'suppressed', messageId: undefined },
      { state: 'pending', messageId: undefined },
      { state: 'unknown' },
    ]) {
      expect(audiences(r(over)), JSON.stringify(over)).toEqual([]);
    }
  });

  it('refuses an audience it does not know, naming the ones it does', () => {
    expect(parseAudience('opened-not-replied')).toBe('opened-not-replied');
    expect(() => parseAudience('everyone')).toThrow(
      'follow-up: audience: "everyone" is not one of not-opened, opened-not-replied, not-replied, soft-bounced',
    );
  });
});

describe('threading to the first letter', () => {
  it('names the Message-ID SES gave the first letter', () => {
    expect(sesMessageIdHeader('0102018f-abc-000000', 'eu-west-1')).toBe(
      '<0102018f-abc-000000@eu-west-1.amazonses.com>',
    );
    expect(sesMessageIdHeader('0100018f-abc', 'us-east-1')).toBe(
      '<0100018f-abc@email.amazonses.com>',
    );
  });

  it('refuses an id that would add or split a header', () => {
    for (const id of ['m1\r\nBcc: x@evil.example', 'm1> <m2', '', 'a b']) {
      expect(() => sesMessageIdHeader(id, 'eu-west-1')).toThrow(/cannot thread to message/);
    }
    expect(() => sesMessageIdHeader('m1', 'eu-west-1\r\nX: y')).toThrow(/cannot thread/);
  });
});
