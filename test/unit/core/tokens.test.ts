import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signToken, verifyToken } from '../../../functions/core/tokens.js';

const secret = 'test-secret-0123456789';

describe('signed tokens', () => {
  it('round-trips fields', () => {
    const t = signToken(secret, 'click', ['c1', 'rABC_def-1', '3']);
    expect(verifyToken(secret, 'click', t, 3)).toEqual(['c1', 'rABC_def-1', '3']);
  });

  it('refuses a token of another kind, another secret, or with a field count that differs', () => {
    const t = signToken(secret, 'open', ['c1', 'r1']);
    expect(verifyToken(secret, 'click', t, 2)).toBeUndefined();
    expect(verifyToken('other-secret', 'open', t, 2)).toBeUndefined();
    expect(verifyToken(secret, 'open', t, 3)).toBeUndefined();
  });

  it('refuses every single-character alteration', () => {
    const t = signToken(secret, 'unsubscribe', ['c20261126', 'rXyZ']);
    const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~';
    fc.assert(
      fc.property(fc.nat(t.length - 1), fc.constantFrom(...alphabet), (i, ch) => {
        fc.pre(t[i] !== ch);
        const altered = t.slice(0, i) + ch + t.slice(i + 1);
        expect(verifyToken(secret, 'unsubscribe', altered, 2)).toBeUndefined();
      }),
    );
  });

  it('refuses garbage without throwing', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(verifyToken(secret, 'open', s, 2)).toBeUndefined();
      }),
    );
  });

  it('refuses to sign a field that could smuggle a separator', () => {
    expect(() => signToken(secret, 'open', ['a~b'])).toThrow(/URL-safe/);
    expect(() => signToken(secret, 'open', ['a.b'])).toThrow(/URL-safe/);
  });
});
