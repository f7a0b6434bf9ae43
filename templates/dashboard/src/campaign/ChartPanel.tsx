/**
 * The send-out over time: cumulative letters sent, delivered, opened by
 * people and replied, from the launch to now while the campaign runs (so the
 * send-out fills the width instead of being a line at the left edge of a
 * two-week axis); "show until the deadline" zooms out. Launch, pauses,
 * resumes, follow-ups and the deadline are marked. The axis reads in the
 * zone the page shows.
 */
import uPlot from 'uplot';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { campaignPath, get } from '../api/client.js';
import type { AuditEntry, Series } from '../api/types.js';
import { count } from '../format/labels.js';
import { zoneCity } from '../format/time.js';
import { useZone } from '../ui/context.js';
import { useLoad } from '../ui/hooks.js';
import { useCampaign } from './data.js';

interface Mark {
  at: number;
  label: string;
  colour: string;
}

const COLOURS = { sent: '#4b5563', delivered: '#1d4ed8', opened: '#047857', replied: '#b45309' };

function marks(
  series: Series,
  audit: AuditEntry[],
  followUps: { scheduledAt?: string }[],
  launched?: string,
): Mark[] {
  const out: Mark[] = [];
  if (launched) out.push({ at: Date.parse(launched) / 1000, label: 'launch', colour: '#111827' });
  for (const e of audit)
    if (e.action === 'paused' || e.action === 'resumed')
      out.push({
        at: Date.parse(e.at) / 1000,
        label: e.action === 'paused' ? 'paused' : 'resumed',
        colour: '#7c3aed',
      });
  for (const f of followUps)
    if (f.scheduledAt)
      out.push({ at: Date.parse(f.scheduledAt) / 1000, label: 'follow-up', colour: '#0e7490' });
  out.push({ at: series.deadline, label: 'deadline', colour: '#a4161a' });
  return out;
}

function Chart(props: { series: Series; marks: Mark[]; toDeadline: boolean; zone: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const { series: s, toDeadline, zone } = props;
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const start = s.t[0] ?? 0;
    const end = Math.max(toDeadline ? s.deadline : (s.t[s.t.length - 1] ?? start), start + 60);
    // Ticks in the zone shown: seconds for a short send-out, times of day within a day and a
    // half, dates beyond; a label equal to the one before it is left out.
    const span = end - start;
    const fmt = new Intl.DateTimeFormat(
      'en-GB',
      span <= 15 * 60
        ? {
            timeZone: zone,
            hour: '2-digit',
            minute: '2-digit',
            second: '2-digit',
            hourCycle: 'h23',
          }
        : span <= 36 * 3600
          ? { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
          : { timeZone: zone, day: 'numeric', month: 'short' },
    );
    const tick = (sec: number) => fmt.format(new Date(sec * 1000));
    const ticks = (splits: number[]) =>
      splits.map((v, i) => (i > 0 && tick(splits[i - 1]!) === tick(v) ? '' : tick(v)));
    el.dataset.from = String(start);
    el.dataset.to = String(end);
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height: 260,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), zone),
      scales: { x: { time: true, range: () => [start, end] } },
      axes: [
        { label: `Time (${zoneCity(zone)})`, values: (_u, splits) => ticks(splits) },
        { label: 'Letters' },
      ],
      series: [
        { value: (_u, v) => (v == null ? '' : `${tick(v)} ${zoneCity(zone)}`) },
        { label: 'Sent', stroke: COLOURS.sent, width: 2, points: { show: false } },
        { label: 'Delivered', stroke: COLOURS.delivered, width: 2, points: { show: false } },
        {
          label: 'Opened (people)',
          stroke: COLOURS.opened,
          width: 2,
          dash: [6, 3],
          points: { show: false },
        },
        { label: 'Replied', stroke: COLOURS.replied, width: 2, points: { show: false } },
      ],
      hooks: {
        draw: [
          (u) => {
            const ctx = u.ctx;
            ctx.save();
            ctx.font = `${Math.round(11 * devicePixelRatio)}px system-ui, sans-serif`;
            for (const m of props.marks) {
              if (m.at < start || m.at > end) continue;
              const x = u.valToPos(m.at, 'x', true);
              ctx.strokeStyle = m.colour;
              ctx.fillStyle = m.colour;
              ctx.setLineDash([5, 4]);
              ctx.beginPath();
              ctx.moveTo(x, u.bbox.top);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
              ctx.stroke();
              ctx.fillText(
                m.label,
                Math.min(x + 3, u.bbox.left + u.bbox.width - 60),
                u.bbox.top + 12,
              );
            }
            ctx.restore();
          },
        ],
      },
    };
    plot.current?.destroy();
    el.replaceChildren();
    plot.current = new uPlot(opts, [s.t, s.sent, s.delivered, s.opened, s.replied], el);
    const resize = new ResizeObserver(() => {
      plot.current?.setSize({ width: Math.max(280, el.clientWidth), height: 260 });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = undefined;
    };
  }, [s, toDeadline, zone, props.marks]);
  const last = (xs: number[]) => xs[xs.length - 1] ?? 0;
  return (
    <div
      id="chart"
      ref={box}
      role="img"
      aria-label={`Cumulative letters from the launch to ${toDeadline ? 'the deadline' : 'now'}: ${count(last(s.sent))} sent, ${count(last(s.delivered))} delivered, ${count(last(s.opened))} opened by people, ${count(last(s.replied))} replied.`}
    />
  );
}

export function ChartPanel() {
  const data = useCampaign();
  const zone = useZone();
  const [toDeadline, setToDeadline] = useState(false);
  const audit = useLoad(
    () => get<{ items: AuditEntry[] }>(campaignPath(data.id, '/audit')),
    [data.id, data.changes],
  );
  const s = data.series;
  const launched = data.detail?.launchedAt;
  const m = useMemo(
    () => (s ? marks(s, audit.data?.items ?? [], data.plan?.followUps ?? [], launched) : []),
    [s, audit.data, data.plan, launched],
  );
  if (!s) return null;
  return (
    <section id="chart-section" class="panel" aria-labelledby="chart-h">
      <h2 id="chart-h">Send-out over time</h2>
      <p class="buttons">
        <button
          type="button"
          id="chart-range"
          aria-pressed={toDeadline}
          onClick={() => setToDeadline(!toDeadline)}
        >
          {toDeadline ? 'Show from the launch to now' : 'Show until the deadline'}
        </button>
      </p>
      {launched ? (
        <Chart series={s} marks={m} toDeadline={toDeadline} zone={zone} />
      ) : (
        <p class="hint" id="chart">
          Not launched yet: the chart starts at the launch.
        </p>
      )}
      <p id="chart-note" class="hint">
        Cumulative counts; dashed lines mark the launch, pauses, resumes, follow-ups and the
        deadline. {s.complete ? '' : `From the first ${count(s.scanned)} recipients only.`}
      </p>
    </section>
  );
}
