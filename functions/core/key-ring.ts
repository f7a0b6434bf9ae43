/**
 * The deployment's keys. The secret holds a ring: the current key, which
 * signs every new letter link and reply address, and previous keys, which
 * still verify what they signed, each under a short id (k0, k1, …) that a
 * token carries. Rotation adds a new current key and keeps the old one as
 * previous; retiring removes a previous key, and from then on its tokens fail
 * like forged ones.
 *
 * The keyed lookups (the erasure address index, the suppression hash of
 * erased people, sign-on's counters) stay under one lookup secret that no
 * rotation changes: they are stored as one-way hashes of addresses, and the
 * suppression hash of an erased person cannot be recomputed under a new key,
 * because the address it was made from is gone. Retiring the first key
 * therefore keeps its secret as the lookup secret only; it verifies nothing.
 *
 * A secret written before rings existed (one plain string) reads as a ring
 * of one key, k0, which is also the lookup secret: nothing stored changes.
 */
import { z } from 'zod';
import { ConfigError, KeyRingError } from './errors.js';

/** The id of the key a plain-string secret becomes; tokens without an id were signed by it. */
export const LEGACY_KEY_ID = 'k0';
export const KEY_ID = /^k[0-9]{1,4}$/;
const FORMAT = 'demarche-key-ring-1';
const MIN_SECRET = 32;

export interface RingKey {
  id: string;
  secret: string;
  /** When rotation made it (absent for k0, which existed before). */
  createdAt?: string;
}

export interface RetiredKey {
  id: string;
  retiredAt: string;
}

export interface KeyRing {
  /** The key that signs; always keys[0]. */
  current: RingKey;
  /** Every key that verifies, current first. */
  keys: RingKey[];
  /** Ids of keys removed from the ring: never handed out again. */
  retired: RetiredKey[];
  /** The secret of the keyed lookups (address index, suppression hash): fixed for the deployment's life. */
  lookup: string;
}

const secretText = z.string().min(MIN_SECRET, `must be at least ${MIN_SECRET} characters`);
const stored = z.strictObject({
  format: z.literal(FORMAT),
  lookup: secretText,
  keys: z
    .array(
      z.strictObject({
        id: z.string().regex(KEY_ID, 'is not a key id (k0, k1, …)'),
        secret: secretText,
        createdAt: z.string().optional(),
      }),
    )
    .min(1, 'needs at least the current key'),
  retired: z
    .array(z.strictObject({ id: z.string().regex(KEY_ID), retiredAt: z.string() }))
    .default([]),
});

/** Reads the deployment secret: a key ring (JSON) or the plain string of a deployment made before rings. */
export function parseKeyRing(value: string, where = 'the signing secret'): KeyRing {
  const text = value.trim();
  if (!text.startsWith('{')) {
    if (text.length < MIN_SECRET)
      throw new ConfigError(`${where} must be at least ${MIN_SECRET} characters`);
    const k0 = { id: LEGACY_KEY_ID, secret: text };
    return { current: k0, keys: [k0], retired: [], lookup: text };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`${where} starts with "{" but is not JSON`);
  }
  const parsed = stored.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${where}: key ring ${issue.path.join('.') || 'value'} ${issue.message}`);
  }
  const ids = new Set<string>();
  for (const { id } of [...parsed.data.keys, ...parsed.data.retired]) {
    if (ids.has(id)) throw new ConfigError(`${where}: key id ${id} appears twice in the key ring`);
    ids.add(id);
  }
  const keys = parsed.data.keys.map((k) => ({ ...k }));
  return { current: keys[0]!, keys, retired: parsed.data.retired, lookup: parsed.data.lookup };
}

/** The ring as the secret stores it (JSON): what parseKeyRing reads back. */
export function serialiseKeyRing(ring: KeyRing): string {
  return JSON.stringify({
    format: FORMAT,
    lookup: ring.lookup,
    keys: ring.keys,
    retired: ring.retired,
  });
}

/** The key that verifies tokens of `id`, when the ring still holds it. */
export function keyById(ring: KeyRing, id: string): RingKey | undefined {
  return ring.keys.find((k) => k.id === id);
}

/** The id rotation gives the next key: one more than any id the ring has used. */
export function nextKeyId(ring: KeyRing): string {
  const used = [...ring.keys, ...ring.retired].map((k) => Number(k.id.slice(1)));
  return `k${Math.max(-1, ...used) + 1}`;
}

/**
 * A new current key (`secret`, fresh random bytes) in front of the others,
 * which stay as previous keys: everything they signed keeps verifying.
 */
export function rotateKeyRing(ring: KeyRing, secret: string, at: string): KeyRing {
  if (secret.length < MIN_SECRET)
    throw new KeyRingError(`a new key must be at least ${MIN_SECRET} characters`);
  if (ring.keys.some((k) => k.secret === secret))
    throw new KeyRingError('the new key is already in the key ring');
  const key = { id: nextKeyId(ring), secret, createdAt: at };
  return { ...ring, current: key, keys: [key, ...ring.keys] };
}

/**
 * The ring without previous key `id`: its tokens no longer verify. The
 * current key cannot be retired (rotate first), nor a key the ring lacks.
 */
export function retireKey(ring: KeyRing, id: string, at: string): KeyRing {
  if (!KEY_ID.test(id))
    throw new KeyRingError(`"${id}" is not a key id (k0, k1, …)`, { keyId: id });
  if (ring.current.id === id)
    throw new KeyRingError(
      `${id} is the current key: rotate first, then retire it once its links have expired`,
      { keyId: id },
    );
  if (ring.retired.some((k) => k.id === id))
    throw new KeyRingError(`${id} is retired already`, { keyId: id });
  if (!keyById(ring, id))
    throw new KeyRingError(
      `no key ${id} in the key ring (it has ${ring.keys.map((k) => k.id).join(', ')})`,
      { keyId: id },
    );
  return {
    ...ring,
    keys: ring.keys.filter((k) => k.id !== id),
    retired: [...ring.retired, { id, retiredAt: at }],
  };
}

/** What staff may see of the ring: ids and dates, never a secret. */
export interface KeyRingSummary {
  current: string;
  keys: { id: string; state: 'current' | 'previous'; createdAt?: string }[];
  retired: RetiredKey[];
}

export function summariseKeyRing(ring: KeyRing): KeyRingSummary {
  return {
    current: ring.current.id,
    keys: ring.keys.map((k) => ({
      id: k.id,
      state: k.id === ring.current.id ? 'current' : 'previous',
      ...(k.createdAt ? { createdAt: k.createdAt } : {}),
    })),
    retired: ring.retired,
  };
}

/** Where the ring is kept (Secrets Manager, the local secret file): read fresh, written whole. */
export interface KeyRingStore {
  /** The ring as stored now, not a cached copy: rotation changes what it reads. */
  load(): Promise<KeyRing>;
  save(ring: KeyRing): Promise<void>;
}
