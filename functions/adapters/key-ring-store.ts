/**
 * Writing the key ring back where loadKeyRing reads it: Secrets Manager
 * (PutSecretValue makes a new AWSCURRENT version; the old one stays as
 * AWSPREVIOUS) or the local secret file (replaced whole, mode 600, by a
 * rename so a reader never sees half a ring). A secret given in
 * DEMARCHE_SECRET cannot be written: rotation says so instead of pretending.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../core/errors.js';
import {
  type KeyRing,
  type KeyRingStore,
  parseKeyRing,
  serialiseKeyRing,
} from '../core/key-ring.js';
import { readOrCreateSecretFile, resetSecret } from './secret.js';

export function keyRingStoreFromEnv(
  env: Record<string, string | undefined> = process.env,
): KeyRingStore {
  const arn = env.DEMARCHE_SECRET_ARN;
  if (arn) return new SecretsManagerKeyRing(new SecretsManagerClient({}), arn);
  if (env.DEMARCHE_SECRET_FILE) return new FileKeyRing(env.DEMARCHE_SECRET_FILE);
  return {
    load: () => Promise.resolve(parseKeyRing(env.DEMARCHE_SECRET ?? '', 'DEMARCHE_SECRET')),
    save: () =>
      Promise.reject(
        new ConfigError(
          'the signing secret comes from DEMARCHE_SECRET, which demarche cannot rewrite: keep it in Secrets Manager (DEMARCHE_SECRET_ARN) or a secret file (DEMARCHE_SECRET_FILE) to rotate keys',
        ),
      ),
  };
}

export class SecretsManagerKeyRing implements KeyRingStore {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
  ) {}

  async load(): Promise<KeyRing> {
    const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
    if (typeof out.SecretString !== 'string')
      throw new ConfigError('the signing secret in Secrets Manager must be a string');
    return parseKeyRing(out.SecretString, 'the signing secret in Secrets Manager');
  }

  async save(ring: KeyRing): Promise<void> {
    await this.client.send(
      new PutSecretValueCommand({ SecretId: this.secretId, SecretString: serialiseKeyRing(ring) }),
    );
    resetSecret();
  }
}

export class FileKeyRing implements KeyRingStore {
  constructor(private readonly path: string) {}

  load(): Promise<KeyRing> {
    return Promise.resolve(
      parseKeyRing(readOrCreateSecretFile(this.path), `the secret file ${this.path}`),
    );
  }

  save(ring: KeyRing): Promise<void> {
    const tmp = `${this.path}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, serialiseKeyRing(ring), { mode: 0o600, flag: 'wx' });
    renameSync(tmp, this.path);
    resetSecret();
    return Promise.resolve();
  }
}
