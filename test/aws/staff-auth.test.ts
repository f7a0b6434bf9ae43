/**
 * The staff API's Cognito path, as deployed (DEMARCHE_AUTH_ISSUER and
 * DEMARCHE_AUTH_AUDIENCE, the pool's JWKS fetched and cached, RS256), with
 * tokens moto's user pool issues at sign-in: a campaigner's and a viewer's ID
 * tokens are let in as far as their group allows; a user in no group is
 * forbidden; a user of another pool, an expired token, an access token and a
 * token whose claims were edited are not let in at all.
 */
import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENV } from '../../functions/adapters/config.js';
import { cognitoIssuer } from '../../functions/adapters/stack-definition.js';
import { jwksUrl } from '../../functions/adapters/staff-auth.js';
import { motoClientConfig } from '../../functions/local/moto-stack.js';
import { signIn } from '../../functions/local/moto-runtime.js';
import { REGION, useMotoRuntime } from './moto.js';

const runtime = useMotoRuntime({ schedulerTickMs: 0, sesEvents: false });
let cognito: CognitoIdentityProviderClient;
let pool: { userPoolId: string; clientId: string };

async function call(method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${runtime().httpUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json().catch(() => ({}))) as { code?: string };
  return { status: res.status, code: json.code };
}

const idToken = (email: string, groups: ('campaigner' | 'viewer')[]) =>
  signIn(cognito, pool, { email, groups }).then((t) => t.idToken);

beforeAll(() => {
  const { stack, endpoint } = runtime().aws!;
  cognito = new CognitoIdentityProviderClient(motoClientConfig(endpoint, REGION));
  pool = { userPoolId: stack.userPoolId, clientId: stack.clientId };
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the staff API with Cognito tokens', () => {
  it('is configured as the stack configures it, and fetches the keys from the Cognito endpoint', () => {
    expect(process.env[ENV.authIssuer]).toBe(cognitoIssuer(REGION, pool.userPoolId));
    expect(process.env[ENV.authAudience]).toBe(pool.clientId);
    const issuer = process.env[ENV.authIssuer]!;
    expect(jwksUrl(issuer, {}).href).toBe(`${issuer}/.well-known/jwks.json`);
    expect(jwksUrl(issuer, process.env).href).toBe(
      `${runtime().aws!.endpoint}/${pool.userPoolId}/.well-known/jwks.json`,
    );
  });

  it("lets a campaigner's and a viewer's ID tokens in as far as their group allows", async () => {
    const campaigner = await idToken('alice@coalition.example.org', ['campaigner']);
    const claims = decodeJwt(campaigner);
    expect(claims).toMatchObject({
      token_use: 'id',
      aud: pool.clientId,
      iss: process.env[ENV.authIssuer],
      'cognito:groups': ['campaigner'],
      email: 'alice@coalition.example.org',
    });
    expect((await call('GET', '/api/campaigns', campaigner)).status).toBe(200);
    const viewer = await idToken('victor@coalition.example.org', ['viewer']);
    expect((await call('GET', '/api/campaigns', viewer)).status).toBe(200);
    const write = await call('POST', '/api/campaigns', viewer, {});
    expect(write).toEqual({ status: 403, code: 'FORBIDDEN' });
  });

  it('forbids a signed-in user in no group (403)', async () => {
    const token = await idToken('nobody@coalition.example.org', []);
    expect(decodeJwt(token)['cognito:groups']).toBeUndefined();
    expect(await call('GET', '/api/campaigns', token)).toEqual({ status: 403, code: 'FORBIDDEN' });
  });

  it('refuses a campaigner of another user pool (401)', async () => {
    const other = await cognito.send(new CreateUserPoolCommand({ PoolName: 'another-coalition' }));
    const userPoolId = other.UserPool!.Id!;
    await cognito.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: 'campaigner' }));
    const client = await cognito.send(
      new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'dashboard' }),
    );
    const { idToken: token } = await signIn(
      cognito,
      { userPoolId, clientId: client.UserPoolClient!.ClientId! },
      { email: 'mallory@elsewhere.example.org', groups: ['campaigner'] },
    );
    expect(await call('GET', '/api/campaigns', token)).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuses an expired ID token (401), and the same token while it is valid is let in', async () => {
    const token = await idToken('late@coalition.example.org', ['campaigner']);
    const { exp } = decodeJwt(token);
    // Only the clock moves past the token's expiry: the verifier's checks are the production ones.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime((exp! + 1) * 1000);
    expect(await call('GET', '/api/campaigns', token)).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
    vi.useRealTimers();
    expect((await call('GET', '/api/campaigns', token)).status).toBe(200);
  });

  it('refuses an access token (401): the API accepts Cognito ID tokens only', async () => {
    const { accessToken } = await signIn(cognito, pool, {
      email: 'alice@coalition.example.org',
      groups: ['campaigner'],
    });
    expect(decodeJwt(accessToken)).toMatchObject({ token_use: 'access', client_id: pool.clientId });
    expect(await call('GET', '/api/campaigns', accessToken)).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuses an ID token whose claims were edited after signing (401)', async () => {
    const token = await idToken('victor@coalition.example.org', ['viewer']);
    const [head, payload, sig] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as object;
    const edited = Buffer.from(
      JSON.stringify({ ...claims, 'cognito:groups': ['campaigner'] }),
    ).toString('base64url');
    expect(await call('POST', '/api/campaigns', `${head}.${edited}.${sig}`, {})).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
  });
});
