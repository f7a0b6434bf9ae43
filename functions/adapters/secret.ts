/**
 * The deployment secret: the key ring (core/key-ring.ts) whose current key
 * signs letter links and reply addresses, and whose lookup secret keys the
 * erasure index and the suppression hash. In AWS it lives in Secrets Manager
 * (DEMARCHE_SECRET_ARN, read through Powertools Parameters, cached five
 * minutes); locally in a file the runtime generates (DEMARCHE_SECRET_FILE) or,
 * failing both, DEMARCHE_SECRET. A plain string, as every deployment held
 * before rings, reads as a ring of one key.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { ConfigError } from '../core/errors.js';
import { type KeyRing, keyById, parseKeyRing } from '../core/key-ring.js';

let cached: Promise<KeyRing> | undefined;
let lastFresh = 0;
/** A token naming a key this container does not know forces a re-read at most this often. */
const FRESH_EVERY_MS = 30_000;

/**
 * The key ring, read once per container. With `holding`, a ring that lacks
 * that key id is read again from its source (at most every 30 s): another
 * container may have rotated a moment ago, and its letters' links must not
 * fail here until this container's cache expires.
 */
export async function loadKeyRing(
  env: Record<string, string | undefined> = process.env,
  opts: { holding?: string } = {},
): Promise<KeyRing> {
  cached ??= read(env).catch((err) => {
    cached = undefined;
    throw err;
  });
  const ring = await cached;
  const known = (id: string) => keyById(ring, id) || ring.retired.some((k) => k.id === id);
  if (!opts.holding || known(opts.holding) || Date.now() - lastFresh < FRESH_EVERY_MS) return ring;
  lastFresh = Date.now();
  cached = read(env, true).catch((err) => {
    cached = undefined;
    throw err;
  });
  return cached;
}

/** The secret of the keyed lookups (address index, suppression hash); rotation never changes it. */
export async function loadSecret(
  env: Record<string, string | undefined> = process.env,
): Promise<string> {
  return (await loadKeyRing(env)).lookup;
}

/** Forgets the cached ring (the local runtime calls it when it wires a new one; rotation after writing). */
export function resetSecret(): void {
  cached = undefined;
}

async function read(env: Record<string, string | undefined>, fresh = false): Promise<KeyRing> {
  if (env.DEMARCHE_SECRET_ARN) {
    const value = await getSecret(env.DEMARCHE_SECRET_ARN, { maxAge: 300, forceFetch: fresh });
    if (typeof value !== 'string')
      throw new ConfigError('the signing secret in Secrets Manager must be a string');
    return parseKeyRing(value, 'the signing secret in Secrets Manager');
  }
  if (env.DEMARCHE_SECRET_FILE)
    return parseKeyRing(
      readOrCreateSecretFile(env.DEMARCHE_SECRET_FILE),
      `the secret file ${env.DEMARCHE_SECRET_FILE}`,
    );
  if (env.DEMARCHE_SECRET && env.DEMARCHE_SECRET.length >= 32)
    return parseKeyRing(env.DEMARCHE_SECRET, 'DEMARCHE_SECRET');
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

/**
 * The key providers of the deps builders: the ring and the lookup secret from
 * the environment, or from what the local runtime or a test wired in (a ring,
 * or one secret read as a plain-string ring).
 */
export function keyProviders(o: {
  secret?: () => Promise<string>;
  keys?: (holding?: string) => Promise<KeyRing>;
}): {
  secret: () => Promise<string>;
  keys: (holding?: string) => Promise<KeyRing>;
} {
  const keys = o.keys;
  if (keys) return { keys, secret: o.secret ?? (async () => (await keys()).lookup) };
  const secret = o.secret;
  if (secret) return { secret, keys: async () => parseKeyRing(await secret()) };
  return { secret: () => loadSecret(), keys: (holding) => loadKeyRing(process.env, { holding }) };
}
