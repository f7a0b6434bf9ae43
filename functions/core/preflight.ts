/**
 * Preflight: everything that would make SES refuse the campaign's letters,
 * or make them land in spam, checked before anything is queued. A launch (or
 * a schedule) whose preflight fails is refused with each failed check named
 * and what fixes it; the API, the CLI and the dashboard show the same report.
 *
 * - the sending identity (the From domain, or a parent domain SES verified)
 *   is verified, with DKIM signing on and a custom MAIL FROM domain set up;
 * - DNS publishes SPF for the MAIL FROM domain and a DMARC policy for the
 *   From domain (looked up through a resolver the deployment names);
 * - the account may send: sending enabled, out of the SES sandbox (or every
 *   recipient a verified identity), its quota and rate cover the letters
 *   before the deadline;
 * - the configuration set exists, sends, and publishes the events demarche
 *   needs (sends, deliveries, bounces, complaints) to a destination.
 */
import { settled, type Campaign } from './campaign.js';
import { DemarcheError, NotFoundError } from './errors.js';
import type { CampaignStore, Clock } from './ports.js';
import { sendCutoff } from './send.js';

export interface AccountView {
  productionAccess: boolean;
  sendingEnabled: boolean;
  /** HEALTHY, PROBATION or SHUTDOWN. */
  enforcementStatus?: string;
  /** -1 when unlimited. */
  max24HourSend: number;
  sentLast24Hours: number;
  maxSendRate: number;
}

export interface IdentityView {
  verifiedForSending: boolean;
  dkimSigning: boolean;
  /** SUCCESS, PENDING, FAILED, TEMPORARY_FAILURE, NOT_STARTED. */
  dkimStatus?: string;
  mailFromDomain?: string;
  mailFromStatus?: string;
  /** The identity's default configuration set: SES applies it to letters that name none. */
  configurationSet?: string;
}

export interface ConfigurationSetView {
  sendingEnabled: boolean;
  /** `kind`: where the events go; only EventBridge and SNS can reach the events queue. */
  destinations: {
    name: string;
    enabled: boolean;
    events: string[];
    kind: 'eventbridge' | 'sns' | 'other';
  }[];
}

/** The SES reads preflight needs (GetAccount, GetEmailIdentity, GetConfigurationSet…). */
export interface SendingAccount {
  account(): Promise<AccountView>;
  /** undefined when SES has no such identity. */
  identity(name: string): Promise<IdentityView | undefined>;
  /** undefined when the configuration set does not exist. */
  configurationSet(name: string): Promise<ConfigurationSetView | undefined>;
}

/** TXT lookups: the strings of each record (chunks joined); [] for a name with none. */
export interface TxtResolver {
  txt(name: string): Promise<string[]>;
}

export const CHECKS = [
  'identity',
  'dkim',
  'mail-from',
  'spf',
  'dmarc',
  'account',
  'sandbox',
  'quota',
  'configuration-set',
] as const;
export type CheckId = (typeof CHECKS)[number];

export interface PreflightCheck {
  id: CheckId;
  ok: boolean;
  /** What was found. */
  detail: string;
  /** What fixes it (failed checks). */
  fix?: string;
}

export interface PreflightReport {
  campaignId: string;
  ok: boolean;
  checkedAt: string;
  /** Letters the checks were made for (those not yet settled). */
  letters: number;
  checks: PreflightCheck[];
}

/** A launch refused before anything was queued: `checks` names each failed check and its fix. */
export class PreflightFailedError extends DemarcheError {
  constructor(readonly report: PreflightReport) {
    const failed = report.checks.filter((c) => !c.ok);
    super(
      'PREFLIGHT_FAILED',
      `campaign ${report.campaignId} cannot be sent as things stand:\n${failed
        .map((c) => `  - ${c.id}: ${c.detail}${c.fix ? `. To fix: ${c.fix}` : ''}`)
        .join('\n')}`,
      { checks: failed },
    );
  }
}

export interface PreflightDeps {
  store: Pick<CampaignStore, 'getCampaign' | 'counters' | 'recipientsPage'>;
  clock: Clock;
  sendingAccount: SendingAccount;
  dns: TxtResolver;
  /** Letters a second the senders are paced to (SES MaxSendRate × margin). */
  sendRate: () => Promise<number>;
}

/** The domain and its parents down to two labels: where SES identities and DMARC records are looked for. */
export function domainAndParents(domain: string): string[] {
  const labels = domain.toLowerCase().replace(/\.$/, '').split('.');
  const out: string[] = [];
  for (let i = 0; i <= labels.length - 2; i++) out.push(labels.slice(i).join('.'));
  return out;
}

