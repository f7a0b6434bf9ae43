import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseKeyRing,
  retireKey,
  rotateKeyRing,
  serialiseKeyRing,
  summariseKeyRing,
} from '../../../functions/core/key-ring.js';
import type { CampaignHead } from '../../../functions/core/campaign.js';
import { liveLinksOf } from '../../../functions/core/key-rotation.js';
import { parseReplyAddress, replyAddress } from '../../../functions/core/links.js';
import {
  signRingToken,
  signToken,
  tokenKeyId,
  verifyRingToken,
} from '../../../functions/core/tokens.js';

const PLAIN = 'a-deployment-secret-from-before-rings-0123456789';
const SECOND = 'the-second-key-made-by-rotation-0123456789abcdef';
const THIRD = 'the-third-key-made-by-rotation-0123456789abcdefg';
const at = (day: number) => `2027-01-${String(day).padStart(2, '0')}T09:00:00.000Z`;

describe('the key ring', () => {
  it('reads a plain-string secret as one key, k0, which is also the lookup secret', () => {
    const ring = parseKeyRing(`  ${PLAIN}\n`);
    expect(ring).toEqual({
      current: { id: 'k0', secret: PLAIN },
      keys: [{ id: 'k0', secret: PLAIN }],
      retired: [],
      lookup: PLAIN,
    });
  });

  it('rotates to k1 and k2, keeps the lookup secret, and reads back what it wrote', () => {
    const r1 = rotateKeyRing(parseKeyRing(PLAIN), SECOND, at(1));
    const r2 = rotateKeyRing(r1, THIRD, at(2));
    expect(r2.keys.map((k) => k.id)).toEqual(['k2', 'k1', 'k0']);
    expect(r2.current).toEqual({ id: 'k2', secret: THIRD, createdAt: at(2) });
    expect(r2.lookup).toBe(PLAIN);
    expect(parseKeyRing(serialiseKeyRing(r2))).toEqual(r2);
  });

  it('retires a previous key, never reuses its id, and refuses the current key or an unknown one', () => {
    const r1 = rotateKeyRing(parseKeyRing(PLAIN), SECOND, at(1));
    const gone = retireKey(r1, 'k0', at(3));
    expect(gone.keys.map((k) => k.id)).toEqual(['k1']);
    expect(gone.retired).toEqual([{ id: 'k0', retiredAt: at(3) }]);
    // Retiring k0 keeps its secret as the lookup secret only.
    expect(gone.lookup).toBe(PLAIN);
    expect(rotateKeyRing(gone, THIRD, at(4)).current.id).toBe('k2');
    expect(() => retireKey(gone, 'k1', at(4))).toThrow(/k1 is the current key: rotate first/);
    expect(() => retireKey(gone, 'k0', at(4))).toThrow(/k0 is retired already/);
    expect(() => retireKey(gone, 'k5', at(4))).toThrow(/no key k5 in the key ring \(it has k1\)/);
    expect(() => retireKey(gone, 'zz', at(4))).toThrow(/"zz" is not a key id/);
  });

  it('refuses a short key, a repeated key, and a malformed ring, naming the problem', () => {
    const ring = parseKeyRing(PLAIN);
    expect(() => rotateKeyRing(ring, 'short', at(1))).toThrow(/at least 32 characters/);
    expect(() => rotateKeyRing(ring, PLAIN, at(1))).toThrow(/already in the key ring/);
    expect(() => parseKeyRing('short')).toThrow(/at least 32 characters/);
    expect(() => parseKeyRing('{"format":')).toThrow(/starts with "\{" but is not JSON/);
    const twice = serialiseKeyRing(ring).replace(
      /"retired":\[\]/,
      '"retired":[{"id":"k0","retiredAt":"x"}]',
    );
    expect(() => parseKeyRing(twice)).toThrow(/key id k0 appears twice/);
    const noKeys = JSON.stringify({ format: 'demarche-key-ring-1', lookup: PLAIN, keys: [] });
    expect(() => parseKeyRing(noKeys, 'the secret file /s')).toThrow(
      /the secret file \/s: key ring keys needs at least the current key/,
    );
  });

  it('shows ids and dates, never a secret', () => {
    const ring = rotateKeyRing(parseKeyRing(PLAIN), SECOND, at(1));
    const summary = summariseKeyRing(ring);
    expect(summary).toEqual({
      current: 'k1',
      keys: [
        { id: 'k1', state: 'current', createdAt: at(1) },
        { id: 'k0', state: 'previous' },
      ],
      retired: [],
    });
    expect(JSON.stringify(summary)).not.toMatch(/secret|rotation-0123/);
  });
});

