/**
 * The HMAC secret that signs tracking, unsubscribe, web-version and reply
 * tokens. In AWS it lives in Secrets Manager (DEMARCHE_SECRET_ARN, read once
 * per container through Powertools Parameters, cached); locally in a file the
 * runtime generates (DEMARCHE_SECRET_FILE) or, failing both, DEMARCHE_SECRET.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { ConfigError } from '../core/errors.js';

let cached: Promise<string> | undefined;

export function loadSecret(env: Record<string, string | undefined> = process.env): Promise<string> {
  cached ??= read(env).catch((err) => {
    cached = undefined;
    throw err;
  });
  return cached;
}

/** Forgets the cached secret (the local runtime calls it when it wires a new one). */
export function resetSecret(): void {
  cached = undefined;
}

async function read(env: Record<string, string | undefined>): Promise<string> {
  if (env.DEMARCHE_SECRET_ARN) {
    const value = await getSecret(env.DEMARCHE_SECRET_ARN, { maxAge: 300 });
    if (typeof value !== 'string' || value.length < 32) {
      throw new ConfigError(
        'the signing secret in Secrets Manager must be a string of at least 32 characters',
      );
    }
    return value;
  }
  if (env.DEMARCHE_SECRET_FILE) return readOrCreateSecretFile(env.DEMARCHE_SECRET_FILE);
  if (env.DEMARCHE_SECRET && env.DEMARCHE_SECRET.length >= 32) return env.DEMARCHE_SECRET;
  throw new ConfigError(
    'no signing secret: set DEMARCHE_SECRET_ARN (AWS), DEMARCHE_SECRET_FILE (local) or DEMARCHE_SECRET (32+ characters)',
  );
}

/** Reads the local secret file, creating it (mode 600) with 32 random bytes on first use. */
export function readOrCreateSecretFile(path: string): string {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  const value = readFileSync(path, 'utf8').trim();
  if (value.length < 32)
    throw new ConfigError(`the secret file ${path} must hold at least 32 characters`);
  return value;
}
