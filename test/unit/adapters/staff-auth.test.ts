/**
 * Cognito tokens reach the handler's own check (locally, or behind a route
 * without the authorizer): only ID tokens of the dashboard client (`aud`)
 * are accepted; access tokens and anything else are refused.
 */
import { describe, expect, it } from 'vitest';
import { checkCognitoClient } from '../../../functions/adapters/staff-auth.js';

const CLIENT = 'dashboard-client-id';

describe('checkCognitoClient', () => {
  it("accepts the dashboard client's ID tokens", () => {
    expect(() => checkCognitoClient({ token_use: 'id', aud: CLIENT }, CLIENT)).not.toThrow();
    expect(() => checkCognitoClient({ token_use: 'id', aud: [CLIENT] }, CLIENT)).not.toThrow();
  });

  it("refuses another client's ID tokens", () => {
    expect(() => checkCognitoClient({ token_use: 'id', aud: 'other' }, CLIENT)).toThrow(/aud/);
    expect(() => checkCognitoClient({ token_use: 'id' }, CLIENT)).toThrow(/aud/);
  });

  it("refuses access tokens, even the dashboard client's, and tokens of no known use", () => {
    expect(() => checkCognitoClient({ token_use: 'access', client_id: CLIENT }, CLIENT)).toThrow(
      /only ID tokens/,
    );
    expect(() => checkCognitoClient({ aud: CLIENT }, CLIENT)).toThrow(/not "id"/);
    expect(() => checkCognitoClient({ token_use: 'refresh', aud: CLIENT }, CLIENT)).toThrow(
      /not "id"/,
    );
  });
});
