/**
 * The recipients table: search and filters kept in the page address (so
 * "needs attention" links open a filtered list), a delivery column that says
 * where each letter is (delivered, bounced and why, held until …, sent to a
 * fallback, unsubscribed), opens as "not tracked" where the group's letters
 * carry no pixel, pages of 50 counted by the server ("51–100 of 3,000"),
 * each person's timeline, and the CSV export.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { campaignPath, download, get } from '../api/client.js';
import type { RecipientDetail, RecipientRow, RecipientsPage } from '../api/types.js';
import { count, deliveryText, deliveryTone, GROUP_LABELS } from '../format/labels.js';
import { campaignHref } from '../route.js';
import { isCampaigner, useMe, useZone } from '../ui/context.js';
import { useFocusTarget, useLoad } from '../ui/hooks.js';
import { Problem, ScrollBox, When } from '../ui/parts.js';
import { useCampaign } from './data.js';

export const FILTERS = [
  'q',
  'group',
  'country',
  'state',
  'delivery',
  'opened',
  'replied',
  'unsubscribed',
  'fallback',
] as const;
const PAGE = 50;

const OPTIONS: Record<string, [string, string][]> = {
  group: [
    ['minister', 'ministers'],
    ['eu-institution', 'EU institutions'],
    ['ngo', 'NGOs'],
    ['other', 'other'],
  ],
  state: [
    ['pending', 'not sent yet'],
    ['held', 'held for office hours'],
    ['sent', 'sent'],
    ['failed', 'failed'],
    ['expired', 'not sent: deadline passed'],
    ['suppressed', 'not sent: do-not-mail list'],
    ['unknown', 'outcome unknown'],
  ],
  delivery: [
    ['delivered', 'delivered'],
    ['sent', 'sent, no report yet'],
    ['bouncedHard', 'bounced (hard)'],
    ['bouncedSoft', 'bounced (soft)'],
    ['complained', 'complained'],
    ['delayed', 'delayed'],
    ['rejected', 'rejected'],
  ],
  opened: [
    ['true', 'opened'],
    ['false', 'not opened'],
  ],
  replied: [
    ['true', 'replied'],
    ['false', 'not replied'],
  ],
  unsubscribed: [
    ['all', 'from every letter'],
    ['followups', 'from follow-ups only'],
  ],
  fallback: [
    ['true', 'sent to a fallback address'],
    ['false', 'at the first address'],
  ],
};
const LABELS: Record<string, string> = {
  group: 'Group',
  state: 'Letter',
  delivery: 'Delivery',
  opened: 'Opened',
  replied: 'Replied',
  unsubscribed: 'Unsubscribed',
  fallback: 'Address',
};

function Filters(props: {
  params: Record<string, string>;
  onApply: (p: Record<string, string>) => void;
}) {
  const key = FILTERS.map((f) => props.params[f] ?? '').join('|');
  return (
    <form
      id="filters"
      class="filters"
      key={key}
      aria-label="Filter recipients"
      onSubmit={(ev) => {
        ev.preventDefault();
        const form = new FormData(ev.currentTarget as HTMLFormElement);
        const next: Record<string, string> = {};
        for (const f of FILTERS) {
          const v = String(form.get(f) ?? '').trim();
          if (v) next[f] = v;
        }
        props.onApply(next);
      }}
    >
      <label class="search">
        Search name, organisation or address
        <input
          type="search"
          name="q"
          maxLength={200}
          defaultValue={props.params.q ?? ''}
          autocomplete="off"
          placeholder="e.g. Müller, ministry, @gov.pl"
        />
      </label>
      {(
        ['group', 'state', 'delivery', 'opened', 'replied', 'unsubscribed', 'fallback'] as const
      ).map((f) => (
        <label key={f}>
          {LABELS[f]}
          <select name={f}>
            <option value="">any</option>
            {OPTIONS[f]!.map(([v, text]) => (
              <option key={v} value={v} selected={props.params[f] === v}>
                {text}
              </option>
            ))}
          </select>
        </label>
      ))}
      <label>
        Country
        <input
          name="country"
          size={3}
          maxLength={2}
          defaultValue={props.params.country ?? ''}
          pattern="[A-Za-z]{2}"
          title="two letters, such as FR"
          autocomplete="off"
        />
      </label>
      <button type="submit" class="primary">
        Filter
      </button>
      <button type="button" onClick={() => props.onApply({})}>
        Show everyone
      </button>
    </form>
  );
}

function Timeline(props: { rid: string; onClose: () => void }) {
  const data = useCampaign();
  const me = useMe();
  const [ref, focus] = useFocusTarget<HTMLDivElement>();
  const detail = useLoad(
    () =>
      get<RecipientDetail>(campaignPath(data.id, `/recipients/${encodeURIComponent(props.rid)}`)),
    [props.rid],
  );
  useEffect(() => {
    if (detail.data) focus();
  }, [detail.data?.recipient.id]);
  if (detail.error) return <Problem error={detail.error} />;
  const d = detail.data;
  if (!d) return <p class="muted">Opening the timeline…</p>;
  return (
    <div id="timeline" class="detail" tabIndex={-1} ref={ref} aria-labelledby="timeline-h">
      <h3 id="timeline-h">
        Timeline: {d.recipient.name} &lt;{d.recipient.email}&gt;
      </h3>
      <ol id="timeline-list">
        {d.timeline.length ? (
          d.timeline.map((e, i) => (
            <li key={i} class={e.anomaly ? 'warn' : undefined}>
              <When at={e.at} /> {e.what}
              {e.detail ? ` (${e.detail})` : ''}
            </li>
          ))
        ) : (
          <li>Nothing recorded yet.</li>
        )}
      </ol>
      <p class="buttons">
        {isCampaigner(me) ? (
          <a href={campaignHref(data.id, 'letter', { r: d.recipient.id })}>
            Preview this recipient's letter
          </a>
        ) : null}
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </p>
    </div>
  );
}

function Row(props: { r: RecipientRow; onOpen: () => void }) {
  const { r } = props;
  const data = useCampaign();
  const zone = useZone();
  const tracked = data.detail?.tracking?.[r.group]?.opens !== false;
  const opened = r.openedAt ?? r.firstOpenedAt;
  const replied = r.repliedAt ?? r.firstRepliedAt;
  return (
    <tr data-recipient={r.id}>
      <td data-label="Name">
        <button type="button" class="linklike" onClick={props.onOpen}>
          {r.name}
        </button>
        {r.title ? <span class="subject">{r.title}</span> : null}
      </td>
      <td data-label="Organisation">{r.organisation ?? ''}</td>
      <td data-label="Group">{GROUP_LABELS[r.group] ?? r.group}</td>
      <td data-label="Country">{r.country ?? ''}</td>
      <td data-label="Delivery" class={`tone-${deliveryTone(r)}`} data-state={r.state}>
        {deliveryText(r, zone)}
      </td>
      <td data-label="Opened">
        {!tracked ? (
          <span class="muted">not tracked</span>
        ) : opened ? (
          <When at={opened} />
        ) : (
          'not opened'
        )}
      </td>
      <td data-label="Replied">{replied ? <When at={replied} /> : 'no'}</td>
    </tr>
  );
}

/** A column head that sorts the list: ascending first, then descending; aria-sort says which. */
function SortHead(props: {
  label: string;
  by: string;
  params: Record<string, string>;
  onSort: (by: string, order: 'asc' | 'desc') => void;
}) {
  const active = props.params.sort === props.by;
  const desc = active && props.params.order === 'desc';
  return (
    <th scope="col" aria-sort={active ? (desc ? 'descending' : 'ascending') : undefined}>
      <button
        type="button"
        class="sort"
        data-sort={props.by}
        onClick={() => props.onSort(props.by, active && !desc ? 'desc' : 'asc')}
      >
        {props.label}
        <span aria-hidden="true">{active ? (desc ? ' ▼' : ' ▲') : ''}</span>
        <span class="sr-only">{active ? '' : ', sort'}</span>
      </button>
    </th>
  );
}

