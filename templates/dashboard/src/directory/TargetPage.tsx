/**
 * One target: who it is, whether its address is suppressed or failing (a
 * hard bounce marks it; a campaigner confirms a fallback as the new primary
 * here, nothing moves by itself), every letter it was sent and what came of
 * it, and every version of the record: who changed which field, when.
 */
import { useState } from 'preact/hooks';
import { get, post } from '../api/client.js';
import { campaignHref, formatRoute } from '../route.js';
import { isCampaigner, useMe } from '../ui/context.js';
import { useLoad } from '../ui/hooks.js';
import { Problem, ScrollBox, When } from '../ui/parts.js';
import type { TargetDetail } from './types.js';

export function TargetPage(props: { id: string }) {
  const me = useMe();
  const path = `/api/targets/${encodeURIComponent(props.id)}`;
  const page = useLoad(() => get<TargetDetail>(path), [path]);
  const [error, setError] = useState<Error>();
  const t = page.data?.target;
  async function promote(fallback: string) {
    try {
      await post(`${path}/promote`, { version: t!.version, fallback });
      await page.reload();
    } catch (err) {
      setError(err as Error);
    }
  }
  return (
    <section aria-labelledby="t-title">
      <p class="back">
        <a href={formatRoute({ page: 'directory', params: {} })}>← Directory</a>
      </p>
      <h1 id="t-title" tabIndex={-1}>
        {t?.name ?? 'Target'}
      </h1>
      <Problem error={page.error ?? error} />
      {t && page.data ? (
        <>
          <p class="meta">
            {[
              t.salutation,
              t.title,
              t.organisation,
              t.institutionType,
              t.country,
              t.language,
              t.group,
            ]
              .filter(Boolean)
              .join(' · ')}
          </p>
          <p id="t-email">
            {t.email}
            {page.data.suppressed ? <span class="tag warn"> suppressed</span> : null}
            {t.fallbackEmails?.length ? <> · fallbacks: {t.fallbackEmails.join(', ')}</> : null}
          </p>
          <p class={t.stale ? 'warn' : 'hint'}>
            Verified {t.lastVerified ?? 'never'}
            {t.source ? ` (${t.source})` : ''}
            {t.stale ? ': check this address before the next campaign.' : '.'} Tags:{' '}
            {t.tags.join(', ') || 'none'}.
          </p>
          {t.notes ? <p class="hint">{t.notes}</p> : null}
          {t.archived ? (
            <p id="t-archived" class="warn">
              Archived: not listed or selected
              {t.expiresAt ? (
                <>
                  , and deleted with its history after{' '}
                  <When at={new Date(t.expiresAt * 1000).toISOString()} /> unless a later import or
                  edit brings it back
                </>
              ) : null}
              .
            </p>
          ) : null}
          {t.failing ? (
            <div id="t-failing" class="panel" role="status">
              <p class="error">
                The primary address is failing: {t.failing.reason} on <When at={t.failing.at} /> (
                <a href={campaignHref(t.failing.campaignId)}>campaign</a>).
              </p>
              {isCampaigner(me)
                ? (t.fallbackEmails ?? []).map((f) => (
                    <button key={f} type="button" data-fallback={f} onClick={() => void promote(f)}>
                      Make {f} the primary address
                    </button>
                  ))
                : null}
            </div>
          ) : null}
          <h2>Letters</h2>
          <ScrollBox label="Letters">
            <table id="t-letters" class="data cards">
              <thead>
                <tr>
                  <th>Campaign</th>
                  <th>Sent</th>
                  <th>Delivery</th>
                  <th>Opened</th>
                  <th>Replies</th>
                </tr>
              </thead>
              <tbody>
                {page.data.letters.map((l) => (
                  <tr key={l.campaignId}>
                    <td data-label="Campaign">
                      <a href={campaignHref(l.campaignId)}>{l.title}</a>
                    </td>
                    <td data-label="Sent">
                      <When at={l.sentAt} /> {l.email !== t.email ? `to ${l.email}` : ''}
                    </td>
                    <td data-label="Delivery">{l.delivery}</td>
                    <td data-label="Opened">{l.openedAt ? <When at={l.openedAt} /> : 'no'}</td>
                    <td data-label="Replies">
                      {l.replies
                        .map(
                          (r) =>
                            `${r.kind}${r.afterHours !== undefined ? ` after ${r.afterHours} h` : ''}`,
                        )
                        .join(', ') || 'none'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollBox>
          {page.data.letters.length ? null : <p class="muted">No letters yet.</p>}
          <h2>Versions</h2>
          <ol id="t-versions">
            {page.data.versions.map((v) => (
              <li key={v.number}>
                <When at={v.at} /> · {v.byEmail ?? v.by} · {v.reason}
                {/* The first version is the whole record: its fields are above. */}
                {v.number === 1
                  ? ''
                  : `: ${v.changes.map((c) => `${c.field} ${c.before ?? '(empty)'} → ${c.after ?? '(empty)'}`).join('; ')}`}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}
