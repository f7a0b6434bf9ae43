/**
 * The sample campaign (`npm start`'s statement and list) sent end to end in
 * the emulated-AWS mode: launch puts one job per letter on the SQS send queue
 * (moto) through the real adapter, the event-source poller feeds the sender,
 * SES events come back through the SQS events queue, a reply arrives over
 * SMTP and is stored in S3. Every recipient gets one letter, the counters add
 * up, nothing is dead-lettered, and a job delivered again sends nothing.
 */
import { fileURLToPath } from 'node:url';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { launchCommand } from '../../functions/cli/commands/launch.js';
import type { StatusView } from '../../functions/cli/output.js';
import { importRecipients } from '../../functions/core/recipients.js';
import { readFileSync } from 'node:fs';
import { motoClientConfig } from '../../functions/local/moto-stack.js';
import { FUTURE_DEADLINE } from '../support/fixtures.js';
import { mailsTo, perRecipient } from '../support/runtime.js';
import { replyOverSmtp } from '../support/staff.js';
import { REGION, useMotoRuntime } from './moto.js';

const runtime = useMotoRuntime({ schedulerTickMs: 0 });
const example = (name: string) => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));
const addresses = importRecipients(readFileSync(example('recipients.csv'), 'utf8')).recipients.map(
  (r) => r.email,
);
let view: StatusView;

beforeAll(async () => {
  view = await launchCommand({
    statement: example('statement.md'),
    recipients: example('recipients.csv'),
    deadline: FUTURE_DEADLINE(),
    runtime: runtime(),
    as: 'demo-campaigner',
    approver: 'demo-reviewer',
    quiet: true,
  });
  await runtime().queue.drained();
  await runtime().eventsQueue.drained();
  // Two emulators and a JVM booted, 33 letters paced through SQS: minutes on a busy machine.
}, 300_000);

describe('the sample campaign on emulated AWS', () => {
  it('sends every recipient one letter through the SQS send queue', async () => {
    expect(addresses).toHaveLength(33);
    expect(view.status).toBe('completed');
    expect(view.counters).toMatchObject({ sent: 33, failed: 0, expired: 0, suppressed: 0 });
    const counts = perRecipient(await mailsTo(runtime(), addresses));
    expect(counts.size).toBe(33);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(runtime().queue.received).toBeGreaterThanOrEqual(33);
    expect(await runtime().queue.deadLettered()).toBe(0);
  });

  it('records the SES events that came back through the SQS events queue', async () => {
    const counters = await runtime().deps().store.counters(view.id);
    expect(counters.delivered).toBe(33);
    expect(runtime().eventsQueue.received).toBeGreaterThanOrEqual(66); // Send and Delivery each
    expect(await runtime().eventsQueue.deadLettered()).toBe(0);
  });

  it('a send job SQS delivers again sends nothing and changes no counter', async () => {
    const store = runtime().deps().store;
    const first = (await store.recipientsPage(view.id, undefined, 1)).items[0]!;
    const before = await store.counters(view.id);
    const received = runtime().queue.received;
    const job = JSON.stringify({ campaignId: view.id, recipientId: first.id });
    await runtime().queue.sendRaw(job);
    await runtime().queue.sendRaw(job);
    await runtime().queue.drained();
    await runtime().eventsQueue.drained();
    expect(runtime().queue.received).toBe(received + 2);
    expect(perRecipient(await mailsTo(runtime(), [first.email])).get(first.email)).toBe(1);
    expect(await store.counters(view.id)).toEqual(before);
    expect(await runtime().queue.deadLettered()).toBe(0);
  });

  it('stores a reply in the S3 bucket under the receipt rule’s prefix and matches it', async () => {
    const reply = await replyOverSmtp(runtime(), view.id, addresses[0]!, {
      subject: 'Re: Joint statement',
      text: 'Thank you, we will raise it at the Council.',
    });
    expect(reply.campaignId).toBe(view.id);
    const s3 = new S3Client(motoClientConfig(runtime().aws!.endpoint, REGION));
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: runtime().aws!.stack.bucket, Prefix: 'inbound/' }),
    );
    expect(listed.Contents).toHaveLength(1);
    expect(listed.Contents![0]!.Key).toMatch(/^inbound\/local-/);
  });
});