/** More recipients than this in the SES sandbox cannot all be sent within its 200-a-day quota anyway. */
const SANDBOX_LOOKUPS = 250;

/** Runs every check for the campaign's letters still to send; never throws for a failed check. */
export async function preflight(
  deps: PreflightDeps,
  campaignId: string,
  opts: { startAt?: Date } = {},
): Promise<PreflightReport> {
  const campaign = await deps.store.getCampaign(campaignId);
  if (!campaign) throw new NotFoundError('campaign', campaignId);
  const letters = Math.max(
    0,
    campaign.recipientCount - settled(await deps.store.counters(campaignId)),
  );
  const report = (checks: PreflightCheck[]): PreflightReport => ({
    campaignId,
    ok: checks.every((c) => c.ok),
    checkedAt: deps.clock.now().toISOString(),
    letters,
    checks,
  });
  // A dry run calls no mail service: nothing of SES's can refuse it.
  if (campaign.dryRun) return report([]);

  const checks: PreflightCheck[] = [];
  const fromDomain = campaign.statement.from.address.split('@')[1]!.toLowerCase();
  const identity = await findIdentity(
    deps.sendingAccount,
    fromDomain,
    campaign.statement.from.address,
  );
  checks.push(...identityChecks(fromDomain, identity));
  checks.push(...(await dnsChecks(deps.dns, fromDomain, identity?.view.mailFromDomain)));
  const account = await deps.sendingAccount.account();
  checks.push(accountCheck(account));
  checks.push(await sandboxCheck(deps, campaign, account));
  checks.push(await quotaCheck(deps, campaign, account, letters, opts.startAt));
  checks.push(
    await configurationSetCheck(
      deps.sendingAccount,
      campaign.configurationSet ?? identity?.view.configurationSet,
    ),
  );
  return report(checks);
}

/** Runs preflight and refuses (PreflightFailedError) when any check failed. */
export async function requirePreflight(
  deps: PreflightDeps,
  campaignId: string,
  opts: { startAt?: Date } = {},
): Promise<PreflightReport> {
  const report = await preflight(deps, campaignId, opts);
  if (!report.ok) throw new PreflightFailedError(report);
  return report;
}

async function findIdentity(
  ses: SendingAccount,
  domain: string,
  address: string,
): Promise<{ name: string; view: IdentityView } | undefined> {
  // A verified domain lets SES send from its subdomains; an address identity covers that address only.
  for (const name of [address.toLowerCase(), ...domainAndParents(domain)]) {
    const view = await ses.identity(name);
    if (view) return { name, view };
  }
  return undefined;
}

function identityChecks(
  domain: string,
  found: { name: string; view: IdentityView } | undefined,
): PreflightCheck[] {
  if (!found)
    return [
      {
        id: 'identity',
        ok: false,
        detail: `SES has no identity for ${domain} (nor a parent domain) in this account and region`,
        fix: `create the domain identity ${domain} in SES (the stack does, for its configured domain) and publish its DKIM records`,
      },
    ];
  const { name, view } = found;
  const checks: PreflightCheck[] = [
    view.verifiedForSending
      ? { id: 'identity', ok: true, detail: `identity ${name} is verified for sending` }
      : {
          id: 'identity',
          ok: false,
          detail: `identity ${name} is not verified for sending`,
          fix: `publish the DKIM CNAME records SES shows for ${name} and wait for verification`,
        },
    view.dkimSigning && view.dkimStatus === 'SUCCESS'
      ? { id: 'dkim', ok: true, detail: `DKIM signing is on for ${name}` }
      : {
          id: 'dkim',
          ok: false,
          detail: `DKIM signing for ${name} is ${view.dkimSigning ? 'on' : 'off'}, status ${view.dkimStatus ?? 'unknown'}`,
          fix: `publish the three DKIM CNAME records SES shows for ${name} and turn DKIM signing on`,
        },
  ];
  checks.push(
    view.mailFromDomain && view.mailFromStatus === 'SUCCESS'
      ? { id: 'mail-from', ok: true, detail: `custom MAIL FROM ${view.mailFromDomain} is set up` }
      : {
          id: 'mail-from',
          ok: false,
          detail: view.mailFromDomain
            ? `custom MAIL FROM ${view.mailFromDomain} has status ${view.mailFromStatus ?? 'unknown'}`
            : `${name} has no custom MAIL FROM domain: SPF cannot align for DMARC`,
          fix: `set a custom MAIL FROM domain (e.g. bounce.${name}) and publish its MX record (feedback-smtp.<region>.amazonses.com) and SPF record`,
        },
  );
  return checks;
}

