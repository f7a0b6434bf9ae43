/**
 * The proof-of-delivery report as one self-contained HTML page, laid out for
 * print (Chromium prints it to PDF). Every value that came from outside —
 * the statement, names, organisations, reply text — is escaped; the page
 * carries a CSP that allows no script and no remote content, so even a
 * value that slipped through could not run or call home.
 */
import { replyHistoryText } from '../directory/history.js';
import { escapeHtml as e } from '../html.js';
import { AUDIENCE_LABELS } from '../followups/followup.js';
import type { Block, Inline } from '../statement.js';
import type { Group } from '../recipients.js';
import {
  countryName,
  type ReportModel,
  type ReportReply,
  type ReportRow,
  type ReportSummary,
} from './model.js';

export interface ReportOptions {
  /** Zone the report's times are given in. Default Europe/Brussels. */
  zone?: string;
}

const GROUP_LABELS: Record<Group, string> = {
  minister: 'Ministers and governments',
  'eu-institution': 'EU institutions',
  ngo: 'Member organisations',
  other: 'Other recipients',
};

function when(iso: string | undefined, zone: string, long = false): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return e(iso);
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    ...(long ? { weekday: 'short', year: 'numeric' } : {}),
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(long ? { timeZoneName: 'short' } : {}),
  })
    .format(d)
    .replace(/^(\d+ \w+),/, '$1');
  return `<time datetime="${e(d.toISOString())}">${e(text)}</time>`;
}

function inline(runs: Inline[]): string {
  return runs
    .map((r) => {
      let html = e(r.text);
      if (r.em) html = `<em>${html}</em>`;
      if (r.strong) html = `<strong>${html}</strong>`;
      if (r.href && /^(https?:|mailto:)/i.test(r.href)) html = `<a href="${e(r.href)}">${html}</a>`;
      return html;
    })
    .join('');
}

function block(b: Block): string {
  switch (b.type) {
    case 'heading': {
      const level = Math.min(6, Math.max(3, b.level + 2));
      return `<h${level}>${inline(b.inlines)}</h${level}>`;
    }
    case 'paragraph':
      return `<p>${inline(b.inlines)}</p>`;
    case 'quote':
      return `<blockquote>${inline(b.inlines)}</blockquote>`;
    case 'list': {
      const tag = b.ordered ? 'ol' : 'ul';
      return `<${tag}>${b.items.map((i, n) => `<li>${inline(i)}${b.nested?.[n] ? block(b.nested[n]) : ''}</li>`).join('')}</${tag}>`;
    }
    case 'rule':
      return '<hr />';
    case 'table': {
      const cells = (r: Inline[][], tag: string) =>
        `<tr>${b.header.map((_, i) => `<${tag}>${inline(r[i] ?? [])}</${tag}>`).join('')}</tr>`;
      return `<table>${cells(b.header, 'th')}${b.rows.map((r) => cells(r, 'td')).join('')}</table>`;
    }
    case 'image':
      // The report is kept offline: the image is named by its alt text, not loaded.
      return `<p>[${e(b.alt)}]</p>`;
  }
}

function pct(n: number, of: number): string {
  return of > 0 ? `${Math.round((n / of) * 100)}%` : '';
}

function summary(s: ReportSummary): string {
  const cell = (label: string, n: number, of = s.recipients, note = '') =>
    `<div class="figure"><span class="n">${n}</span><span class="label">${e(label)}</span>` +
    `<span class="pct">${of !== s.recipients || n !== of ? pct(n, of) : ''}${note}</span></div>`;
  const main = [
    cell('recipients', s.recipients),
    cell('letters sent', s.sent),
    cell('delivered', s.delivered, s.sent, ' of sent'),
    // Opens are a share of the delivered letters that carried a pixel: an untracked letter
    // (officials, by default) can never show as opened, so it is not in the whole.
    cell(
      'opened by a person',
      s.openedByPerson,
      s.deliveredTracked,
      s.deliveredTracked === s.delivered
        ? ' of delivered'
        : ' of delivered letters with opens tracked',
    ),
    cell('replied', s.replied, s.sent, ' of sent'),
  ].join('');
  const rest: string[] = [];
  if (s.bounced) rest.push(`${s.bounced} bounced`);
  if (s.complained) rest.push(`${s.complained} marked as spam`);
  if (s.failed) rest.push(`${s.failed} refused by the mail service`);
  if (s.suppressed) rest.push(`${s.suppressed} not sent (address on the do-not-mail list)`);
  if (s.expired) rest.push(`${s.expired} not sent before the deadline`);
  if (s.unknown) rest.push(`${s.unknown} with an unknown outcome`);
  if (s.unsubscribed) rest.push(`${s.unsubscribed} unsubscribed from every letter`);
  if (s.unsubscribedFollowUps)
    rest.push(`${s.unsubscribedFollowUps} unsubscribed from follow-ups only`);
  return `<div class="figures">${main}</div>${rest.length ? `<p class="also">Also: ${e(rest.join('; '))}.</p>` : ''}`;
}

