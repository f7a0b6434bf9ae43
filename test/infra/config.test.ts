import { describe, expect, it } from 'vitest';
import { parseStackConfig, senderAddresses, StackConfigError } from '../../infra/config.js';
import { retention } from '../../infra/stack.js';
import { shippedConfig } from './synth.js';

const good = {
  domain: 'coalition.example.org',
  fromAddress: 'letters@coalition.example.org',
  replyDomain: 'replies.coalition.example.org',
  alarmEmail: 'ops@coalition.example.org',
  loginDomainPrefix: 'coalition-staff',
};

function problems(raw: unknown): string[] {
  try {
    parseStackConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(StackConfigError);
    return (err as StackConfigError).problems;
  }
  throw new Error('the configuration was accepted');
}

describe('the stack configuration', () => {
  it('accepts what cdk.json ships and fills the defaults', () => {
    expect(shippedConfig().domain).toBe('demarche.example.org');
    const c = parseStackConfig(good);
    expect(c).toMatchObject({
      sesRateMargin: 0.8,
      inboundRetentionDays: 90,
      mailFromLabel: 'bounce',
    });
  });

  it('accepts the context as a JSON string, as `cdk -c demarche=…` passes it', () => {
    expect(parseStackConfig(JSON.stringify(good)).domain).toBe(good.domain);
  });

  it('names each bad key', () => {
    const found = problems({
      ...good,
      domain: 'Not A Domain',
      sesRateMargin: 1.5,
      alarmEmail: 'nobody',
    });
    expect(found.some((p) => p.startsWith('domain:'))).toBe(true);
    expect(found.some((p) => p.startsWith('sesRateMargin:'))).toBe(true);
    expect(found.some((p) => p.startsWith('alarmEmail:'))).toBe(true);
  });

  it('refuses a From address off the verified domain, and a reply domain equal to it', () => {
    expect(problems({ ...good, fromAddress: 'letters@elsewhere.example.com' })).toEqual([
      'fromAddress: must be an address on coalition.example.org (the verified identity)',
    ]);
    expect(problems({ ...good, replyDomain: good.domain })[0]).toMatch(/^replyDomain:/);
  });

  it('takes two-person approval and the From address as the only sender unless told otherwise', () => {
    const c = parseStackConfig(good);
    expect(c.approval).toBe('two-person');
    expect(senderAddresses(c)).toEqual(['letters@coalition.example.org']);
    const single = parseStackConfig({
      ...good,
      approval: 'single',
      senderAddresses: ['Letters@Coalition.example.org', '@campaigns.coalition.example.org'],
    });
    expect(single.approval).toBe('single');
    expect(senderAddresses(single)).toEqual([
      'letters@coalition.example.org',
      '@campaigns.coalition.example.org',
    ]);
    // A whole domain covers the From address too.
    expect(
      senderAddresses(parseStackConfig({ ...good, senderAddresses: ['@coalition.example.org'] })),
    ).toEqual(['@coalition.example.org']);
  });

  it('refuses an unknown approval mode, senders off the verified domain, and a list without the From address', () => {
    expect(problems({ ...good, approval: 'none' })[0]).toMatch(/^approval:/);
    expect(
      problems({
        ...good,
        senderAddresses: ['letters@coalition.example.org', 'someone@elsewhere.example.com'],
      }),
    ).toEqual([
      'senderAddresses.1: someone@elsewhere.example.com is not on coalition.example.org (the verified identity): SES would refuse it',
    ]);
    expect(problems({ ...good, senderAddresses: ['@'] })[0]).toMatch(
      /^senderAddresses\.0: must be an address \(name@domain\) or @domain/,
    );
    expect(problems({ ...good, senderAddresses: [] })[0]).toMatch(/^senderAddresses:/);
    expect(problems({ ...good, senderAddresses: ['press@coalition.example.org'] })).toEqual([
      'senderAddresses: must include fromAddress (letters@coalition.example.org), the default From of plain statements',
    ]);
  });

  it('refuses unknown keys (a typo must not be ignored), a missing context and non-JSON', () => {
    expect(problems({ ...good, alarmMail: 'x@y.org' })[0]).toMatch(/alarmMail/);
    expect(problems(undefined)[0]).toMatch(/missing/);
    expect(problems('{not json')[0]).toMatch(/not JSON/);
  });

  it('refuses a Cognito domain prefix Cognito would refuse', () => {
    expect(problems({ ...good, loginDomainPrefix: 'my-cognito-login' })[0]).toMatch(
      /^loginDomainPrefix:/,
    );
  });

  it('rounds the log retention up to one CloudWatch accepts', () => {
    expect(retention(90)).toBe(90);
    expect(retention(100)).toBe(120);
    expect(retention(1)).toBe(1);
  });
});