async function dnsChecks(
  dns: TxtResolver,
  fromDomain: string,
  mailFrom: string | undefined,
): Promise<PreflightCheck[]> {
  const spfAt = mailFrom ?? fromDomain;
  const spf = (await txtOrError(dns, spfAt)).filter((t) => /^v=spf1(\s|$)/i.test(t.trim()));
  const spfCheck: PreflightCheck =
    spf.length === 1 && /include:amazonses\.com/i.test(spf[0]!)
      ? { id: 'spf', ok: true, detail: `${spfAt} publishes SPF: ${spf[0]}` }
      : {
          id: 'spf',
          ok: false,
          detail:
            spf.length === 0
              ? `${spfAt} publishes no SPF record`
              : spf.length > 1
                ? `${spfAt} publishes ${spf.length} SPF records (receivers treat that as an error)`
                : `the SPF record of ${spfAt} does not include amazonses.com: ${spf[0]}`,
          fix: `publish one TXT record at ${spfAt}: "v=spf1 include:amazonses.com ~all"`,
        };
  // The DMARC tree walk: the From domain's own record, else its parents'.
  let dmarc: { at: string; record: string } | undefined;
  for (const d of domainAndParents(fromDomain)) {
    const record = (await txtOrError(dns, `_dmarc.${d}`)).find((t) => /^v=DMARC1\s*;/i.test(t));
    if (record) {
      dmarc = { at: `_dmarc.${d}`, record };
      break;
    }
  }
  const policy = dmarc
    ? /(?:^|;)\s*p\s*=\s*(none|quarantine|reject)\s*(?:;|$)/i.exec(dmarc.record)
    : null;
  const dmarcCheck: PreflightCheck =
    dmarc && policy
      ? {
          id: 'dmarc',
          ok: true,
          detail: `${dmarc.at} publishes a DMARC policy (p=${policy[1]!.toLowerCase()})`,
        }
      : {
          id: 'dmarc',
          ok: false,
          detail: dmarc
            ? `${dmarc.at} has a DMARC record without a valid policy: ${dmarc.record}`
            : `no DMARC record at _dmarc.${fromDomain} or a parent domain`,
          fix: `publish a TXT record at _dmarc.${fromDomain}: "v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@${fromDomain}"`,
        };
  return [spfCheck, dmarcCheck];
}

/** A lookup that fails (no answer, a server error) reads as "nothing published": the check says so. */
async function txtOrError(dns: TxtResolver, name: string): Promise<string[]> {
  try {
    return await dns.txt(name);
  } catch {
    return [];
  }
}

function accountCheck(a: AccountView): PreflightCheck {
  if (!a.sendingEnabled)
    return {
      id: 'account',
      ok: false,
      detail: 'sending is disabled for the SES account',
      fix: 'find out why in the SES account dashboard, then re-enable it (aws sesv2 put-account-sending-attributes --sending-enabled)',
    };
  if (a.enforcementStatus === 'SHUTDOWN')
    return {
      id: 'account',
      ok: false,
      detail: 'AWS has shut down sending for the SES account',
      fix: 'only AWS Support can restore it',
    };
  return {
    id: 'account',
    ok: true,
    detail: `sending is enabled (enforcement status ${a.enforcementStatus ?? 'unknown'})`,
  };
}

async function sandboxCheck(
  deps: PreflightDeps,
  campaign: Campaign,
  a: AccountView,
): Promise<PreflightCheck> {
  if (a.productionAccess)
    return { id: 'sandbox', ok: true, detail: 'the account is out of the SES sandbox' };
  const unverified: string[] = [];
  let looked = 0;
  let cursor: string | undefined;
  const verified = new Map<string, boolean>();
  const isVerified = async (name: string) => {
    if (!verified.has(name))
      verified.set(name, (await deps.sendingAccount.identity(name))?.verifiedForSending === true);
    return verified.get(name)!;
  };
  do {
    const page = await deps.store.recipientsPage(campaign.id, cursor, 500);
    for (const r of page.items) {
      if (r.state !== 'pending' && r.state !== 'held') continue;
      if (++looked > SANDBOX_LOOKUPS) break;
      const domain = r.email.split('@')[1]!.toLowerCase();
      if (!(await isVerified(r.email.toLowerCase())) && !(await isVerified(domain)))
        unverified.push(r.email);
    }
    cursor = looked > SANDBOX_LOOKUPS ? undefined : page.cursor;
  } while (cursor);
  if (looked > SANDBOX_LOOKUPS)
    return {
      id: 'sandbox',
      ok: false,
      detail: `the account is in the SES sandbox, which sends to verified addresses only and at most 200 a day; this campaign has more than ${SANDBOX_LOOKUPS} letters`,
      fix: 'request production access for the account (SES console, Account dashboard)',
    };
  return unverified.length === 0
    ? {
        id: 'sandbox',
        ok: true,
        detail: 'the account is in the SES sandbox, and every recipient is a verified identity',
      }
    : {
        id: 'sandbox',
        ok: false,
        detail: `the account is in the SES sandbox, and ${unverified.length} recipient${unverified.length === 1 ? ' is' : 's are'} not verified (${unverified.slice(0, 5).join(', ')}${unverified.length > 5 ? ' …' : ''})`,
        fix: 'request production access for the account, or verify each recipient address in SES',
      };
}

