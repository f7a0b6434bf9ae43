/**
 * Staff tokens: how the API checks a bearer token when API Gateway has not
 * already done so. In AWS the HTTP API's Cognito JWT authorizer verifies the
 * token and hands the handler its claims; as a second line, and locally, the
 * handler verifies the token itself with `jose`: against the Cognito user
 * pool's JWKS (DEMARCHE_AUTH_ISSUER) or against the key pair the local runtime
 * generates in its data folder (DEMARCHE_AUTH_KEY_FILE). The checks are the
 * same either way: signature, issuer, audience, expiry.
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
 * (`cognito:groups`, `email`), so the handler reads local and AWS tokens alike.
 */
export async function issueLocalToken(
  path: string,
  who: StaffIdentity,
  ttlSeconds = 12 * 3600,
): Promise<string> {
  const key = await localKeyPair(path);
  return new SignJWT({ 'cognito:groups': who.groups, ...(who.email ? { email: who.email } : {}) })
    .setProtectedHeader({ alg: ALG, kid: key.kid })
    .setSubject(who.sub)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(await importJWK(key.privateJwk, ALG));
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
    return async (token) =>
      (
        await jwtVerify(token, jwks, {
          issuer,
          algorithms: ['RS256'],
          ...(audience ? { audience } : {}),
        })
      ).payload;
  }
  const file = env[ENV.authKeyFile];
  if (!file) return undefined;
  let key: ReturnType<typeof importJWK> | undefined;
  return async (token) => {
    key ??= localKeyPair(file).then((k) => importJWK(k.publicJwk, ALG));
    return (
      await jwtVerify(token, await key, {
        issuer: LOCAL_ISSUER,
        audience: LOCAL_AUDIENCE,
        algorithms: [ALG],
      })
    ).payload;
  };
}
