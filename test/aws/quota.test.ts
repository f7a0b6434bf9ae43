/**
 * The SES send quota (SES v2 GetAccount) that pacing is configured from.
 * moto 5 emulates SES v1 and parts of v2 but not GetAccount: it answers 404,
 * and the adapter turns that into an error that names the operation rather
 * than a rate of zero. The read itself is checked against the SES v2 stand-in
 * the runtime uses in both modes (aws-ses-v2-local), with a rate other than
 * its default so that a hard-coded answer would show.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../functions/core/errors.js';
import { sesClient } from '../../functions/adapters/ses-mailer.js';
import { sesMaxSendRate } from '../../functions/adapters/ses-quota.js';
import { freePort } from '../../functions/local/ports.js';
import { localSesAccount } from '../../functions/local/ses-account.js';
import { startSes, type LocalSes } from '../../functions/local/ses.js';
import { REGION, useMoto } from './moto.js';

const aws = useMoto();
let ses: LocalSes;
const before = process.env.AWS_SES_ACCOUNT;

beforeAll(async () => {
  process.env.AWS_SES_ACCOUNT = localSesAccount(14);
  ses = await startSes({ port: await freePort() });
});
afterAll(async () => {
  await ses.stop();
  if (before === undefined) delete process.env.AWS_SES_ACCOUNT;
  else process.env.AWS_SES_ACCOUNT = before;
});

describe('the SES send quota', () => {
  it('reads MaxSendRate from GetAccount', async () => {
    expect(await sesMaxSendRate(sesClient({ region: REGION, endpoint: ses.endpoint }))).toBe(14);
  });

  it('names GetAccount when the service does not answer it (moto has no SES v2 GetAccount)', async () => {
    const read = sesMaxSendRate(sesClient({ region: REGION, endpoint: aws().endpoint }));
    await expect(read).rejects.toBeInstanceOf(ConfigError);
    await expect(read).rejects.toThrow(/cannot read the SES send quota \(GetAccount\)/);
  });
});
