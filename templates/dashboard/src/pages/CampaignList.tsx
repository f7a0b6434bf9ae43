/**
 * The campaigns, newest first, told apart by what staff look for: title and
 * subject, status, deadline, when it was created and by whom, and how far it
 * got (sent, delivered, replied, with rates); archived ones on demand. The figures come from each campaign's
 * counters (GET …/stats, a few at a time), so the list shows at once and
 * fills in.
 */
import { useEffect, useState } from 'preact/hooks';
import { campaignPath, get } from '../api/client.js';
import type { CampaignSummary, Stats } from '../api/types.js';
import { count, rate } from '../format/labels.js';
import { formatWhen } from '../format/time.js';
import { campaignHref } from '../route.js';
import { isCampaigner, resolveZone, useMe, useZoneChoice } from '../ui/context.js';
import { useLoad } from '../ui/hooks.js';
import { Problem, ScrollBox } from '../ui/parts.js';
import { StatusBadge } from '../campaign/StatusBadge.js';

const AT_ONCE = 4;

/** Loads each campaign's stats, AT_ONCE requests at a time. */
function useStats(items: CampaignSummary[] | undefined) {
  const [stats, setStats] = useState<Record<string, Stats>>({});
  useEffect(() => {
    if (!items?.length) return;
    let stop = false;
    const queue = [...items];
    const worker = async () => {
      for (let c = queue.shift(); c && !stop; c = queue.shift()) {
        try {
          const s = await get<Stats>(campaignPath(c.id, '/stats'));
          if (!stop) setStats((all) => ({ ...all, [c.id]: s }));
        } catch {
          // One campaign's figures failing leaves its cells empty; the list stays usable.
        }
      }
    };
    void Promise.all(Array.from({ length: AT_ONCE }, worker));
    return () => {
      stop = true;
    };
  }, [items]);
  return stats;
}

function Figure(props: { n?: number; of?: number; label: string }) {
  if (props.n === undefined) return <span class="muted">…</span>;
  return (
    <>
      <span class="num">{count(props.n)}</span>{' '}
      <span class="rate" title={props.label}>
        {rate(props.n, props.of ?? 0)}
      </span>
    </>
  );
}

export function CampaignList() {
  const [archived, setArchived] = useState(false);
  const list = useLoad(
    () => get<{ items: CampaignSummary[] }>(`/api/campaigns${archived ? '?archived=include' : ''}`),
    [archived],
  );
  const stats = useStats(list.data?.items);
  const choice = useZoneChoice();
  useEffect(() => {
    document.getElementById('list-h')?.focus();
  }, []);
  const items = list.data?.items ?? [];
  const me = useMe();
  // The dashboard's own inbox: drafts a colleague asked the signed-in campaigner to approve.
  const waiting = isCampaigner(me)
    ? items.filter(
        (c) => c.approvalRequest && c.approvalRequest.by !== me?.sub && c.status === 'draft',
      )
    : [];
  return (
    <section id="list" aria-labelledby="list-h">
      <h1 id="list-h" tabIndex={-1}>
        Campaigns
      </h1>
      {isCampaigner(me) ? (
        <p>
          <a href="#/new" class="button primary" id="new-campaign">
            New campaign
          </a>
        </p>
      ) : null}
      {waiting.length ? (
        <div
          class="panel attention"
          id="waiting"
          role="region"
          aria-label="Waiting for your approval"
        >
          <h2>Waiting for your approval</h2>
          <ul>
            {waiting.map((c) => (
              <li key={c.id}>
                <a href={campaignHref(c.id, 'controls')}>{c.title}</a>:{' '}
                {c.approvalRequest!.byEmail ?? c.approvalRequest!.by} asked
                {c.approvalRequest!.note ? ` (“${c.approvalRequest!.note}”)` : ''}.
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <p>
        <label class="check">
          <input
            id="show-archived"
            type="checkbox"
            checked={archived}
            onChange={(e) => setArchived((e.target as HTMLInputElement).checked)}
          />{' '}
          Show archived campaigns
        </label>
      </p>
      <Problem error={list.error} />
      {list.loading && !list.data ? <p class="muted">Loading campaigns…</p> : null}
      {list.data ? (
        items.length === 0 ? (
          <p>No campaigns yet.</p>
        ) : (
          <ScrollBox label="Campaigns table">
            <table class="data cards" id="campaigns">
              <caption class="sr-only">All campaigns, newest first, with how far each got</caption>
              <thead>
                <tr>
                  <th scope="col">Campaign</th>
                  <th scope="col">Status</th>
                  <th scope="col">Deadline</th>
                  <th scope="col">Created</th>
                  <th scope="col">Author</th>
                  <th scope="col">Recipients</th>
                  <th scope="col">Sent (of recipients)</th>
                  <th scope="col">Delivered (of sent)</th>
                  <th scope="col">Replied (of delivered)</th>
                </tr>
              </thead>
              <tbody id="list-body">
                {items.map((c) => {
                  const zone = resolveZone(choice, c.delivery?.zone);
                  const f = stats[c.id]?.funnel;
                  return (
                    <tr key={c.id} data-campaign={c.id}>
                      <td data-label="Campaign">
                        <a href={campaignHref(c.id)} class="title">
                          {c.title}
                        </a>
                        <span class="subject">{c.subject}</span>
                        {c.dryRun ? <span class="tag">dry run</span> : null}
                        {c.followUpOf ? <span class="tag">follow-up</span> : null}
                        {c.archived ? <span class="tag">archived</span> : null}
                        {c.approvalRequest && c.status === 'draft' ? (
                          <span class="tag">waiting for approval</span>
                        ) : null}
                      </td>
                      <td data-label="Status">
                        <StatusBadge status={stats[c.id]?.status ?? c.status} />
                      </td>
                      <td data-label="Deadline">
                        <time dateTime={c.deadline}>{formatWhen(c.deadline, zone)}</time>
                      </td>
                      <td data-label="Created">
                        <time dateTime={c.createdAt}>{formatWhen(c.createdAt, zone)}</time>
                      </td>
                      <td data-label="Author">
                        {c.author ? (
                          (c.author.email ?? c.author.sub)
                        ) : (
                          <span class="muted" title="created before authors were recorded">
                            —
                          </span>
                        )}
                      </td>
                      <td data-label="Recipients" class="num">
                        {count(c.recipientCount)}
                      </td>
                      <td data-label="Sent">
                        <Figure n={f?.sent} of={c.recipientCount} label="of the recipients" />
                      </td>
                      <td data-label="Delivered">
                        <Figure n={f?.delivered} of={f?.sent} label="of the letters sent" />
                      </td>
                      <td data-label="Replied">
                        <Figure n={f?.replied} of={f?.delivered} label="of the letters delivered" />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollBox>
        )
      ) : null}
    </section>
  );
}
