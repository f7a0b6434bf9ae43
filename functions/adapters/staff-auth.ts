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
 * dashboard's app client (`aud`). Access tokens (`token_use: access`, no
 * `aud`) and any other use are refused: the API takes one kind of token, the
 * one that carries the verified email and the groups. Throws with the reason
 * (for the server's log; the caller is only told to sign in again).
 */
export function checkCognitoClient(payload: JWTPayload, clientId: string | undefined): void {
  const use = payload.token_use;
  if (use !== 'id') throw new Error(`token_use ${JSON.stringify(use)} is not "id"`);
  const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!clientId || !aud.includes(clientId))
    throw new Error('the ID token was issued to another app client (aud)');
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
    const jwks = createRemoteJWKSet(new URL(`${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`));
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