describe('tokens across keys', () => {
  const k0 = parseKeyRing(PLAIN);
  const k1 = rotateKeyRing(k0, SECOND, at(1));
  const k1Only = retireKey(k1, 'k0', at(2));

  it('names the signing key, and verifies under any ring that still holds it', () => {
    const before = signRingToken(k0, 'click', ['c1', 'rABC', '2']);
    expect(tokenKeyId(before)).toBe('k0');
    expect(verifyRingToken(k0, 'click', before, 3)).toEqual(['c1', 'rABC', '2']);
    expect(verifyRingToken(k1, 'click', before, 3)).toEqual(['c1', 'rABC', '2']);
    expect(verifyRingToken(k1Only, 'click', before, 3)).toBeUndefined();
    const after = signRingToken(k1, 'click', ['c1', 'rABC', '2']);
    expect(tokenKeyId(after)).toBe('k1');
    expect(verifyRingToken(k1Only, 'click', after, 3)).toEqual(['c1', 'rABC', '2']);
    expect(verifyRingToken(k0, 'click', after, 3)).toBeUndefined();
  });

  it('verifies a token from before key ids against k0 while the ring holds it', () => {
    const legacy = signToken(PLAIN, 'unsubscribe', ['c20261126', 'rXyZ']);
    expect(tokenKeyId(legacy)).toBeUndefined();
    expect(verifyRingToken(k0, 'unsubscribe', legacy, 2)).toEqual(['c20261126', 'rXyZ']);
    expect(verifyRingToken(k1, 'unsubscribe', legacy, 2)).toEqual(['c20261126', 'rXyZ']);
    expect(verifyRingToken(k1Only, 'unsubscribe', legacy, 2)).toBeUndefined();
  });

  it('refuses a token moved to another key id, another kind, or with its id removed', () => {
    const t = signRingToken(k1, 'open', ['c1', 'r1']);
    expect(verifyRingToken(k1, 'open', t.replace('.k1.', '.k0.'), 2)).toBeUndefined();
    expect(verifyRingToken(k1, 'click', t, 2)).toBeUndefined();
    expect(verifyRingToken(k1, 'open', t.replace('.k1.', '.'), 2)).toBeUndefined();
  });

  it('refuses every single-character alteration of a ring token (property)', () => {
    const t = signRingToken(k1, 'web', ['c20261126', 'rXyZ']);
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~';
    fc.assert(
      fc.property(fc.nat(t.length - 1), fc.constantFrom(...alphabet), (i, ch) => {
        fc.pre(t[i] !== ch);
        expect(verifyRingToken(k1, 'web', t.slice(0, i) + ch + t.slice(i + 1), 2)).toBeUndefined();
      }),
    );
  });

  it('round-trips any fields through any number of rotations, and fails once the key is retired (property)', () => {
    const field = fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/);
    fc.assert(
      fc.property(
        fc.array(field, { minLength: 1, maxLength: 4 }),
        fc.nat(5),
        fc.nat(5),
        (fields, signedAfter, rotations) => {
          let ring = k0;
          const secretOf = (n: number) => `rotated-key-number-${n}-`.padEnd(40, 'x');
          for (let i = 1; i <= signedAfter; i++) ring = rotateKeyRing(ring, secretOf(i), at(i));
          const token = signRingToken(ring, 'signon', fields);
          const signer = ring.current.id;
          for (let i = 1; i <= rotations; i++)
            ring = rotateKeyRing(ring, secretOf(signedAfter + i), at(10 + i));
          expect(verifyRingToken(ring, 'signon', token, fields.length)).toEqual(fields);
          if (signer !== ring.current.id)
            expect(
              verifyRingToken(retireKey(ring, signer, at(28)), 'signon', token, fields.length),
            ).toBeUndefined();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps a reply address with its key id within the 64-character local part, up to k99', () => {
    // A generated campaign id (c + minute stamp + 6 hex) and a recipient id: their longest forms.
    const ref = { campaignId: 'c202703011000a1b2c3', recipientId: `r${'A'.repeat(20)}` };
    let ring = k1;
    for (let i = 2; i <= 99; i++) ring = rotateKeyRing(ring, `key-${i}-`.padEnd(40, 'y'), at(3));
    for (const keys of [k1, ring]) {
      const address = replyAddress({ keys, ...ref }, 'replies.example.org');
      expect(address.split('@')[0]!.length).toBeLessThanOrEqual(64);
      expect(parseReplyAddress(ring, address)).toEqual(ref);
    }
    const address = replyAddress({ keys: k1, ...ref }, 'replies.example.org');
    expect(address).toMatch(/^reply\+c202703011000a1b2c3~rA{20}\.k1\.[A-Za-z0-9_-]{12}@/);
    expect(parseReplyAddress(k1Only, address)).toEqual(ref);
    expect(parseReplyAddress(k0, address)).toBeUndefined();
    // A reply address from before key ids: a 10-byte MAC under the plain secret.
    const legacy = `reply+${signToken(PLAIN, 'reply', [ref.campaignId, ref.recipientId], 10)}@replies.example.org`;
    expect(parseReplyAddress(k1, legacy)).toEqual(ref);
    expect(parseReplyAddress(k1Only, legacy)).toBeUndefined();
  });
});

describe('when a key can be retired', () => {
  const ring = rotateKeyRing(parseKeyRing(PLAIN), SECOND, at(10));
  const campaign = (id: string, launchedAt: string | undefined, deadline: string) =>
    ({
      id,
      status: launchedAt ? 'sending' : 'draft',
      createdAt: at(1),
      ...(launchedAt ? { launchedAt } : {}),
      statement: { deadline },
    }) as unknown as CampaignHead;

  it('names the campaigns sent before the next key whose links still work, latest first', () => {
    const campaigns = [
      campaign('sent-early', at(2), at(5)),
      campaign('sent-late', at(8), at(20)),
      campaign('after-rotation', at(12), at(25)),
      campaign('never-sent', undefined, at(9)),
    ];
    const live = liveLinksOf(ring, 'k0', campaigns, 30, new Date(at(15)));
    expect(live.map((l) => l.campaignId)).toEqual(['sent-late', 'sent-early']);
    expect(live[0]!.until).toBe('2027-02-19T09:00:00.000Z');
    // Past the retention of both, nothing holds k0 back.
    expect(liveLinksOf(ring, 'k0', campaigns, 30, new Date('2027-02-20T00:00:00Z'))).toEqual([]);
  });
});