const STATE_TEXT: Record<string, string> = {
  pending: 'not sent',
  claimed: 'being sent',
  failed: 'refused',
  expired: 'not sent: deadline passed',
  suppressed: 'not sent: do-not-mail list',
  unknown: 'outcome unknown',
};

const DELIVERY_TEXT: Record<string, string> = {
  bouncedHard: 'bounced (address does not exist)',
  bouncedSoft: 'bounced (temporary)',
  rejected: 'rejected',
  delayed: 'delayed',
};

function deliveredCell(r: ReportRow, zone: string): string {
  if (r.deliveredAt) {
    const spam =
      r.deliveryState === 'complained' ? ' <span class="warn">marked as spam</span>' : '';
    return when(r.deliveredAt, zone) + spam;
  }
  if (r.deliveryState && DELIVERY_TEXT[r.deliveryState]) {
    return `<span class="warn">${e(DELIVERY_TEXT[r.deliveryState]!)}</span>`;
  }
  return r.sentAt ? '<span class="muted">no report</span>' : '';
}

function sentCell(r: ReportRow, zone: string): string {
  if (r.sentAt) return when(r.sentAt, zone);
  const text = STATE_TEXT[r.state] ?? r.state;
  const reason = r.failure ? `: ${r.failure}` : '';
  return `<span class="warn">${e(text + (r.state === 'failed' ? reason : ''))}</span>`;
}

function replyBlock(reply: ReportReply, zone: string): string {
  const mark =
    reply.match === 'strong' ? '' : ` <span class="warn">[${e(reply.matchLabel)}]</span>`;
  const head = `${when(reply.receivedAt, zone)}${reply.from ? ` · ${e(reply.from)}` : ''}${reply.subject ? ` · “${e(reply.subject)}”` : ''}${mark}`;
  if (reply.kind !== 'human') {
    const kind =
      reply.kind === 'auto-reply'
        ? 'automatic reply (out of office or acknowledgement)'
        : reply.kind;
    return `<div class="reply auto"><div class="meta">${head} — ${e(kind)}</div></div>`;
  }
  const text = reply.text.trim() || '(no text besides the quoted letter)';
  return (
    `<div class="reply"><div class="meta">${head}</div>` +
    `<blockquote>${e(text)}${reply.truncated ? ' <span class="muted">[shortened]</span>' : ''}</blockquote></div>`
  );
}

/** "usually replies within 6 hours (3 of 4 earlier letters answered)", from the directory's history. */
function historyLine(r: ReportRow): string {
  const text = r.history ? replyHistoryText(r.history) : undefined;
  return text
    ? `<span class="history">${e(text.charAt(0).toUpperCase() + text.slice(1))}</span>`
    : '';
}

/** "Ministers and governments usually reply within 2 days (…)." under a group's heading. */
function groupHistory(g: ReportModel['groups'][number]): string {
  const text = g.history ? replyHistoryText(g.history, true) : undefined;
  if (!text) return '';
  const label = GROUP_LABELS[g.group];
  return `<p class="also history">${e(text.startsWith('usually') ? `${label} ${text}.` : `${label}: ${text}.`)}</p>`;
}

function row(r: ReportRow, zone: string): string {
  const who = [
    `<strong>${e(r.name)}</strong>`,
    r.title ? e(r.title) : '',
    r.organisation ? `<span class="org">${e(r.organisation)}</span>` : '',
    historyLine(r),
  ]
    .filter(Boolean)
    .join('<br>');
  const main =
    `<tr class="rcpt"><td>${who}</td><td>${sentCell(r, zone)}</td><td>${deliveredCell(r, zone)}</td>` +
    `<td>${r.openedAt ? when(r.openedAt, zone) : `<span class="muted">${r.opensTracked ? '—' : 'not tracked'}</span>`}</td>` +
    `<td>${r.repliedAt ? when(r.repliedAt, zone) : '<span class="muted">—</span>'}</td></tr>`;
  if (!r.replies.length) return main;
  return `${main}<tr class="replies"><td colspan="5">${r.replies.map((x) => replyBlock(x, zone)).join('')}</td></tr>`;
}

