/**
 * Sends what sign-on owes its signatories after the send-out (after-send.ts),
 * from the scheduler's tick: each mail claimed once per signatory (a
 * conditional write before the send, as the sender claims a letter), then
 * a slot on the shared send line, then SES. A second tick, or one retried
 * after a crash, finds the claim and sends nothing again; a mail the line or
 * SES throttled is given back and tried at the next tick; one SES refused
 * (or whose outcome is unknown) stays claimed with its reason, for staff.
 * Pure but for the ports it is given.
 */
import type { Campaign, CampaignHead } from '../campaign.js';
import { MailThrottledError } from '../errors.js';
import type { RateLimiter } from '../pacing.js';
import type { CampaignStore, Clock, Mailer, OutgoingLetter } from '../ports.js';
import type { ReportModel } from '../report/model.js';
import {
  copyMail,
  owedMail,
  sentOut,
  signatoryLanguage,
  summaryDue,
  summaryMail,
} from './after-send.js';
import type { AfterSendMail, Signatory, SignonSettings } from './model.js';
import type { SignonStore } from './ports.js';

export interface AfterSendDeps {
  store: Pick<CampaignStore, 'getCampaign' | 'getTemplate'>;
  clock: Clock;
  signon: SignonStore;
  mailer: Mailer;
  rateLimiter: RateLimiter;
  /** The campaign's proof-of-delivery report (core/report/collect.ts). */
  report(campaignId: string): Promise<ReportModel>;
  /** The deployment's privacy page, and the campaign's open-letter page when it is on. */
  links(
    campaignId: string,
    settings: SignonSettings,
  ): Promise<{ privacyUrl?: string; openLetterUrl?: string }>;
}

export interface AfterSendResult {
  copies: number;
  summaries: number;
  failed: number;
}

/** At most this many mails per campaign and tick: a long list goes out over a few ticks. */
export const MAILS_PER_TICK = 200;

type Outcome = 'sent' | 'taken' | 'later' | 'failed';

async function sendOnce(
  deps: AfterSendDeps,
  s: Signatory,
  mail: AfterSendMail,
  build: () => OutgoingLetter,
): Promise<Outcome> {
  const at = deps.clock.now().toISOString();
  if (!(await deps.signon.claimAfterSend(s.campaignId, s.id, mail, at))) return 'taken';
  const [claim, id, error] =
    mail === 'copy'
      ? (['copyAt', 'copyMessageId', 'copyError'] as const)
      : (['summaryAt', 'summaryMessageId', 'summaryError'] as const);
  try {
    await deps.rateLimiter.acquire();
  } catch {
    // No slot: nothing left for SES, so the claim is given back for the next tick.
    await deps.signon.update(s.campaignId, s.id, { [claim]: undefined });
    return 'later';
  }
  try {
    const { messageId } = await deps.mailer.send(build());
    await deps.signon.update(s.campaignId, s.id, { [id]: messageId });
    return 'sent';
  } catch (err) {
    if (err instanceof MailThrottledError) {
      await deps.signon.update(s.campaignId, s.id, { [claim]: undefined });
      return 'later';
    }
    await deps.signon.update(s.campaignId, s.id, { [error]: (err as Error).message.slice(0, 300) });
    return 'failed';
  }
}

/** One campaign's owed mails of one kind; true when none is left for a later tick. */
async function sendAll(
  deps: AfterSendDeps,
  list: Signatory[],
  mail: AfterSendMail,
  build: (s: Signatory) => Promise<OutgoingLetter>,
  result: AfterSendResult,
): Promise<boolean> {
  const owed = owedMail(list, mail);
  let left = owed.length > MAILS_PER_TICK;
  for (const s of owed.slice(0, MAILS_PER_TICK)) {
    const built = await build(s);
    const outcome = await sendOnce(deps, s, mail, () => built);
    if (outcome === 'sent') result[mail === 'copy' ? 'copies' : 'summaries']++;
    else if (outcome === 'failed') result.failed++;
    else if (outcome === 'later') {
      left = true;
      break; // throttled: the rest waits for the next tick too
    }
  }
  return !left;
}

async function copies(
  deps: AfterSendDeps,
  c: Campaign,
  settings: SignonSettings,
  list: Signatory[],
  result: AfterSendResult,
): Promise<boolean> {
  const links = await deps.links(c.id, settings);
  const sentAt = c.launchedAt!;
  return sendAll(
    deps,
    list,
    'copy',
    async (s) => {
      const template = await deps.store.getTemplate(c.id, signatoryLanguage(c, s));
      if (!template) throw new Error(`campaign ${c.id} has no compiled letter for ${s.language}`);
      return copyMail(c, template, s, { sent: c.recipientCount, sentAt, ...links });
    },
    result,
  );
}

/**
 * Sends, for each campaign whose letters went out, the copies still owed
 * and, once the deadline has passed and every copy went, the summaries. A
 * campaign whose mails are all sent is marked so on its settings, and later
 * ticks do not read its signatories again.
 */
export async function afterSendTick(
  deps: AfterSendDeps,
  campaigns: CampaignHead[],
  onError: (campaignId: string, err: Error) => void,
): Promise<AfterSendResult> {
  const result: AfterSendResult = { copies: 0, summaries: 0, failed: 0 };
  const now = deps.clock.now();
  for (const head of campaigns) {
    if (!sentOut(head)) continue;
    try {
      const settings = await deps.signon.settings(head.id);
      if (!settings || settings.summaryDoneAt) continue;
      // Every copy went and the summary waits for the deadline: nothing to read this tick.
      if (settings.copiesDoneAt && !summaryDue(head, now)) continue;
      const c = await deps.store.getCampaign(head.id);
      if (!c) continue;
      const list = await deps.signon.list(c.id);
      if (!settings.copiesDoneAt) {
        if (!(await copies(deps, c, settings, list, result))) continue;
        await deps.signon.updateSettings(c.id, { copiesDoneAt: deps.clock.now().toISOString() });
      }
      if (!summaryDue(c, now)) continue;
      const report = await deps.report(c.id);
      if (await sendAll(deps, list, 'summary', async (s) => summaryMail(report, s), result))
        await deps.signon.updateSettings(c.id, { summaryDoneAt: deps.clock.now().toISOString() });
    } catch (err) {
      onError(head.id, err as Error);
    }
  }
  return result;
}