async function quotaCheck(
  deps: PreflightDeps,
  campaign: Campaign,
  a: AccountView,
  letters: number,
  startAt: Date | undefined,
): Promise<PreflightCheck> {
  const start = Math.max(deps.clock.now().getTime(), startAt?.getTime() ?? 0);
  const seconds = Math.max(0, (sendCutoff(campaign) - start) / 1000);
  const rate = await deps.sendRate();
  const needed = letters / rate;
  if (needed > seconds)
    return {
      id: 'quota',
      ok: false,
      detail: `${letters} letters at ${rate.toFixed(1)} a second take ${Math.ceil(needed / 60)} min; ${Math.floor(seconds / 60)} min are left before the deadline`,
      fix: 'ask AWS for a higher sending rate, start earlier, or send to fewer recipients',
    };
  if (a.max24HourSend >= 0) {
    // A rolling 24-hour quota: what is left of it now, and a full quota for each further day.
    const allowed =
      Math.max(0, a.max24HourSend - a.sentLast24Hours) +
      a.max24HourSend * Math.floor(seconds / 86_400);
    if (letters > allowed)
      return {
        id: 'quota',
        ok: false,
        detail: `${letters} letters exceed the ${allowed} the 24-hour quota (${a.max24HourSend}, ${a.sentLast24Hours} used) allows before the deadline`,
        fix: 'ask AWS for a higher 24-hour sending quota, or send to fewer recipients',
      };
  }
  return {
    id: 'quota',
    ok: true,
    detail: `${letters} letters fit the quota and take about ${Math.ceil(needed / 60)} min at ${rate.toFixed(1)} a second`,
  };
}

/** The event types demarche's records depend on: sends, deliveries, bounces, complaints. */
const NEEDED_EVENTS = ['SEND', 'DELIVERY', 'BOUNCE', 'COMPLAINT'];

/** The campaign's configuration set, else its identity's default (which SES then applies). */
async function configurationSetCheck(
  ses: SendingAccount,
  name: string | undefined,
): Promise<PreflightCheck> {
  if (!name)
    return {
      id: 'configuration-set',
      ok: false,
      detail:
        'neither the campaign nor its sending identity names a configuration set: SES would publish no event of its letters',
      fix: 'set DEMARCHE_CONFIGURATION_SET (the stack sets it on the API and the sender) and create the campaign again, or give the identity a default configuration set',
    };
  const set = await ses.configurationSet(name);
  if (!set)
    return {
      id: 'configuration-set',
      ok: false,
      detail: `configuration set ${name} does not exist in this account and region`,
      fix: 'deploy the stack (it creates the configuration set and its event destinations)',
    };
  if (!set.sendingEnabled)
    return {
      id: 'configuration-set',
      ok: false,
      detail: `sending is paused for configuration set ${name}`,
      fix: `re-enable it: aws sesv2 put-configuration-set-sending-options --configuration-set-name ${name} --sending-enabled`,
    };
  const covered = new Set(
    set.destinations
      .filter((d) => d.enabled && d.kind !== 'other')
      .flatMap((d) => d.events.map((e) => e.toUpperCase())),
  );
  const missing = NEEDED_EVENTS.filter((e) => !covered.has(e));
  return missing.length === 0
    ? {
        id: 'configuration-set',
        ok: true,
        detail: `configuration set ${name} publishes ${NEEDED_EVENTS.join(', ').toLowerCase()} events`,
      }
    : {
        id: 'configuration-set',
        ok: false,
        detail: `configuration set ${name} has no enabled EventBridge or SNS destination for ${missing.join(', ').toLowerCase()} events`,
        fix: 'deploy the stack (its EventBridge destination covers them) or enable the destination',
      };
}
