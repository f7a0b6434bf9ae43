/**
 * Raw inbound messages. In AWS the SES receipt rule has already written each
 * message to S3 (`<prefix><SES message id>`), so the inbound handler only
 * reads it; locally the SMTP server writes the bytes to a folder under the
 * same kind of key. Keys are checked so that no key can leave the folder.
 */
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ConfigError } from '../core/errors.js';
import type { RawMessageStore } from '../core/replies/ports.js';

/** The media type of a raw Internet message (RFC 5322) as a whole. */
export const RAW_CONTENT_TYPE = 'message/rfc822';

const KEY = /^[A-Za-z0-9][A-Za-z0-9._+=-]*(\/[A-Za-z0-9][A-Za-z0-9._+=-]*)*$/;

function checkKey(key: string): string {
  if (!KEY.test(key) || key.length > 512 || key.split('/').some((p) => p === '..'))
    throw new ConfigError(`raw message key ${JSON.stringify(key.slice(0, 80))} is not allowed`);
  return key;
}

/** Raw messages in an S3 bucket (where SES receipt rules store them). */
export class S3RawStore implements RawMessageStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /** Stored as `message/rfc822`, so that a person opening it from the console gets a mail message. */
  async put(key: string, raw: Uint8Array): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: checkKey(key),
        Body: raw,
        ContentType: RAW_CONTENT_TYPE,
      }),
    );
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const out = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: checkKey(key) }),
      );
      return out.Body ? await out.Body.transformToByteArray() : undefined;
    } catch (err) {
      if (err instanceof NoSuchKey) return undefined;
      throw err;
    }
  }

  async size(key: string): Promise<number | undefined> {
    try {
      const out = await this.s3.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: checkKey(key) }),
      );
      return out.ContentLength;
    } catch (err) {
      if (err instanceof NotFound || err instanceof NoSuchKey) return undefined;
      throw err;
    }
  }

  /** S3 answers a delete of a missing key with success too (on a versioned bucket it adds a delete marker). */
  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: checkKey(key) }));
  }
}

/** Raw messages as files under a folder: the local runtime's data folder (or a temporary one). */
export class FileRawStore implements RawMessageStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(key: string): string {
    const p = resolve(join(this.root, checkKey(key)));
    if (!p.startsWith(this.root + sep))
      throw new ConfigError(`raw message key ${key} leaves the folder`);
    return p;
  }

  async put(key: string, raw: Uint8Array): Promise<void> {
    const p = this.path(key);
    await mkdir(dirname(p), { recursive: true });
    // 'wx': a key names one message; writing it twice is a bug, never a silent overwrite.
    await writeFile(p, raw, { flag: 'wx', mode: 0o600 });
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.path(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async size(key: string): Promise<number | undefined> {
    try {
      return (await stat(this.path(key))).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}