export function Recipients(props: { params: Record<string, string> }) {
  const data = useCampaign();
  const filter: Record<string, string> = {};
  for (const f of FILTERS) if (props.params[f]) filter[f] = props.params[f]!;
  const sorting: Record<string, string> = {};
  if (props.params.sort) {
    sorting.sort = props.params.sort;
    sorting.order = props.params.order === 'desc' ? 'desc' : 'asc';
  }
  const filterKey = JSON.stringify([filter, sorting]);
  const [rows, setRows] = useState<RecipientRow[]>([]);
  const [cursor, setCursor] = useState<string>();
  // Where each page starts: starts[i] is the cursor of page i (undefined for the first).
  const [starts, setStarts] = useState<(string | undefined)[]>([undefined]);
  const [pageNo, setPageNo] = useState(0);
  const [total, setTotal] = useState<{ count: number; complete: boolean }>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState<string>();
  const [headRef, focusHead] = useFocusTarget<HTMLHeadingElement>();

  // Only the newest request may fill the table: a slow answer for the order or
  // filter the reader just left (a sort of 3,000 takes longer than a plain page)
  // must not overwrite the answer they asked for after it.
  const latest = useRef(0);
  const latestCount = useRef(0);
  async function load(n: number, from: string | undefined) {
    const ticket = ++latest.current;
    setLoading(true);
    try {
      const q = new URLSearchParams({ ...filter, ...sorting, limit: String(PAGE) });
      if (from) q.set('cursor', from);
      const page = await get<RecipientsPage>(campaignPath(data.id, `/recipients?${q}`));
      if (ticket !== latest.current) return;
      setRows(page.items);
      setCursor(page.cursor);
      setPageNo(n);
      setStarts((old) => [...old.slice(0, n + 1), page.cursor]);
      setError(undefined);
    } catch (err) {
      if (ticket === latest.current) setError(err as Error);
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }
  useEffect(() => {
    setOpen(undefined);
    setStarts([undefined]);
    void load(0, undefined).then(() => {
      if (props.params.at === 'recipients') focusHead();
    });
    const counting = ++latestCount.current;
    get<{ count: number; complete: boolean }>(
      campaignPath(data.id, `/recipient-count?${new URLSearchParams(filter)}`),
    ).then(
      (c) => counting === latestCount.current && setTotal(c),
      () => counting === latestCount.current && setTotal(undefined),
    );
  }, [data.id, filterKey, data.changes]);

  const all = data.detail?.recipientCount ?? 0;
  const first = pageNo * PAGE + 1;
  const of = total
    ? `${total.complete ? '' : 'at least '}${count(total.count)}${Object.keys(filter).length ? ` matching, of ${count(all)} recipients` : ' recipients'}`
    : 'those that match';
  const apply = (next: Record<string, string>) => {
    const keep: Record<string, string> = {};
    if (props.params.kind) keep.kind = props.params.kind;
    location.hash = campaignHref(data.id, 'overview', { ...keep, ...next, at: 'recipients' });
  };
  // A sort keeps the filters; a new filter (the form) starts from the list's own order.
  const sortBy = (by: string, order: 'asc' | 'desc') => apply({ ...filter, sort: by, order });
  return (
    <section id="recipients" class="panel" aria-labelledby="rcpt-h">
      <h2 id="rcpt-h" ref={headRef} tabIndex={-1}>
        Recipients
      </h2>
      <Filters params={props.params} onApply={apply} />
      <p id="rcpt-note" class="hint" role="status">
        {loading && !rows.length
          ? 'Loading…'
          : !rows.length
            ? 'No recipient matches these filters.'
            : `Showing ${count(first)}–${count(first + rows.length - 1)} of ${of}.`}
      </p>
      <Problem error={error} />
      <ScrollBox label="Recipients table">
        <table class="data cards" id="recipients-table">
          <caption class="sr-only">
            Recipients matching the filters; choose a name for their timeline
          </caption>
          <thead>
            <tr>
              <SortHead label="Name" by="name" params={props.params} onSort={sortBy} />
              <SortHead
                label="Organisation"
                by="organisation"
                params={props.params}
                onSort={sortBy}
              />
              <SortHead label="Group" by="group" params={props.params} onSort={sortBy} />
              <SortHead label="Country" by="country" params={props.params} onSort={sortBy} />
              <SortHead label="Delivery" by="delivery" params={props.params} onSort={sortBy} />
              <th scope="col">Opened</th>
              <th scope="col">Replied</th>
            </tr>
          </thead>
          <tbody id="recipients-body">
            {rows.map((r) => (
              <Row key={r.id} r={r} onOpen={() => setOpen(r.id)} />
            ))}
          </tbody>
        </table>
      </ScrollBox>
      <p class="buttons">
        {pageNo > 0 ? (
          <button
            type="button"
            id="prev"
            disabled={loading}
            onClick={() => void load(pageNo - 1, starts[pageNo - 1])}
          >
            Previous {PAGE}
          </button>
        ) : null}
        {cursor ? (
          <button
            type="button"
            id="next"
            disabled={loading}
            onClick={() => void load(pageNo + 1, cursor)}
          >
            Next {PAGE}
          </button>
        ) : null}
        <button
          type="button"
          id="export"
          onClick={() =>
            download(campaignPath(data.id, '/export.csv'), `demarche-${data.id}.csv`).catch(
              (e: Error) => setError(e),
            )
          }
        >
          Download every recipient (CSV)
        </button>
      </p>
      {open ? (
        <Timeline
          rid={open}
          onClose={() => {
            const back = document.querySelector<HTMLButtonElement>(
              `tr[data-recipient="${CSS.escape(open)}"] button`,
            );
            setOpen(undefined);
            back?.focus();
          }}
        />
      ) : null}
    </section>
  );
}
