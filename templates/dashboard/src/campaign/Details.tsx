/**
 * The whole funnel (from the counters, exact at any size) and the split by
 * group and by country (from the recipient records; the page says when a
 * large campaign's split covers only the first of them).
 */
import type { Funnel, SplitRow } from '../api/types.js';
import { count, rate } from '../format/labels.js';
import { ScrollBox } from '../ui/parts.js';
import { useCampaign } from './data.js';

const FUNNEL: [keyof Funnel, string][] = [
  ['recipients', 'Recipients'],
  ['sent', 'Sent'],
  ['delivered', 'Delivered'],
  ['opened', 'Opened (people)'],
  ['clicked', 'Clicked'],
  ['replied', 'Replied'],
  ['bounced', 'Bounced'],
  ['complained', 'Complaints'],
  ['unsubscribed', 'Unsubscribed'],
];

const SPLIT_COLS: (keyof SplitRow)[] = [
  'recipients',
  'sent',
  'delivered',
  'opened',
  'clicked',
  'replied',
  'bounced',
  'complained',
];

function Split(props: { id: string; caption: string; first: string; rows: SplitRow[] }) {
  return (
    <ScrollBox label={props.caption}>
      <table class="data split" id={props.id}>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.first}</th>
            {SPLIT_COLS.map((c) => (
              <th scope="col" key={c}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.key}</th>
              {SPLIT_COLS.map((c) => (
                <td key={c}>{r[c]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}

export function Details() {
  const data = useCampaign();
  const f = data.stats?.funnel;
  const s = data.splits;
  return (
    <section id="details" class="panel" aria-labelledby="funnel-h">
      <h2 id="funnel-h">Funnel, by group and by country</h2>
      {f ? (
        <>
          <ScrollBox label="Funnel">
            <table class="data funnel" id="funnel">
              <caption class="sr-only">
                From recipients to replies; opened counts people, not machines
              </caption>
              <thead>
                <tr>
                  <th scope="col">Step</th>
                  <th scope="col">Count</th>
                  <th scope="col">Share of recipients</th>
                </tr>
              </thead>
              <tbody id="funnel-body">
                {FUNNEL.map(([key, label]) => {
                  const share = f.recipients ? (100 * f[key]) / f.recipients : 0;
                  return (
                    <tr key={key} data-step={key}>
                      <th scope="row">{label}</th>
                      <td class="count">{f[key]}</td>
                      <td>
                        <span
                          class="bar"
                          aria-hidden="true"
                          style={{ width: `${(Math.min(100, share) * 0.06).toFixed(2)}rem` }}
                        />
                        {rate(f[key], f.recipients)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollBox>
          <p id="funnel-extra" class="hint">
            Machine opens (privacy proxies, scanners) counted apart: {count(f.openedMachine)}.
            Failed {count(f.failed)}, not sent (do-not-mail list) {count(f.suppressed)}, not sent
            before the deadline {count(f.expired)}, outcome unknown {count(f.unknown)}.
          </p>
        </>
      ) : null}
      {s ? (
        <>
          <p id="splits-note" class="hint">
            {s.complete
              ? `Computed from all ${count(s.scanned)} recipient records (the funnel comes from the counters).`
              : `Computed from the first ${count(s.scanned)} recipient records only: this campaign is larger; the funnel covers everyone.`}
          </p>
          <div class="splits">
            <Split id="by-group" caption="By group" first="Group" rows={s.byGroup} />
            <Split id="by-country" caption="By country" first="Country" rows={s.byCountry} />
          </div>
        </>
      ) : null}
    </section>
  );
}
