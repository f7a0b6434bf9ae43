/**
 * The API takes one kind of token: Cognito ID tokens of the dashboard's app
 * client (`token_use: id`, `aud` = the client), with `sub` and `exp`, and a
 * verified email when it carries one. The same checks apply whether API
 * Gateway's authorizer or the handler verified the signature.
 */
import { describe, expect, it } from 'vitest';
import { checkCognitoClient } from '../../../functions/adapters/staff-auth.js';
import { checkClaims } from '../../../functions/api/auth.js';

const CLIENT = 'dashboard-client-id';
const COGNITO = {
  DEMARCHE_AUTH_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_pool',
  DEMARCHE_AUTH_AUDIENCE: CLIENT,
};
const NOW = Date.parse('2027-01-01T00:00:00Z');
const exp = NOW / 1000 + 3600;
const idToken = {
  sub: 'u-1',
  token_use: 'id',
  aud: CLIENT,
  exp,
  email: 'ana@coalition.example.org',
  email_verified: true,
};

describe('checkCognitoClient', () => {
  it("accepts the dashboard client's ID token", () => {
    expect(() => checkCognitoClient({ token_use: 'id', aud: CLIENT }, CLIENT)).not.toThrow();
  });

  it("refuses access tokens, another client's tokens and tokens of no known use", () => {
    expect(() => checkCognitoClient({ token_use: 'access', client_id: CLIENT }, CLIENT)).toThrow(
      /not "id"/,
    );
    expect(() => checkCognitoClient({ token_use: 'id', aud: 'other' }, CLIENT)).toThrow(/aud/);
    expect(() => checkCognitoClient({ token_use: 'id' }, CLIENT)).toThrow(/aud/);
    expect(() => checkCognitoClient({ aud: CLIENT }, CLIENT)).toThrow(/not "id"/);
    expect(() => checkCognitoClient({ token_use: 'refresh', aud: CLIENT }, CLIENT)).toThrow();
  });
});

describe('checkClaims', () => {
  it('accepts an ID token, also with the claims as strings (as API Gateway hands them over)', () => {
    expect(() => checkClaims(idToken, COGNITO, NOW)).not.toThrow();
    expect(() =>
      checkClaims({ ...idToken, exp: String(exp), email_verified: 'true' }, COGNITO, NOW),
    ).not.toThrow();
  });

  it('refuses no sub, no exp, an expired token, an unverified email, an access token', () => {
    const { sub: _s, ...noSub } = idToken;
    const { exp: _e, ...noExp } = idToken;
    expect(() => checkClaims(noSub, COGNITO, NOW)).toThrow(/sub/);
    expect(() => checkClaims(noExp, COGNITO, NOW)).toThrow(/exp/);
    expect(() => checkClaims({ ...idToken, exp: NOW / 1000 - 1 }, COGNITO, NOW)).toThrow(/expired/);
    expect(() => checkClaims({ ...idToken, email_verified: false }, COGNITO, NOW)).toThrow(
      /not verified/,
    );
    expect(() => checkClaims({ ...idToken, email_verified: 'false' }, COGNITO, NOW)).toThrow(
      /not verified/,
    );
    const { email_verified: _v, ...unsaid } = idToken;
    // A token that does not say (moto's) is let in; the email is then no label.
    expect(() => checkClaims(unsaid, COGNITO, NOW)).not.toThrow();
    const { aud: _a, ...access } = { ...idToken, token_use: 'access', client_id: CLIENT };
    expect(() => checkClaims(access, COGNITO, NOW)).toThrow(/not "id"/);
    expect(() => checkClaims({ ...idToken, aud: 'another-client' }, COGNITO, NOW)).toThrow(/aud/);
    expect(() =>
      checkClaims(idToken, { DEMARCHE_AUTH_ISSUER: COGNITO.DEMARCHE_AUTH_ISSUER }, NOW),
    ).toThrow(/no app client/);
  });

  it('locally (no Cognito issuer) the token must still be an ID token', () => {
    expect(() => checkClaims({ ...idToken, token_use: 'access' }, {}, NOW)).toThrow(/ID token/);
    expect(() => checkClaims(idToken, {}, NOW)).not.toThrow();
  });
});
