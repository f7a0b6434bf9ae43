/**
 * Staff tokens: how the API checks a bearer token when API Gateway has not
 * already done so. In AWS the HTTP API's Cognito JWT authorizer verifies the
 * token and hands the handler its claims; as a second line, and locally, the
 * handler verifies the token itself with `jose`: against the Cognito user
 * pool's JWKS (DEMARCHE_AUTH_ISSUER) or against the key pair the local runtime
 * generates in its data folder (DEMARCHE_AUTH_KEY_FILE). The checks are the
 * same either way: signature, issuer, audience (the dashboard's app client
 * in `aud`), an `exp` that has not passed, and an ID token (`token_use: id`):
 * the one kind of token the API takes, because it alone carries the
 * verified email and the groups. Access tokens are refused.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JWK,
  type JWTPayload,
} from 'jose';
import { ENV } from './config.js';

export const LOCAL_ISSUER = 'urn:demarche:local';
export const LOCAL_AUDIENCE = 'demarche-staff';
const ALG = 'ES256';

export type TokenVerifier = (token: string) => Promise<JWTPayload>;

interface KeyFile {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

/** Reads the local key pair, creating it once (first writer wins, so two processes agree). */
export async function localKeyPair(path: string): Promise<KeyFile> {
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const kid = `local-${Date.now().toString(36)}`;
  const file: KeyFile = {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALG },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALG },
  };
  mkdirSync(dirname(path), { recursive: true });
  try {
    writeFileSync(path, JSON.stringify(file), { flag: 'wx', mode: 0o600 });
    return file;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
  }
}

export interface StaffIdentity {
  sub: string;
  email?: string;
  groups: ('campaigner' | 'viewer')[];
}

/**
 * Signs a staff token with the local key, shaped like a Cognito ID token
 * (`token_use: id`, `cognito:groups`, a verified `email`), so the handler
 * reads local and AWS tokens alike.
 */
export async function issueLocalToken(
  path: string,
  who: StaffIdentity,
  ttlSeconds = 12 * 3600,
): Promise<string> {
  const key = await localKeyPair(path);
  return new SignJWT({
    token_use: 'id',
    'cognito:groups': who.groups,
    ...(who.email ? { email: who.email, email_verified: true } : {}),
  })
    .setProtectedHeader({ alg: ALG, kid: key.kid })
    .setSubject(who.sub)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(await importJWK(key.privateJwk, ALG));
}

/**
 * Checks that a verified Cognito token is an ID token issued to the
 * dashboard's app client (`aud`). The API accepts ID tokens only: they carry
 * the user's email and `cognito:groups` for the dashboard, and one kind of
 * token means one set of checks. An access token, or any other token use (or
 * none), is refused. Throws with the reason.
 */
export function checkCognitoClient(payload: JWTPayload, clientId: string | undefined): void {
  const use = payload.token_use;
  if (use !== 'id')
    throw new Error(`token_use ${JSON.stringify(use)} is not "id": only ID tokens are accepted`);
  const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (clientId && !aud.includes(clientId))
    throw new Error('the ID token was issued to another app client (aud)');
}

/**
 * Where a user pool publishes its signing keys: `<issuer>/.well-known/jwks.json`,
 * the issuer being the Cognito endpoint and the pool id. Where the Cognito
 * endpoint is overridden as the AWS SDK allows (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER:
 * an emulator such as moto on loopback), the same path on that endpoint; the
 * issuer a token must name does not change.
 */
export function jwksUrl(issuer: string, env: Record<string, string | undefined>): URL {
  const iss = new URL(issuer.replace(/\/+$/, ''));
  const origin = env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER?.replace(/\/+$/, '') ?? iss.origin;
  // An issuer at the origin's root has the path "/": no double slash.
  return new URL(`${origin}${iss.pathname.replace(/\/+$/, '')}/.well-known/jwks.json`);
}

/**
 * The verifier the environment calls for: the Cognito JWKS when an issuer is
 * configured, else the local key file, else none (every token is refused).
 */
export function staffTokenVerifier(
  env: Record<string, string | undefined> = process.env,
): TokenVerifier | undefined {
  const issuer = env[ENV.authIssuer];
  if (issuer) {
    const jwks = createRemoteJWKSet(jwksUrl(issuer, env));
    const audience = env[ENV.authAudience];
    return async (token) => {
      const { payload } = await jwtVerify(token, jwks, {
        issuer,
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'sub'],
      });
      checkCognitoClient(payload, audience);
      return payload;
    };
  }
  const file = env[ENV.authKeyFile];
  if (!file) return undefined;
  let key: ReturnType<typeof importJWK> | undefined;
  return async (token) => {
    key ??= localKeyPair(file).then((k) => importJWK(k.publicJwk, ALG));
    const { payload } = await jwtVerify(token, await key, {
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      algorithms: [ALG],
      requiredClaims: ['exp', 'sub'],
    });
    if (payload.token_use !== 'id')
      throw new Error(`token_use ${JSON.stringify(payload.token_use)} is not "id"`);
    return payload;
  };
}
