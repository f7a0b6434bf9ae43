/**
 * The S3 raw-message store against S3 (moto), built by deps.ts from the
 * environment as in Lambda: a real mail client's reply stored under the key
 * SES's receipt rule uses (`inbound/<SES message id>`), read back byte for
 * byte, sized, deleted; missing keys read as absent; keys that could leave
 * the prefix are refused before any request.
 */
import { readFileSync } from 'node:fs';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { deps, resetDeps } from '../../functions/adapters/deps.js';
import { RAW_CONTENT_TYPE, S3RawStore } from '../../functions/adapters/raw-store.js';
import { INBOUND_PREFIX } from '../../functions/adapters/stack-definition.js';
import type { RawMessageStore } from '../../functions/core/replies/ports.js';
import { rawKeyFor } from '../../functions/inbound/handler.js';
import { motoClientConfig } from '../../functions/local/moto-stack.js';
import { REGION, useMoto } from './moto.js';

const aws = useMoto();
const reply = readFileSync(new URL('../fixtures/replies/gmail.eml', import.meta.url));
// SES names stored messages by its message id: 20 lower-case letters and digits.
const sesMessageId = 'o3v9m2k0f1q8c7r6s5t4';
let store: RawMessageStore;
let s3: S3Client;

beforeAll(() => {
  resetDeps();
  store = deps().rawStore;
  s3 = new S3Client(motoClientConfig(aws().endpoint, REGION));
});

describe('S3RawStore on S3', () => {
  it('is what deps.ts builds from DEMARCHE_INBOUND_BUCKET', () => {
    expect(store).toBeInstanceOf(S3RawStore);
  });

  it('stores a reply under the receipt rule’s key layout, as a mail message, and reads it back byte for byte', async () => {
    const key = rawKeyFor(sesMessageId);
    expect(key).toBe(`${INBOUND_PREFIX}${sesMessageId}`);
    await store.put(key, reply);

    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: aws().stack.bucket, Prefix: INBOUND_PREFIX }),
    );
    expect(listed.Contents?.map((o) => o.Key)).toEqual([`inbound/${sesMessageId}`]);
    const head = await s3.send(new HeadObjectCommand({ Bucket: aws().stack.bucket, Key: key }));
    expect(head.ContentType).toBe(RAW_CONTENT_TYPE);
    expect(head.ContentLength).toBe(reply.length);

    const back = await store.get(key);
    expect(Buffer.from(back!).equals(reply)).toBe(true);
    expect(await store.size(key)).toBe(reply.length);
    const raw = await s3.send(new GetObjectCommand({ Bucket: aws().stack.bucket, Key: key }));
    expect(raw.ContentType).toBe('message/rfc822');
  });

  it('deletes a reply; a deleted or never-stored key reads as absent, and a second delete succeeds', async () => {
    const key = rawKeyFor('deleted0message0id00');
    await store.put(key, reply);
    await store.delete(key);
    expect(await store.get(key)).toBeUndefined();
    expect(await store.size(key)).toBeUndefined();
    await expect(store.delete(key)).resolves.toBeUndefined();
    expect(await store.get(rawKeyFor('never0stored0000000'))).toBeUndefined();
  });

  it('refuses a key that could leave the prefix, before asking S3', async () => {
    await expect(store.get('inbound/../secret')).rejects.toThrow(/not allowed/);
    await expect(store.put('/etc/passwd', reply)).rejects.toThrow(/not allowed/);
  });
});
