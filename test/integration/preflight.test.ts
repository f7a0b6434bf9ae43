/**
 * Preflight on the local runtime: the local SES stand-in answers the
 * identity, account and configuration-set reads for its own identities and
 * the local DNS zone publishes their SPF and DMARC, so a campaign from a
 * local domain passes every check. An account and a domain set up wrong
 * (the fault proxy's answers, a DNS zone of our own) fail each check by
 * name, with its fix, and the launch is refused before anything is queued.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { setDeps } from '../../functions/adapters/deps.js';
import { DnsTxtResolver } from '../../functions/adapters/dns.js';
import { SesSendingAccount } from '../../functions/adapters/ses-preflight.js';
import { sesClient } from '../../functions/adapters/ses-mailer.js';
import { launchApproved } from '../../functions/core/governance/govern.js';
import { createCampaign } from '../../functions/core/launch.js';
import { preflight, PreflightFailedError } from '../../functions/core/preflight.js';
import { importRecipients } from '../../functions/core/recipients.js';
import { startDns, type LocalDns } from '../../functions/local/dns.js';
import { localSesAccount } from '../../functions/local/ses-account.js';
import { letterMjml } from '../support/fixtures.js';
import { useRuntime } from '../support/runtime.js';
import { startSesProxy, type SesProxy } from '../support/ses-proxy.js';
import { belarusStatement, mixedCsv, staffToken } from '../support/staff.js';

const runtime = useRuntime({ schedulerTickMs: 0 });

let proxy: SesProxy | undefined;
let dns: LocalDns | undefined;
afterEach(async () => {
  setDeps({
    sendingAccount: new SesSendingAccount(
      sesClient({ region: 'eu-west-1', endpoint: runtime().sesEndpoint }),
    ),
    dns: new DnsTxtResolver(),
  });
  await proxy?.stop();
  proxy = undefined;
});
afterAll(async () => {
  await dns?.stop();
});

async function campaignOf(
  csv: string,
  opts: { dryRun?: boolean; configurationSet?: string; deadline?: string } = {},
) {
  const d = runtime().deps();
  const { recipients } = importRecipients(csv);
  const { campaign } = await createCampaign(d, {
    statement: opts.deadline ? belarusStatement(opts.deadline) : belarusStatement(),
    recipients,
    recipientCount: recipients.length,
    mjml: letterMjml(),
    configurationSet: opts.configurationSet ?? d.config.configurationSet,
    dryRun: opts.dryRun ?? false,
  });
  return campaign;
}

describe('preflight', { timeout: 120_000 }, () => {
  it('passes every check for a campaign from a local sending domain, through the local SES and DNS', async () => {
    const campaign = await campaignOf(mixedCsv(5, 'ready'));
    const report = await preflight(runtime().deps(), campaign.id);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.letters).toBe(5);
    const detail = Object.fromEntries(report.checks.map((c) => [c.id, c.detail]));
    // forum@demarche.example.org: SES sends for a subdomain of its verified example.org.
    expect(detail.identity).toContain('example.org is verified');
    expect(detail.spf).toContain('bounce.example.org publishes SPF');
    expect(detail.dmarc).toContain('_dmarc.example.org');
    expect(detail['configuration-set']).toContain('demarche-local');

    // The same report through the staff API.
    const res = await fetch(`${runtime().httpUrl}/api/campaigns/${campaign.id}/preflight`, {
      headers: { authorization: `Bearer ${await staffToken(['viewer'])}` },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
  });

  it('names each check an account and domain set up wrong fail, with its fix, and refuses the launch before anything is queued', async () => {
    const sandbox = JSON.parse(localSesAccount(14)) as Record<string, unknown>;
    proxy = await startSesProxy(runtime().sesEndpoint, {
      answers: {
        '/v2/email/account': {
          status: 200,
          body: {
            ...sandbox,
            ProductionAccessEnabled: false,
            SendQuota: { Max24HourSend: 200, MaxSendRate: 1, SentLast24Hours: 198 },
          },
        },
        '/v2/email/identities/example.org': {
          status: 200,
          body: {
            IdentityType: 'DOMAIN',
            VerifiedForSendingStatus: true,
            DkimAttributes: { SigningEnabled: false, Status: 'PENDING' },
          },
        },
        '/v2/email/configuration-sets/demarche-local/event-destinations': {
          status: 200,
          body: {
            EventDestinations: [
              {
                Name: 'metrics-only',
                Enabled: true,
                MatchingEventTypes: ['SEND', 'DELIVERY', 'BOUNCE', 'COMPLAINT'],
                CloudWatchDestination: { DimensionConfigurations: [] },
              },
            ],
          },
        },
      },
    });
    // A zone with two SPF records at the From domain and no DMARC anywhere.
    dns = await startDns({
      zone: {
        'demarche.example.org': ['v=spf1 include:amazonses.com ~all', 'v=spf1 mx -all'],
        '_dmarc.example.org': ['not a dmarc record'],
      },
    });
    setDeps({
      sendingAccount: new SesSendingAccount(
        sesClient({ region: 'eu-west-1', endpoint: proxy.url }),
      ),
      dns: new DnsTxtResolver([dns.server]),
      approvalMode: 'single',
    });
    // Two hours to go: what is left of the 24-hour quota is all there is.
    const deadline = new Date(Date.now() + 2 * 3600_000).toISOString();
    const campaign = await campaignOf(mixedCsv(3, 'notready'), { deadline });
    const d = runtime().deps();
    const report = await preflight(d, campaign.id);
    const failed = Object.fromEntries(report.checks.filter((c) => !c.ok).map((c) => [c.id, c]));
    expect(Object.keys(failed).sort()).toEqual(
      ['configuration-set', 'dkim', 'dmarc', 'mail-from', 'quota', 'sandbox', 'spf'].sort(),
    );
    expect(failed.dkim!.fix).toContain('DKIM CNAME');
    expect(failed.spf!.detail).toContain('2 SPF records');
    expect(failed.dmarc!.fix).toContain('_dmarc.demarche.example.org');
    expect(failed.sandbox!.detail).toContain('3 recipients are not verified');
    expect(failed.quota!.detail).toContain('24-hour quota');
    expect(failed['configuration-set']!.detail).toContain('no enabled EventBridge or SNS');
    for (const c of Object.values(failed)) expect(c.fix).toBeTruthy();

    const receivedBefore = runtime().queue.received;
    const error = await launchApproved(d, campaign.id, 'alice').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreflightFailedError);
    expect((error as Error).message).toContain('dkim');
    expect((await d.store.getCampaign(campaign.id))!.status).toBe('draft');
    expect((await d.store.counters(campaign.id)).queued).toBe(0);
    expect(runtime().queue.received).toBe(receivedBefore);
    expect(runtime().queue.depth).toBe(0);
  });

  it('fails a configuration set that does not exist, and checks nothing of SES for a dry run', async () => {
    const missing = await campaignOf(mixedCsv(2, 'noset'), { configurationSet: 'gone' });
    const check = (await preflight(runtime().deps(), missing.id)).checks.find(
      (c) => c.id === 'configuration-set',
    )!;
    expect(check).toMatchObject({ ok: false });
    expect(check.detail).toContain('gone does not exist');
    const dry = await campaignOf(mixedCsv(2, 'dry'), { dryRun: true, configurationSet: 'gone' });
    expect(await preflight(runtime().deps(), dry.id)).toMatchObject({ ok: true, checks: [] });
  });
});