const STYLE = `
@page { size: A4; margin: 16mm 14mm 18mm; }
* { box-sizing: border-box; }
body { font: 10pt/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1a1a1a; margin: 0; }
header.title { border-bottom: 2px solid #1d3557; padding-bottom: 8px; margin-bottom: 14px; }
header.title .kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 8.5pt; color: #1d3557; }
h1 { font-size: 17pt; margin: 2px 0 4px; line-height: 1.2; }
h2 { font-size: 13pt; color: #1d3557; margin: 18px 0 6px; break-after: avoid; }
h3, h4, h5, h6 { font-size: 11pt; margin: 10px 0 4px; }
h3.group { font-size: 12pt; color: #1d3557; margin-top: 14px; break-after: avoid; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
dl.facts dt { color: #555; } dl.facts dd { margin: 0; }
.figures { display: flex; gap: 8px; margin: 8px 0; }
.figure { flex: 1; border: 1px solid #c9d3e0; border-radius: 4px; padding: 6px 8px; background: #f4f7fb; }
.figure .n { display: block; font-size: 17pt; font-weight: bold; color: #1d3557; }
.figure .label { display: block; font-size: 8.5pt; }
.figure .pct { display: block; font-size: 8pt; color: #555; min-height: 1em; }
.also { font-size: 9pt; color: #333; }
section.statement { border-left: 3px solid #c9d3e0; padding-left: 10px; }
section.statement p, section.statement li { text-align: left; }
section.recipients { break-before: page; }
table { width: 100%; border-collapse: collapse; margin: 4px 0 10px; font-size: 9pt; table-layout: fixed; }
col.who { width: 40%; } col.when { width: 15%; }
time { white-space: nowrap; }
thead th { text-align: left; border-bottom: 1.5px solid #1d3557; padding: 4px; font-size: 8.5pt; }
tbody th { text-align: left; background: #e8eef6; padding: 4px; font-size: 9pt; }
td { padding: 4px; vertical-align: top; border-bottom: 1px solid #e3e3e3; }
tr, tbody { break-inside: avoid; }
.org { color: #444; }
.history { font-size: 8.5pt; color: #1d3557; }
.muted { color: #888; }
.warn { color: #9b2226; }
.reply { margin: 2px 0 4px 12px; }
.reply .meta { font-size: 8.5pt; color: #555; }
.reply blockquote { margin: 2px 0 0; padding: 4px 8px; border-left: 3px solid #457b9d; background: #f6f9fc; white-space: pre-wrap; overflow-wrap: anywhere; }
footer.notes { margin-top: 16px; font-size: 8.5pt; color: #444; border-top: 1px solid #ccc; padding-top: 6px; }
`;

/** The approved content version(s) the letters were sent from (sha256 over statement, translations, recipients). */
function versionsSent(m: ReportModel): string {
  const hashes = new Set<string>();
  for (const g of m.groups)
    for (const ct of g.countries)
      for (const r of ct.rows) if (r.versionHash) hashes.add(r.versionHash);
  return [...hashes].map((h) => `<code>${e(h)}</code>`).join('<br>');
}

/** The follow-ups of the campaign, one line each; nothing when there are none. */
function followUpsSection(m: ReportModel, zone: string): string {
  if (!m.followUps.length) return '';
  const items = m.followUps.map((f) => {
    const to = f.audience
      ? e(AUDIENCE_LABELS[f.audience as keyof typeof AUDIENCE_LABELS] ?? f.audience)
      : '';
    const at = f.launchedAt ?? f.scheduledAt;
    return (
      `<li><strong>${e(f.subject)}</strong> <span class="muted">(${e(f.id)})</span>: ` +
      `${to ? `audience: ${to}; ` : ''}${e(f.status)}${at ? `, ${f.launchedAt ? 'sent from' : 'scheduled for'} ${when(at, zone, true)}` : ''}; ` +
      `${f.sent} of ${f.recipients} letters sent, ${f.replied} replied</li>`
    );
  });
  return `<h2>Follow-ups</h2>\n<ul class="followups">${items.join('')}</ul>`;
}

