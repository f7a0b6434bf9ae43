/**
 * The plan against the deadline (when the letters go, how much margin is
 * left), the letters held for their recipients' office hours, and the
 * follow-ups. Per-zone times are in that zone's local time, labelled.
 */
import type { PlanView } from '../api/types.js';
import { plural } from '../format/labels.js';
import { formatDuration, formatWhen, zoneCity } from '../format/time.js';
import { campaignHref } from '../route.js';
import { ScrollBox, When } from '../ui/parts.js';
import { isCampaigner, useMe } from '../ui/context.js';
import { useCampaign } from './data.js';
import { FollowUpForm } from './FollowUpForm.js';

const AUDIENCES: Record<string, string> = {
  'not-opened': 'who have not opened',
  'opened-not-replied': 'who opened and have not replied',
  'not-replied': 'who have not replied',
  'soft-bounced': 'whose letter soft-bounced',
};

const hm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

function Summary(props: { v: PlanView }) {
  const { v } = props;
  const p = v.plan;
  if (!p) return <>No plan: the campaign was launched without one.</>;
  if (!p.feasible)
    return <>{v.text || 'The letters do not all fit in office hours before the deadline.'}</>;
  if (p.letters === 0) return <>No letters left to plan.</>;
  const margin = v.marginMinutes ?? 0;
  return (
    <>
      {v.source === 'draft' ? 'If scheduled now: ' : 'Planned: '}
      {plural(p.letters, 'letter')} from <When at={p.start} />, the last sent by{' '}
      <When at={p.finish} />, {formatDuration(margin * 60_000)} before the deadline (
      <When at={p.deadline} />
      ); {Math.round(p.rate * 100) / 100} letters/second.
    </>
  );
}

export function PlanPanel() {
  const data = useCampaign();
  const me = useMe();
  const v = data.plan;
  if (!v) return null;
  const p = v.plan;
  const hours = v.officeHours;
  const status = data.stats?.status ?? data.detail?.status ?? '';
  // A follow-up answers letters that went out, before the original's deadline.
  const canFollowUp =
    isCampaigner(me) &&
    ['sending', 'paused', 'completed'].includes(status) &&
    Date.parse(data.detail?.deadline ?? '') > Date.now();
  return (
    <section id="plan" class="panel" aria-labelledby="plan-h">
      <h2 id="plan-h">Plan and follow-ups</h2>
      <p id="plan-summary" class={p && !p.feasible ? 'error' : undefined}>
        <Summary v={v} />
      </p>
      {hours ? (
        <p id="plan-held" class="hint">
          Sending in office hours {hm(hours.hours.start)}–{hm(hours.hours.end)}, in each recipient's
          own time zone. {plural(v.held, 'letter')} waiting for an office to open.
        </p>
      ) : null}
      {p?.zones.length ? (
        <ScrollBox label="Letters per time zone">
          <table id="plan-zones" class="data">
            <caption class="hint">
              Letters per time zone, first and last planned send, in that zone's local time
            </caption>
            <thead>
              <tr>
                <th scope="col">Zone</th>
                <th scope="col">Letters</th>
                <th scope="col">First</th>
                <th scope="col">Last</th>
              </tr>
            </thead>
            <tbody>
              {p.zones.map((z) => (
                <tr key={z.zone}>
                  <th scope="row">{zoneCity(z.zone)}</th>
                  <td>{z.letters}</td>
                  <td>{z.first ? formatWhen(z.first, z.zone) : ''}</td>
                  <td>{z.last ? formatWhen(z.last, z.zone) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      ) : null}
      <h3>Follow-ups</h3>
      <ScrollBox label="Follow-ups">
        <table id="followups" class="data cards">
          <thead>
            <tr>
              <th scope="col">Follow-up</th>
              <th scope="col">To</th>
              <th scope="col">Status</th>
              <th scope="col">Goes out</th>
            </tr>
          </thead>
          <tbody>
            {v.followUps.length ? (
              v.followUps.map((f) => (
                <tr key={f.id}>
                  <td data-label="Follow-up">
                    <a href={campaignHref(f.id)}>{f.subject}</a>
                  </td>
                  <td data-label="To">
                    {`recipients ${AUDIENCES[f.audience ?? ''] ?? f.audience ?? ''}`}
                  </td>
                  <td data-label="Status">{f.status}</td>
                  <td data-label="Goes out">
                    <When at={f.scheduledAt} />
                  </td>
                </tr>
              ))
            ) : (
              <tr>
                <td colSpan={4}>No follow-ups.</td>
              </tr>
            )}
          </tbody>
        </table>
      </ScrollBox>
      {data.detail?.followUpOf ? (
        <p>
          This is a follow-up of{' '}
          <a href={campaignHref(data.detail.followUpOf)}>the original campaign</a>.
        </p>
      ) : canFollowUp ? (
        <FollowUpForm />
      ) : null}
    </section>
  );
}
