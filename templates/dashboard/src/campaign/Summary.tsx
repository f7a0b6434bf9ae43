/**
 * The summary band: the countdown to the deadline (in the zone shown), the
 * four figures staff ask for first with their rates, and "needs attention":
 * each problem the counters show, with its count, linking to the recipients
 * (or replies) it is about.
 */
import type { Funnel, PlanView, Targets } from '../api/types.js';
import { count, plural, rate } from '../format/labels.js';
import { countdown } from '../format/time.js';
import { campaignHref, type CampaignTab } from '../route.js';
import { useNow } from '../ui/hooks.js';
import { When } from '../ui/parts.js';
import { useCampaign } from './data.js';
import { ReportButton } from './ReportButton.js';

interface Attention {
  key: string;
  n: number;
  /** What the count counts, singular and plural ("hard bounce" / "hard bounces"), or a whole sentence when n is not a count. */
  text: string | [string, string];
  tab?: CampaignTab;
  params: Record<string, string>;
}

/**
 * The recipients' own stops, as the counters keep them: from every letter,
 * from this campaign's follow-ups only (both count the recipients whose
 * latest choice it is), and the undos; each links to its list.
 */
function Unsubscribes(props: { counters: Record<string, number> }) {
  const data = useCampaign();
  const all = props.counters.unsubscribed ?? 0;
  const followUps = props.counters.unsubscribedFollowUps ?? 0;
  const undone = props.counters.unsubscribeUndone ?? 0;
  if (!all && !followUps && !undone) return null;
  const link = (scope: string) =>
    campaignHref(data.id, 'overview', { unsubscribed: scope, at: 'recipients' });
  return (
    <p class="hint" id="unsubscribes">
      Unsubscribed: <a href={link('all')}>{plural(all, 'recipient')} from every letter</a>,{' '}
      <a href={link('followups')}>{count(followUps)} from follow-ups only</a>
      {undone ? `; ${plural(undone, 'unsubscribe')} undone by the recipient` : ''}.
    </p>
  );
}

/** The attention items that have something to show, worst first. */
export function attentionItems(
  f: Funnel,
  counters: Record<string, number>,
  plan: PlanView | undefined,
  targets: Targets | undefined,
  status: string | undefined,
  toHandle?: number,
): Attention[] {
  const r = (params: Record<string, string>) => ({ ...params, at: 'recipients' });
  const counted: Attention[] = [
    {
      key: 'bouncedHard',
      // A hard bounce whose letter went on to a fallback address needs nobody: not counted here.
      n: Math.max(0, f.bouncedHard - (counters.fallbacks ?? 0)),
      text: ['hard bounce: the address does not exist', 'hard bounces: the address does not exist'],
      params: r({ delivery: 'bouncedHard' }),
    },
    {
      key: 'complained',
      n: f.complained,
      text: ['complaint: marked as spam', 'complaints: marked as spam'],
      params: r({ delivery: 'complained' }),
    },
    {
      key: 'failed',
      n: f.failed,
      text: ['letter the mail service refused', 'letters the mail service refused'],
      params: { at: 'stuck' },
    },
    {
      key: 'unknown',
      n: f.unknown,
      text: ['letter with an unknown outcome', 'letters with an unknown outcome'],
      params: { at: 'stuck' },
    },
    {
      key: 'rejected',
      n: counters.rejected ?? 0,
      text: ['letter rejected before delivery', 'letters rejected before delivery'],
      params: r({ delivery: 'rejected' }),
    },
    {
      key: 'held',
      n: plan?.held ?? 0,
      text: [
        "letter held until its recipient's office opens",
        "letters held until their recipient's office opens",
      ],
      params: r({ state: 'held' }),
    },
    {
      key: 'expired',
      n: f.expired,
      text: ['letter not sent before the deadline', 'letters not sent before the deadline'],
      params: r({ state: 'expired' }),
    },
    {
      key: 'bouncedSoft',
      n: f.bouncedSoft,
      text: ['soft bounce (temporary)', 'soft bounces (temporary)'],
      params: r({ delivery: 'bouncedSoft' }),
    },
    {
      key: 'replied',
      // The count of the list the link opens: human replies nobody has marked handled.
      n: toHandle ?? 0,
      text: ['human reply not yet handled: read it', 'human replies not yet handled: read them'],
      params: { kind: 'human', handled: 'false', at: 'replies' },
    },
  ];
  const items = counted.filter((i) => i.n > 0);
  if (status === 'paused')
    items.unshift({
      key: 'paused',
      n: 1,
      text: 'Sending is paused: resume or cancel it.',
      tab: 'controls',
      params: {},
    });
  if (targets?.warning)
    items.push({
      key: 'stale',
      n: 1,
      text: "Some officials' addresses have not been checked recently: see the versions page.",
      tab: 'approval',
      params: {},
    });
  return items;
}

function Figure(props: { id: string; label: string; n: number; of: number; ofWhat: string }) {
  return (
    <div class="figure" data-figure={props.id}>
      <dt>{props.label}</dt>
      <dd>
        <span class="big">{count(props.n)}</span>{' '}
        <span class="rate">
          {rate(props.n, props.of)} of {props.ofWhat}
        </span>
      </dd>
    </div>
  );
}

export function Summary() {
  const data = useCampaign();
  const now = useNow(1000);
  const c = data.detail!;
  const f = data.stats?.funnel;
  const items = f
    ? attentionItems(
        f,
        data.stats!.counters,
        data.plan,
        data.targets,
        data.stats!.status,
        data.toHandle,
      )
    : [];
  return (
    <section id="summary" class="band" aria-labelledby="summary-h">
      <h2 id="summary-h" class="sr-only">
        At a glance
      </h2>
      <p class="countdown">
        <strong id="c-countdown">{countdown(c.deadline, now)}</strong>{' '}
        <span class="hint">
          (<When at={c.deadline} weekday />)
        </span>
      </p>
      {f ? (
        <>
          <dl class="figures" id="figures">
            <Figure id="sent" label="Sent" n={f.sent} of={f.recipients} ofWhat="recipients" />
            <Figure id="delivered" label="Delivered" n={f.delivered} of={f.sent} ofWhat="sent" />
            <Figure id="bounced" label="Bounced" n={f.bounced} of={f.sent} ofWhat="sent" />
            <Figure
              id="replied"
              label="Replied (people)"
              n={f.replied}
              of={f.delivered}
              ofWhat="delivered"
            />
          </dl>
          <div class="attention" id="attention">
            <h3>Needs attention</h3>
            {items.length ? (
              <ul>
                {items.map((i) => (
                  <li key={i.key} data-attention={i.key}>
                    <a href={campaignHref(data.id, i.tab ?? 'overview', i.params)}>
                      {typeof i.text === 'string' ? (
                        i.text
                      ) : (
                        <>
                          <span class="n">{count(i.n)}</span> {i.text[i.n === 1 ? 0 : 1]}
                        </>
                      )}
                    </a>
                  </li>
                ))}
              </ul>
            ) : (
              <p>Nothing needs attention{f.sent ? '' : ' yet: no letter has been sent'}.</p>
            )}
          </div>
          <Unsubscribes counters={data.stats!.counters} />
          {f.sent ? (
            <p class="buttons">
              <ReportButton campaignId={data.id} />
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