const hasHistory = (m: ReportModel) =>
  m.groups.some(
    (g) =>
      g.history?.humanReplies ||
      g.countries.some((c) => c.rows.some((r) => r.history?.humanReplies)),
  );

/** The report page: facts, summary figures, the statement, then every recipient by group and country. */
export function renderReportHtml(m: ReportModel, options: ReportOptions = {}): string {
  const zone = options.zone ?? 'Europe/Brussels';
  const c = m.campaign;
  const st = c.statement;
  const signatories = st.signatories
    .map((s) => e(s.organisation ? `${s.name}, ${s.organisation}` : s.name))
    .join('<br>');
  const facts = [
    ['Campaign', e(c.id) + (c.dryRun ? ' (dry run: nothing was mailed)' : '')],
    ['Follow-up of', c.followUpOf ? e(c.followUpOf) : ''],
    ['Meeting', st.meeting ? e(st.meeting) : ''],
    ['Deadline', when(st.deadline, zone, true)],
    ['From', e(`${st.from.name} <${st.from.address}>`)],
    ['Subject', e(st.subject)],
    ['Sending started', when(c.launchedAt ?? m.firstSentAt, zone, true)],
    ['First letter sent', when(m.firstSentAt, zone, true)],
    ['Last letter sent', when(m.lastSentAt, zone, true)],
    ['Status', e(c.status)],
    ['Version sent', versionsSent(m)],
  ].filter(([, v]) => v);
  const groups = m.groups
    .map((g) => {
      const bodies = g.countries
        .map(
          (ct) =>
            `<tbody><tr><th colspan="5" scope="rowgroup">${e(countryName(ct.country))}${ct.country ? ` (${e(ct.country)})` : ''}</th></tr>` +
            ct.rows.map((r) => row(r, zone)).join('') +
            '</tbody>',
        )
        .join('');
      return (
        `<h3 class="group">${e(GROUP_LABELS[g.group])} <span class="muted">(${g.letters})</span></h3>` +
        groupHistory(g) +
        `<table><colgroup><col class="who"><col class="when"><col class="when"><col class="when"><col class="when"></colgroup>` +
        `<thead><tr><th scope="col">Recipient</th><th scope="col">Sent</th><th scope="col">Delivered</th>` +
        `<th scope="col">Opened by a person</th><th scope="col">Replied</th></tr></thead>${bodies}</table>`
      );
    })
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Proof of delivery — ${e(st.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="title">
<div class="kicker">Proof of delivery</div>
<h1>${e(st.title)}</h1>
</header>
<dl class="facts">${facts.map(([k, v]) => `<dt>${e(k!)}</dt><dd>${v}</dd>`).join('')}</dl>
<h2>Summary</h2>
${summary(m.summary)}
${followUpsSection(m, zone)}
<h2>The statement</h2>
<section class="statement">
${st.body.map(block).join('\n')}
${signatories ? `<p><strong>Signed</strong><br>${signatories}</p>` : ''}
</section>
<section class="recipients">
<h2>Letters by recipient</h2>
<p class="also">By institution, then country. Each row: when the letter was sent, when the recipient’s mail server accepted it, when a person first opened it, and when they first replied.</p>
${groups}
</section>
<footer class="notes">
<p>Times are ${e(zone)} time. “Delivered” is the receiving mail server’s acceptance as reported by Amazon SES. “Opened by a person” counts an open only when it did not come from a mail scanner or a privacy proxy (those are left out), so it is a lower bound: a letter read with images turned off does not show as opened. Letters to officials carry no tracking image unless the campaign turned it on: their opens show as “not tracked”. Replies show the new text only, without the quoted letter. “Replied” counts a reply only when it carries the letter’s signed reply address or answers a letter we sent (its Message-ID), or when staff confirmed it by hand; a reply tied to a recipient by its sender address alone is shown marked “weak match, unconfirmed” and is not counted.${m.unattachedReplies ? ` ${m.unattachedReplies} further repl${m.unattachedReplies === 1 ? 'y' : 'ies'} could not be tied to a recipient and ${m.unattachedReplies === 1 ? 'is' : 'are'} not shown.` : ''}</p>
${hasHistory(m) ? '<p>“Usually replies within …” is the median time from sending to the first reply from a person, over the letters of other campaigns (the 200 newest) to the same target in the directory, or to the same group; “usually” only when at least half of them were answered.</p>\n' : ''}<p>Generated ${when(m.generatedAt, zone, true)} by demarche from the campaign’s records.</p>
</footer>
</body>
</html>
`;
}
