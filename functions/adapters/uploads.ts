/**
 * Uploads of large recipients lists. In AWS the client PUTs the file straight
 * to S3 with a presigned URL (the API's 10 MB request limit and 29 s never
 * meet it) and the import job reads it from there; locally the file goes to
 * the runtime's upload route and lands in the data folder.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ConfigError } from '../core/errors.js';
import { UPLOAD_ID, type Uploads } from '../core/job-ports.js';

/** How long a presigned upload URL stays valid. */
const UPLOAD_URL_SECONDS = 15 * 60;
const CSV = 'text/csv';

export const newUploadId = () => `u${randomBytes(16).toString('hex')}`;

function checkId(id: string): string {
  if (!UPLOAD_ID.test(id)) throw new ConfigError(`not an upload id: ${JSON.stringify(id)}`);
  return id;
}

async function* text(stream: Readable): AsyncIterable<string> {
  stream.setEncoding('utf8');
  for await (const chunk of stream) yield chunk as string;
}

export class S3Uploads implements Uploads {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefix = 'uploads/',
  ) {}

  private key(id: string) {
    return `${this.prefix}${checkId(id)}.csv`;
  }

  async create() {
    const id = newUploadId();
    const url = await getSignedUrl(
      this.s3,
      new PutObjectCommand({ Bucket: this.bucket, Key: this.key(id), ContentType: CSV }),
      { expiresIn: UPLOAD_URL_SECONDS },
    );
    return { id, url, method: 'PUT' as const, headers: { 'content-type': CSV } };
  }

  async open(id: string): Promise<AsyncIterable<string> | undefined> {
    try {
      const out = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.key(id) }),
      );
      return text(out.Body as Readable);
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey')
        return undefined;
      throw err;
    }
  }

  async put(id: string, body: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.key(id),
        Body: body,
        ContentType: CSV,
      }),
    );
  }
}

/** The local runtime's uploads: files in the data folder, PUT through the local API. */
export class FileUploads implements Uploads {
  constructor(
    private readonly dir: string,
    /** Base URL of the local HTTP API the client PUTs to. */
    private readonly baseUrl: () => string,
  ) {}

  private file(id: string) {
    return join(this.dir, `${checkId(id)}.csv`);
  }

  async create() {
    const id = newUploadId();
    return {
      id,
      url: `${this.baseUrl()}/api/uploads/${id}`,
      method: 'PUT' as const,
      headers: { 'content-type': CSV },
    };
  }

  async open(id: string): Promise<AsyncIterable<string> | undefined> {
    const file = this.file(id);
    if (!existsSync(file)) return undefined;
    return text(createReadStream(file, { highWaterMark: 64 * 1024 }));
  }

  async put(id: string, body: string): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(this.file(id), body, { mode: 0o600 });
  }
}

/** Where uploads go when neither S3 nor the local runtime is wired. */
export function missingUploads(): Uploads {
  const fail = async (): Promise<never> => {
    throw new ConfigError(
      'no upload store: set DEMARCHE_UPLOAD_BUCKET or run through the local runtime',
    );
  };
  return { create: fail, open: fail, put: fail };
}
