import { describe, expect, it } from 'vitest';
import { parseStackConfig, StackConfigError } from '../../infra/config.js';
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
