import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EventInvalidError } from '../../../../functions/core/events/errors.js';
import { parseEventBody } from '../../../../functions/core/events/normalise.js';
import { asEventBridge, asSns, examples } from '../../../integration/events/ses-examples.js';

const letter = {
  messageId: 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000',
  to: 'recipient@example.com',
  campaignId: 'c1',
  recipientId: 'r1',
};

describe('reading SES event records', () => {
  it('gives the same event, with the same id, from EventBridge, SNS and the bare record', () => {
    const record = examples.bounce(letter);
    const forms = [asEventBridge(record), asSns(record), JSON.stringify(record)].map(
      parseEventBody,
    );
    expect(forms[0]).toMatchObject({
      type: 'bounce',
      bounceType: 'hard',
      campaignId: 'c1',
      recipientId: 'r1',
      address: 'recipient@example.com',
      at: '2017-08-05T00:41:02.669Z',
    });
    expect(forms[1]).toEqual(forms[0]);
    expect(forms[2]).toEqual(forms[0]);
  });

  it('ignores tags that are not plain ids, so attribution falls back to the message id', () => {
    const record = examples.open({ ...letter, recipientId: '<img src=x onerror=alert(1)>' });
    expect(parseEventBody(asEventBridge(record))).toMatchObject({
      campaignId: 'c1',
      recipientId: undefined,
    });
  });

  it('names the part of a record that is wrong', () => {
    const mismatch = asEventBridge(examples.delivery(letter)).replace(
      'Email Delivered',
      'Email Opened',
    );
    expect(() => parseEventBody(mismatch)).toThrow(EventInvalidError);
    expect(() => parseEventBody(mismatch)).toThrow(
      /EventBridge detail: eventType Delivery does not match detail-type Email Opened/,
    );
    const noBounceType = examples.bounce(letter) as unknown as { bounce: Record<string, unknown> };
    delete noBounceType.bounce.bounceType;
    expect(() => parseEventBody(asSns(noBounceType as never))).toThrow(
      /SNS Message: bounce\.bounceType/,
    );
  });
});

describe('SES payloads as AWS delivers them (test/fixtures/ses-events)', () => {
  const fixture = (name: string) =>
    readFileSync(new URL(`../../../fixtures/ses-events/${name}`, import.meta.url), 'utf8');

  it('reads an EventBridge bounce with its diagnostic and our tags', () => {
    expect(parseEventBody(fixture('eventbridge-bounce.json'))).toMatchObject({
      type: 'bounce',
      bounceType: 'hard',
      campaignId: 'c20270310abc',
      recipientId: 'rQ2x9mZbV1kT7wYpLs3a',
      address: 'cabinet.ministre@diplomatie.example.fr',
      reason: expect.stringContaining('User unknown'),
    });
  });

  it('accepts an EventBridge event whose detail has no eventType: the detail-type names it', () => {
    const e = parseEventBody(fixture('eventbridge-delivery-no-eventtype.json'));
    expect(e).toMatchObject({ type: 'delivery', at: '2027-03-10T08:14:02.731Z' });
    // The same record with eventType written out is the same event.
    const withType = JSON.parse(fixture('eventbridge-delivery-no-eventtype.json'));
    withType.detail.eventType = 'Delivery';
    expect(parseEventBody(JSON.stringify(withType))).toEqual(e);
    // One that names another type is still refused.
    withType.detail.eventType = 'Open';
    expect(() => parseEventBody(JSON.stringify(withType))).toThrow(/does not match detail-type/);
  });

  it('reads a Gmail proxy open, an SNS complaint and a click tagged for another campaign', () => {
    expect(parseEventBody(fixture('eventbridge-open-gmail-proxy.json'))).toMatchObject({
      type: 'open',
      ip: '66.249.84.137',
      userAgent: expect.stringContaining('GoogleImageProxy'),
    });
    expect(parseEventBody(fixture('sns-complaint.json'))).toMatchObject({
      type: 'complaint',
      address: 'info@member-ngo.example.org',
      recipientId: 'rA1b2C3d4E5f6G7h8I9j',
    });
    expect(parseEventBody(fixture('eventbridge-click-unknown-campaign.json'))).toMatchObject({
      type: 'click',
      campaignId: 'c20270301old',
      messageId: '0102018e2a5b6e21-5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b-000000',
      link: 'https://coalition.example.org/statement-2027',
    });
  });
});
