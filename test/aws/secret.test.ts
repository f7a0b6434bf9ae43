/**
 * The signing secret from Secrets Manager (moto), read as Lambda reads it
 * (DEMARCHE_SECRET_ARN, Powertools Parameters): the value the stack
 * generates; a rotation adds a version that becomes AWSCURRENT while the old
 * one stays readable as AWSPREVIOUS; a running container keeps the value it
 * read, a new container reads the new one; a value too short to sign with is
 * refused.
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
import { loadSecret, resetSecret } from '../../functions/adapters/secret.js';
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

  it('refuses a rotated value too short to sign with, naming the rule', async () => {
    await sm.send(new PutSecretValueCommand({ SecretId: arn(), SecretString: 'short' }));
    newContainer();
    await expect(loadSecret()).rejects.toThrow(/at least 32 characters/);
  });
});
