/**
 * One campaign: its header (title, status, deadline with its zone) and tabs.
 * The overview answers staff's questions first (where the letters are, what
 * needs attention, who replied); the letter, the controls and the approval
 * history have tabs of their own, and so do a draft's statement, translations
 * and recipients.
 */
import { useEffect } from 'preact/hooks';
import { campaignHref, type CampaignTab } from '../route.js';
import { isCampaigner, resolveZone, useMe, useZoneChoice, ZoneContext } from '../ui/context.js';
import { count } from '../format/labels.js';
import { Problem, When } from '../ui/parts.js';
import { CampaignContext, useCampaignData } from './data.js';
import { Overview } from './Overview.js';
import { Controls } from './Controls.js';
import { Draft } from './Draft.js';
import { Governance } from './Governance.js';
import { LetterPreview } from './LetterPreview.js';
import { StatusBadge } from './StatusBadge.js';
import { Signon } from './Signon.js';
import { CampaignNote } from '../directory/CampaignNote.js';

const TABS: { tab: CampaignTab; label: string; campaigner?: boolean }[] = [
  { tab: 'overview', label: 'Overview' },
  { tab: 'draft', label: 'Statement and recipients', campaigner: true },
  { tab: 'letter', label: 'Letter', campaigner: true },
  { tab: 'controls', label: 'Approve and send', campaigner: true },
  { tab: 'approval', label: 'Versions and audit log' },
  { tab: 'signon', label: 'Sign-on', campaigner: true },
];

/** The long work under way and the letters gone, in one line: "Queueing 1,200 of 3,000 · sent 950 of 3,000". */
function progressLine(
  progress: string | undefined,
  status: string | undefined,
  sent: number | undefined,
  total: number | undefined,
): string | undefined {
  const parts = [progress];
  if ((status === 'sending' || status === 'paused') && sent !== undefined && total !== undefined)
    parts.push(`sent ${count(sent)} of ${count(total)}`);
  const line = parts.filter(Boolean).join(' · ');
  return line ? line.charAt(0).toUpperCase() + line.slice(1) : undefined;
}

export function CampaignPage(props: {
  id: string;
  tab: CampaignTab;
  params: Record<string, string>;
}) {
  const me = useMe();
  const data = useCampaignData(props.id);
  const choice = useZoneChoice();
  const zone = resolveZone(choice, data.detail?.delivery?.zone);
  const c = data.detail;
  const tabs = TABS.filter((t) => !t.campaigner || isCampaigner(me));
  const tab = tabs.some((t) => t.tab === props.tab) ? props.tab : 'overview';
  useEffect(() => {
    // A new campaign or tab: focus its heading, unless a link asked for a panel further down.
    if (!props.params.at) document.getElementById('c-title')?.focus();
  }, [props.id, tab]);
  const status = data.stats?.status ?? c?.status;
  const progress = progressLine(c?.progress, status, data.stats?.funnel.sent, c?.recipientCount);
  // Why it is paused and, when SES refused the account, what fixes it.
  const pausedReason =
    status === 'paused' ? (data.stats?.pausedReason ?? c?.pausedReason) : undefined;
  return (
    <CampaignContext.Provider value={data}>
      <ZoneContext.Provider value={zone}>
        <section id="campaign" aria-labelledby="c-title">
          <p class="back">
            <a href="#/">← All campaigns</a>
          </p>
          <h1 id="c-title" tabIndex={-1}>
            {c?.title ?? 'Campaign'}
          </h1>
          <Problem error={data.error} />
          {c ? (
            <>
              <p class="subject-line">{c.subject}</p>
              <p class="meta">
                {status ? <StatusBadge status={status} id="c-status" /> : null}
                {c.meeting ? <span id="c-meeting">{c.meeting}</span> : null}
                <span>
                  Deadline{' '}
                  <strong id="c-deadline">
                    <When at={c.deadline} weekday />
                  </strong>
                </span>
                {c.dryRun ? <span class="tag">dry run: no mail is sent</span> : null}
              </p>
              {c.deleted ? (
                <p id="c-deleted" class="error" role="status">
                  Deleted by {c.deleted.byEmail ?? c.deleted.by} <When at={c.deleted.at} />
                  {c.deleted.reason ? ` (“${c.deleted.reason}”)` : ''}: its recipients and letters
                  {c.deleted.done ? ' are removed' : ' are being removed'}; its versions and audit
                  log are kept.
                </p>
              ) : c.archived ? (
                <p id="c-archived" class="hint">
                  Archived by {c.archived.byEmail ?? c.archived.by} <When at={c.archived.at} />:
                  left out of the campaigns list.
                </p>
              ) : null}
              {pausedReason ? (
                <p id="c-paused" class="error" role="status">
                  {pausedReason.charAt(0).toUpperCase() + pausedReason.slice(1)}
                </p>
              ) : null}
              {progress ? (
                <p id="c-progress" class="progress" role="status">
                  {progress}
                </p>
              ) : null}
              <p id="c-refresh" class="hint">
                {data.live
                  ? `Updating every 5 seconds while the campaign is ${status}.`
                  : 'Read when the page opened; reload for newer figures.'}{' '}
                {data.stats ? (
                  <>
                    Last read <When at={data.stats.readAt} />.
                  </>
                ) : null}
              </p>
              <CampaignNote
                id={props.id}
                onRefreshed={() => void data.refresh({ changed: true })}
              />
              <nav class="tabs" aria-label="Campaign sections">
                <ul>
                  {tabs.map((t) => (
                    <li key={t.tab}>
                      <a
                        href={campaignHref(props.id, t.tab)}
                        aria-current={t.tab === tab ? 'page' : undefined}
                        data-tab={t.tab}
                      >
                        {t.label}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
              {tab === 'overview' ? <Overview params={props.params} /> : null}
              {tab === 'draft' ? <Draft /> : null}
              {tab === 'letter' ? <LetterPreview params={props.params} /> : null}
              {tab === 'controls' ? <Controls /> : null}
              {tab === 'approval' ? <Governance /> : null}
              {tab === 'signon' ? <Signon /> : null}
            </>
          ) : data.error ? null : (
            <p class="muted">Loading the campaign…</p>
          )}
        </section>
      </ZoneContext.Provider>
    </CampaignContext.Provider>
  );
}
