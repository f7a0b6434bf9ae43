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
