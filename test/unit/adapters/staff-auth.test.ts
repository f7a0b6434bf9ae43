/**
 * Cognito tokens reach the handler's own check (locally, or behind a route
 * without the authorizer) as ID tokens (`aud` = the app client) or access
 * tokens (no `aud`, `client_id` = the app client): both are the dashboard
 * client's, anything else is refused, as API Gateway's JWT authorizer does.
 */
import { describe, expect, it } from 'vitest';
import { checkCognitoClient } from '../../../functions/adapters/staff-auth.js';

const CLIENT = 'dashboard-client-id';

describe('checkCognitoClient', () => {
  it("accepts the dashboard client's ID and access tokens", () => {
    expect(() => checkCognitoClient({ token_use: 'id', aud: CLIENT }, CLIENT)).not.toThrow();
    expect(() =>
      checkCognitoClient({ token_use: 'access', client_id: CLIENT }, CLIENT),
    ).not.toThrow();
  });

  it("refuses another client's tokens, whichever claim names the client", () => {
    expect(() => checkCognitoClient({ token_use: 'id', aud: 'other' }, CLIENT)).toThrow(/aud/);
    expect(() => checkCognitoClient({ token_use: 'id' }, CLIENT)).toThrow(/aud/);
    expect(() => checkCognitoClient({ token_use: 'access', client_id: 'other' }, CLIENT)).toThrow(
      /client_id/,
    );
    expect(() => checkCognitoClient({ token_use: 'access' }, CLIENT)).toThrow(/client_id/);
  });

  it('refuses an access token with an aud, and tokens of no known use', () => {
    expect(() =>
      checkCognitoClient({ token_use: 'access', aud: CLIENT, client_id: CLIENT }, CLIENT),
    ).toThrow(/must not carry aud/);
    expect(() => checkCognitoClient({ aud: CLIENT }, CLIENT)).toThrow(/neither "id" nor "access"/);
    expect(() => checkCognitoClient({ token_use: 'refresh', aud: CLIENT }, CLIENT)).toThrow(
      /neither/,
    );
  });
});
