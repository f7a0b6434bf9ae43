/**
 * Logs hold no personal data. CloudWatch keeps logs where erasure cannot
 * reach, so the functions log ids only, and the one logger (adapters/logger.ts)
 * redacts whatever slips through. A send-out with delivery, bounce and
 * complaint events, an open, and a reply that quotes its writer's address
 * runs with every function logging at DEBUG, and the captured output holds
 * none of the recipients' addresses or names.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { redact, redactText } from '../../functions/adapters/logger.js';
import { mailsTo, useRuntime } from '../support/runtime.js';
import { replyOverSmtp, sentCampaign, settle } from '../support/staff.js';

vi.hoisted(() => {
  // Before any handler module builds its logger.
  process.env.DEMARCHE_LOG_LEVEL = 'DEBUG';
});

const runtime = useRuntime();
const captured: string[] = [];
const originals = { out: process.stdout.write, err: process.stderr.write };

beforeAll(() => {
  const tap =
    (original: typeof process.stdout.write) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      captured.push(String(chunk));
      return (original as (...a: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
    };
  process.stdout.write = tap(originals.out) as typeof process.stdout.write;
  process.stderr.write = tap(originals.err) as typeof process.stderr.write;
});
afterAll(() => {
  process.stdout.write = originals.out;
  process.stderr.write = originals.err;
});

describe('logs without personal data', { timeout: 180_000 }, () => {
  it('a send-out, its events and a reply log no address or name of a recipient', async () => {
    const people = [
      ['minister.log@policy-log.example.org', 'Ilse Quandtmeyer', 'minister'],
      ['bounce+policylog@simulator.amazonses.com', 'Bruno Zeljković', 'ngo'],
      ['complaint+policylog@simulator.amazonses.com', 'Carla Oyelaran', 'ngo'],
      ['success+policylog@simulator.amazonses.com', 'Dörte Fitzwilliam', 'ngo'],
    ];
    const campaign = await sentCampaign(
      runtime(),
      `email,name,group\n${people.map((p) => p.join(',')).join('\n')}\n`,
    );
    const [letter] = await mailsTo(runtime(), [people[3]![0]!]);
    const pixel = /https?:\/\/[^"\s]+\/t\/o\/[^"\s]+\.gif/.exec(letter!.body.html ?? '')![0];
    await fetch(pixel, { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux) Thunderbird/128.0' } });
    await replyOverSmtp(runtime(), campaign.id, people[3]![0]!, {
      subject: 'Re: Belarus',
      text: `We support it. Write to me at ${people[3]![0]} or call.`,
      fromName: people[3]![1],
    });
    await settle(runtime());
    const out = captured.join('');
    // Something was logged (this is not a test of silence): the reply, the events.
    expect(out).toContain('reply received');
    for (const [email, name] of people) {
      expect(out.toLowerCase()).not.toContain(email!.toLowerCase());
      expect(out).not.toContain(name);
    }
    expect(out).not.toContain('Thunderbird/128.0');
  });

  it('the policy redacts personal fields and anything address-like, and keeps ids', () => {
    expect(
      redact({
        campaignId: 'c1',
        recipientId: 'r1',
        email: 'a@b.example.org',
        nested: { userAgent: 'Mozilla', note: 'bounced: <x.y@z.example.com> 550' },
        error: new Error('Address blacklisted: p@q.example.net from 192.0.2.7'),
      }),
    ).toEqual({
      campaignId: 'c1',
      recipientId: 'r1',
      email: '[redacted]',
      nested: { userAgent: '[redacted]', note: 'bounced: <[address]> 550' },
      error: { name: 'Error', message: 'Address blacklisted: [address] from [ip]' },
    });
    expect(redactText('2001:db8:85a3:0:0:8a2e:370:7334 x')).toBe('[ip] x');
  });
});
