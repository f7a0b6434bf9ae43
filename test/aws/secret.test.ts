/**
 * The signing secret from Secrets Manager (moto), read as Lambda reads it
 * (DEMARCHE_SECRET_ARN, Powertools Parameters): the value the stack
 * generates; a rotation adds a version that becomes AWSCURRENT while the old
 * one stays readable as AWSPREVIOUS; a running container keeps the value it
 * read, a new container reads the new one; a value too short to sign with is
 * refused. Key rotation writes the ring back as a new version; a container
 * that cached the old ring re-reads it when a token names a key it lacks.
 */
import {
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { clearCaches } from '@aws-lambda-powertools/parameters';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/adapters/config.js';
import { keyRingStoreFromEnv } from '../../functions/adapters/key-ring-store.js';
import { loadKeyRing, loadSecret, resetSecret } from '../../functions/adapters/secret.js';
import { rotateKeyRing } from '../../functions/core/key-ring.js';
import { motoClientConfig } from '../../functions/local/moto-stack.js';
import { REGION, useMoto } from './moto.js';

const aws = useMoto();
let sm: SecretsManagerClient;
const arn = () => process.env[ENV.secretArn]!;

/** What a freshly started Lambda container reads: no module cache, no Powertools cache. */
function newContainer(): void {
  resetSecret();
  clearCaches();
}

beforeAll(() => {
  sm = new SecretsManagerClient(motoClientConfig(aws().endpoint, REGION));
  newContainer();
});

describe('the signing secret in Secrets Manager', () => {
  it('reads the generated value: 64 letters and digits', async () => {
    const value = await loadSecret();
    expect(value).toMatch(/^[A-Za-z0-9]{64}$/);
    const direct = await sm.send(new GetSecretValueCommand({ SecretId: arn() }));
    expect(value).toBe(direct.SecretString);
  });

  it('after a rotation: two versions, a running container keeps its value, a new one reads the new value', async () => {
    const before = await loadSecret();
    const next = 'N'.repeat(32) + 'rotated0by0hand0with0a0dual0key0';
    await sm.send(new PutSecretValueCommand({ SecretId: arn(), SecretString: next }));

    const versions = await sm.send(new ListSecretVersionIdsCommand({ SecretId: arn() }));
    const stages = (versions.Versions ?? []).map((v) => v.VersionStages ?? []);
    expect(stages).toHaveLength(2);
    expect(stages.flat().sort()).toEqual(['AWSCURRENT', 'AWSPREVIOUS']);
    const previous = await sm.send(
      new GetSecretValueCommand({ SecretId: arn(), VersionStage: 'AWSPREVIOUS' }),
    );
    expect(previous.SecretString).toBe(before);

    // The container that read the secret signs with it until it is recycled.
    expect(await loadSecret()).toBe(before);
    newContainer();
    expect(await loadSecret()).toBe(next);
  });

  it('key rotation writes the ring as a new version: the lookup secret stays, a stale container catches up on a new key id', async () => {
    newContainer();
    const plain = await loadSecret();
    const store = keyRingStoreFromEnv();
    const before = await store.load();
    expect(before.keys.map((k) => k.id)).toEqual(['k0']);
    // A container that read the plain-string ring before the rotation.
    const stale = await loadKeyRing();
    expect(stale.current.id).toBe('k0');
    const next = rotateKeyRing(before, 'K'.repeat(43), new Date().toISOString());
    await store.save(next);
    const stored = await sm.send(new GetSecretValueCommand({ SecretId: arn() }));
    expect(JSON.parse(stored.SecretString!)).toMatchObject({
      lookup: plain,
      keys: [{ id: 'k1' }, { id: 'k0' }],
    });
    expect((await store.load()).current.id).toBe('k1');

    // Another container: its cache still holds k0 only, until a token names k1.
    clearCaches();
    expect((await loadKeyRing()).keys.map((k) => k.id)).toEqual(['k1', 'k0']);
    resetSecret();
    clearCaches();
    await sm.send(new PutSecretValueCommand({ SecretId: arn(), SecretString: plain }));
    expect((await loadKeyRing()).current.id).toBe('k0');
    await sm.send(
      new PutSecretValueCommand({ SecretId: arn(), SecretString: stored.SecretString! }),
    );
    expect((await loadKeyRing()).current.id).toBe('k0');
    const caught = await loadKeyRing(process.env, { holding: 'k1' });
    expect(caught.keys.map((k) => k.id)).toEqual(['k1', 'k0']);
    expect(await loadSecret()).toBe(plain);
  });

  it('refuses a rotated value too short to sign with, naming the rule', async () => {
    await sm.send(new PutSecretValueCommand({ SecretId: arn(), SecretString: 'short' }));
    newContainer();
    await expect(loadSecret()).rejects.toThrow(/at least 32 characters/);
  });
});
