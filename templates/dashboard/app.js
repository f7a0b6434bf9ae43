/* global window, document, sessionStorage, fetch, URLSearchParams, URL, history, location, setInterval, clearInterval, setTimeout, crypto, TextEncoder, btoa, uPlot */
/**
 * The staff dashboard. Plain DOM, no framework: every value that came from
 * outside (names, statement, reply text, subjects) is put on the page with
 * textContent, never parsed as HTML; the page's CSP allows no inline script.
 * The staff token (from the login link's #token= fragment) stays in
 * sessionStorage and goes to the API as a bearer header.
 */
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const TOKEN_KEY = 'demarche.token';
  const state = {
    me: undefined,
    campaign: undefined,
    timer: undefined,
    tick: undefined,
    cursor: undefined,
    chart: undefined,
  };

  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === 'class') e.className = v;
      else if (k === 'on') for (const [ev, fn] of Object.entries(v)) e.addEventListener(ev, fn);
      else e.setAttribute(k, v);
    }
    for (const c of children)
      e.append(c instanceof window.Node ? c : document.createTextNode(c == null ? '' : String(c)));
    return e;
  }

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function showError(message) {
    const p = $('error');
    p.textContent = message;
    p.hidden = !message;
  }

  async function api(path, opts) {
    const res = await fetch(path, {
      ...(opts || {}),
      headers: { authorization: `Bearer ${token()}`, ...((opts && opts.headers) || {}) },
    });
    if (res.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      route();
      throw new Error('Your sign-in has expired: sign in again.');
    }
    const type = res.headers.get('content-type') || '';
    const body = type.includes('json') ? await res.json() : await res.text();
    if (!res.ok) throw new Error((body && body.message) || `HTTP ${res.status}`);
    return body;
  }

  const fmtDate = (iso) =>
    iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '';

  function countdown(deadline) {
    const ms = Date.parse(deadline) - Date.now();
    if (ms <= 0) return 'The deadline has passed.';
    const d = Math.floor(ms / 86400000);
    const h = Math.floor((ms % 86400000) / 3600000);
    const m = Math.floor((ms % 3600000) / 60000);
    const s = Math.floor((ms % 60000) / 1000);
    return `${d} d ${h} h ${m} min ${s} s until the deadline`;
  }

  function show(section) {
    for (const id of ['login', 'list', 'campaign']) $(id).hidden = id !== section;
  }

  function stopTimers() {
    if (state.timer) clearInterval(state.timer);
    if (state.tick) clearInterval(state.tick);
    state.timer = state.tick = undefined;
  }

  // Cognito hosted login (AWS): authorization code with PKCE; no secret lives in the page.
  const b64url = (bytes) =>
    btoa(String.fromCharCode(...new Uint8Array(bytes)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  const redirectUri = () => `${location.origin}/dashboard`;

  async function loginSettings() {
    if (state.login === undefined) {
      const res = await fetch('/dashboard/config.json');
      state.login = res.ok ? (await res.json()).login : null;
    }
    return state.login;
  }

  async function startLogin() {
    const login = await loginSettings();
    if (!login) return;
    const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
    const challenge = b64url(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)),
    );
    const st = b64url(crypto.getRandomValues(new Uint8Array(16)));
    sessionStorage.setItem('demarche.pkce', JSON.stringify({ verifier, state: st }));
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: login.clientId,
      redirect_uri: redirectUri(),
      scope: login.scope,
      state: st,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    location.assign(`${login.authorizeUrl}?${q}`);
  }

  /** Back from the login page with ?code=: exchanges it for an ID token. True when signed in. */
  async function finishLogin() {
    const login = await loginSettings();
    const params = new URLSearchParams(location.search);
    if (!login || !params.get('code')) return false;
    const saved = JSON.parse(sessionStorage.getItem('demarche.pkce') || '{}');
    sessionStorage.removeItem('demarche.pkce');
    history.replaceState(null, '', `${location.pathname}#/`);
    if (!saved.state || saved.state !== params.get('state'))
      throw new Error('The sign-in could not be verified: please sign in again.');
    const res = await fetch(login.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: login.clientId,
        code: params.get('code'),
        redirect_uri: redirectUri(),
        code_verifier: saved.verifier,
      }),
    });
    if (!res.ok) throw new Error(`The sign-in failed (HTTP ${res.status}): please sign in again.`);
    const out = await res.json();
    sessionStorage.setItem(TOKEN_KEY, out.id_token);
    return true;
  }

  async function route() {
    stopTimers();
    showError('');
    const m = /^#token=([A-Za-z0-9_.-]+)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem(TOKEN_KEY, m[1]);
      history.replaceState(null, '', `${location.pathname}#/`);
    }
    if (!token()) {
      $('who').textContent = '';
      $('signout').hidden = true;
      try {
        if (await finishLogin()) return route();
      } catch (err) {
        showError(err.message);
      }
      $('sso').hidden = !state.login;
      show('login');
      return;
    }
    try {
      state.me = await api('/api/me');
      $('who').textContent = `${state.me.email || state.me.sub} (${state.me.role})`;
      $('signout').hidden = false;
      const c = /^#\/c\/([A-Za-z0-9_-]+)/.exec(location.hash);
      if (c) await openCampaign(c[1]);
      else await listCampaigns();
    } catch (err) {
      showError(err.message);
    }
  }

  async function listCampaigns() {
    show('list');
    const { items } = await api('/api/campaigns');
    const body = $('list-body');
    body.replaceChildren(
      ...items.map((c) =>
        el(
          'tr',
          {},
          el('td', {}, el('a', { href: `#/c/${encodeURIComponent(c.id)}` }, c.title)),
          el('td', {}, c.status),
          el('td', {}, c.recipientCount),
          el('td', {}, fmtDate(c.deadline)),
        ),
      ),
    );
    if (!items.length) body.append(el('tr', {}, el('td', { colspan: '4' }, 'No campaigns yet.')));
  }

  async function openCampaign(id) {
    show('campaign');
    const c = await api(`/api/campaigns/${id}`);
    state.campaign = c;
    $('c-title').textContent = c.title;
    $('c-meeting').textContent = c.meeting || '';
    $('c-deadline').textContent = fmtDate(c.deadline);
    $('c-deadline').setAttribute('datetime', c.deadline);
    $('controls').hidden = state.me.role !== 'campaigner';
    const tickFn = () => ($('c-countdown').textContent = countdown(c.deadline));
    tickFn();
    state.tick = setInterval(tickFn, 1000);
    await Promise.all([
      refresh(),
      loadRecipients(true),
      loadReplies(),
      loadGovernance(),
      loadPlan(),
      // A draft or scheduled campaign has sent nothing, so nothing can be stuck.
      c.status === 'draft' || c.status === 'scheduled' ? ($('stuck').hidden = true) : loadStuck(),
    ]);
  }

  /** Failed and unknown letters, each with its reason and the actions a campaigner may take. */
  async function loadStuck() {
    const id = state.campaign.id;
    const out = await api(`/api/campaigns/${id}/letters/stuck`);
    $('stuck').hidden = out.items.length === 0;
    const campaigner = state.me.role === 'campaigner';
    const act = (label, run) =>
      el('button', { type: 'button', on: { click: () => run().catch((e) => showError(e.message)) } }, label);
    $('stuck-body').replaceChildren(
      ...out.items.map((r) =>
        el(
          'tr',
          { 'data-stuck': r.recipientId },
          el('td', {}, `${r.name} <${r.email}>`),
          el('td', {}, r.state),
          el('td', {}, r.reason || ''),
          el(
            'td',
            {},
            ...(!campaigner
              ? []
              : r.state === 'failed'
                ? [act('Send again', () => stuckAction('resend', { state: 'failed', recipientIds: [r.recipientId] }))]
                : [
                    act('Send again…', async () => {
                      if (
                        !window.confirm(
                          `${r.name}'s letter may already have arrived: its sender stopped after handing it to SES, and no SES event says whether it left. Sending it again may deliver it twice. Send it again?`,
                        )
                      )
                        return;
                      await stuckAction('resend', {
                        state: 'unknown',
                        recipientIds: [r.recipientId],
                        acceptPossibleDuplicate: true,
                      });
                    }),
                    act('Mark as sent', () => stuckAction('mark-sent', { recipientIds: [r.recipientId] })),
                  ]),
          ),
        ),
      ),
    );
  }

  async function stuckAction(action, body) {
    const out = await api(`/api/campaigns/${state.campaign.id}/letters/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const done = out.resent || out.marked || [];
    $('stuck-result').textContent =
      `${done.length} letter${done.length === 1 ? '' : 's'} ${action === 'resend' ? 'sent again' : 'marked as sent'}.` +
      out.refused.map((x) => ` Not done: ${x.reason}.`).join('');
    await Promise.all([loadStuck(), refresh(), loadGovernance()]);
  }

  /** The preflight report: each check, and what fixes a failed one. */
  async function runPreflight() {
    const report = await api(`/api/campaigns/${state.campaign.id}/preflight`);
    const list = $('preflight');
    list.hidden = false;
    list.replaceChildren(
      el('li', {}, report.ok ? 'Ready to send.' : 'Not ready: SES would refuse this campaign.'),
      ...report.checks.map((c) =>
        el(
          'li',
          { 'data-check': c.id, class: c.ok ? 'ok' : 'fail' },
          `${c.ok ? '✓' : '✗'} ${c.id}: ${c.detail}${c.ok || !c.fix ? '' : ` — to fix: ${c.fix}`}`,
        ),
      ),
    );
  }

  const AUDIENCES = {
    'not-opened': 'who have not opened',
    'opened-not-replied': 'who opened and have not replied',
    'not-replied': 'who have not replied',
    'soft-bounced': 'whose letter soft-bounced',
  };

  /** The plan (expected finish against the deadline), letters held for office hours, follow-ups (issue 10). */
  async function loadPlan() {
    const v = await api(`/api/campaigns/${state.campaign.id}/plan`);
    const p = v.plan;
    const summary = $('plan-summary');
    summary.classList.remove('error');
    if (!p) summary.textContent = 'No plan: the campaign was launched without one.';
    else if (!p.feasible) {
      summary.textContent = v.text || 'The letters do not all fit in office hours before the deadline.';
      summary.classList.add('error');
    } else if (p.letters === 0) summary.textContent = 'No letters left to plan.';
    else {
      const margin = v.marginMinutes;
      const spare =
        margin >= 1440
          ? `${Math.floor(margin / 1440)} d ${Math.floor((margin % 1440) / 60)} h`
          : `${Math.floor(margin / 60)} h ${margin % 60} min`;
      summary.textContent =
        `${v.source === 'draft' ? 'If scheduled now: ' : 'Planned: '}` +
        `${p.letters} letters from ${fmtDate(p.start)}, the last sent by ${fmtDate(p.finish)}, ` +
        `${spare} before the deadline (${fmtDate(p.deadline)}); ${Math.round(p.rate * 100) / 100} letters/second.`;
    }
    const hours = v.officeHours;
    const hm = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    $('plan-held').textContent = hours
      ? `Sending in office hours ${hm(hours.hours.start)}–${hm(hours.hours.end)}, in each recipient's own time zone. ` +
        `${v.held} letter${v.held === 1 ? '' : 's'} waiting for an office to open.`
      : '';
    const zones = $('plan-zones');
    zones.hidden = !p || !p.zones.length;
    const local = (iso, zone) =>
      iso ? new Date(iso).toLocaleString(undefined, { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' }) : '';
    zones.querySelector('tbody').replaceChildren(
      ...(p ? p.zones : []).map((z) =>
        el('tr', {}, el('td', {}, z.zone), el('td', {}, z.letters), el('td', {}, local(z.first, z.zone)), el('td', {}, local(z.last, z.zone))),
      ),
    );
    const body = $('followups').querySelector('tbody');
    body.replaceChildren(
      ...v.followUps.map((f) =>
        el(
          'tr',
          {},
          el('td', {}, el('a', { href: `#/c/${encodeURIComponent(f.id)}` }, f.subject)),
          el('td', {}, `recipients ${AUDIENCES[f.audience] || f.audience || ''}`),
          el('td', {}, f.status),
          el('td', {}, f.scheduledAt ? fmtDate(f.scheduledAt) : ''),
        ),
      ),
    );
    if (!v.followUps.length) body.append(el('tr', {}, el('td', { colspan: '4' }, 'No follow-ups.')));
  }

  /** The current version and its approvals, stale officials' addresses, and the audit log (issue 11). */
  async function loadGovernance() {
    const id = state.campaign.id;
    const [v, targets, audit] = await Promise.all([
      api(`/api/campaigns/${id}/versions`),
      api(`/api/campaigns/${id}/targets`),
      api(`/api/campaigns/${id}/audit`),
    ]);
    const current = v.versions[v.versions.length - 1];
    // The version the person sees is the one the approve button approves (the server refuses a changed one).
    state.versionHash = current ? current.hash : undefined;
    const approvers = v.approvals.map((a) => a.approverEmail || a.approver).join(', ');
    $('gov-version').textContent = current
      ? `Version ${current.number} (${current.hash.slice(0, 12)}) by ${current.authorEmail || current.author}; ` +
        (approvers ? `approved by ${approvers}.` : 'not approved yet') +
        (v.mode === 'two-person' ? ' Two-person approval: another campaigner approves.' : '')
      : 'No version recorded yet.';
    $('gov-targets').hidden = !targets.warning;
    $('gov-targets').textContent = targets.warning || '';
    const body = $('audit').querySelector('tbody');
    body.replaceChildren(
      ...audit.items.map((e) =>
        el(
          'tr',
          {},
          el('td', {}, fmtDate(e.at)),
          el('td', {}, e.actorEmail ? `${e.actorEmail} (${e.actor})` : e.actor),
          el('td', {}, e.action),
          el('td', {}, e.detail || ''),
        ),
      ),
    );
  }

  async function exportAudit() {
    try {
      const res = await fetch(`/api/campaigns/${state.campaign.id}/audit.csv`, {
        headers: { authorization: `Bearer ${token()}` },
      });
      if (!res.ok) throw new Error(`export failed: HTTP ${res.status}`);
      download(await res.blob(), `demarche-${state.campaign.id}-audit.csv`);
      await loadGovernance();
    } catch (err) {
      showError(err.message);
    }
  }

  /** Stats, splits and chart; repeats every 5 s while the campaign is sending or scheduled. */
  async function refresh() {
    const id = state.campaign.id;
    const [stats, splits, series] = await Promise.all([
      api(`/api/campaigns/${id}/stats`),
      api(`/api/campaigns/${id}/splits`),
      api(`/api/campaigns/${id}/series`),
    ]);
    $('c-status').textContent = stats.status;
    $('c-status').dataset.status = stats.status;
    // Why it is paused and, when SES refused the account, what fixes it.
    $('c-paused').hidden = !stats.pausedReason;
    const reason = stats.pausedReason || '';
    $('c-paused').textContent = reason && reason.charAt(0).toUpperCase() + reason.slice(1);
    renderFunnel(stats.funnel);
    renderSplits(splits);
    renderChart(series);
    updateControls(stats.status);
    const live = stats.status === 'sending' || stats.status === 'scheduled';
    $('c-refresh').textContent = live
      ? `Updating every 5 seconds while the campaign is ${stats.status}. Last read ${fmtDate(stats.readAt)}.`
      : `Read ${fmtDate(stats.readAt)}.`;
    if (live && !state.timer)
      state.timer = setInterval(
        () => Promise.all([refresh(), loadPlan()]).catch((e) => showError(e.message)),
        5000,
      );
    if (!live && state.timer) {
      clearInterval(state.timer);
      state.timer = undefined;
    }
  }

  const FUNNEL = [
    ['recipients', 'Recipients'],
    ['sent', 'Sent'],
    ['delivered', 'Delivered'],
    ['opened', 'Opened (people)'],
    ['clicked', 'Clicked'],
    ['replied', 'Replied'],
    ['bounced', 'Bounced'],
    ['complained', 'Complaints'],
  ];

  function renderFunnel(f) {
    const total = Math.max(1, f.recipients);
    $('funnel-body').replaceChildren(
      ...FUNNEL.map(([key, label]) => {
        const share = Math.round((1000 * f[key]) / total) / 10;
        const bar = el('span', { class: 'bar', 'aria-hidden': 'true' });
        bar.style.width = `${Math.min(100, share) * 2}px`;
        return el(
          'tr',
          { 'data-step': key },
          el('th', { scope: 'row' }, label),
          el('td', { class: 'count' }, f[key]),
          el('td', {}, bar, `${share} %`),
        );
      }),
    );
    $('funnel-extra').textContent =
      `Machine opens (privacy proxies, scanners) counted apart: ${f.openedMachine}. ` +
      `Failed ${f.failed}, suppressed ${f.suppressed}, expired ${f.expired}, unknown ${f.unknown}, unsubscribed ${f.unsubscribed}.`;
  }

  const SPLIT_COLS = [
    'recipients',
    'sent',
    'delivered',
    'opened',
    'clicked',
    'replied',
    'bounced',
    'complained',
  ];

  function renderSplits(s) {
    for (const [tableId, rows, first] of [
      ['by-group', s.byGroup, 'Group'],
      ['by-country', s.byCountry, 'Country'],
    ]) {
      const t = $(tableId);
      t.tHead.replaceChildren(
        el(
          'tr',
          {},
          el('th', { scope: 'col' }, first),
          ...SPLIT_COLS.map((c) => el('th', { scope: 'col' }, c)),
        ),
      );
      t.tBodies[0].replaceChildren(
        ...rows.map((r) =>
          el(
            'tr',
            {},
            el('th', { scope: 'row' }, r.key),
            ...SPLIT_COLS.map((c) => el('td', {}, r[c])),
          ),
        ),
      );
    }
    $('splits-note').textContent = s.complete
      ? `Computed from all ${s.scanned} recipient records (the funnel above comes from the counters).`
      : `Computed from the first ${s.scanned} recipient records only: this campaign is larger; the funnel above covers everyone.`;
  }

  function renderChart(s) {
    const box = $('chart');
    if (typeof uPlot === 'undefined') {
      $('chart-note').textContent = 'The chart library did not load.';
      return;
    }
    const data = [s.t, s.sent, s.delivered, s.opened, s.replied];
    const opts = {
      width: Math.max(320, box.clientWidth || 800),
      height: 240,
      scales: { x: { time: true, range: (_u, min) => [min, Math.max(s.deadline, min + 60)] } },
      series: [
        {},
        { label: 'Sent', stroke: '#6b7280', width: 2 },
        { label: 'Delivered', stroke: '#1d4ed8', width: 2 },
        { label: 'Opened', stroke: '#047857', width: 2 },
        { label: 'Replied', stroke: '#b45309', width: 2 },
      ],
      hooks: {
        draw: [
          (u) => {
            const x = u.valToPos(s.deadline, 'x', true);
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = '#a4161a';
            ctx.setLineDash([6, 4]);
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.restore();
          },
        ],
      },
    };
    if (state.chart) state.chart.destroy();
    box.replaceChildren();
    state.chart = new uPlot(opts, data, box);
    $('chart-note').textContent =
      `Dashed line: the deadline. ${s.complete ? '' : `From the first ${s.scanned} recipients only.`}`;
  }

  function updateControls(status) {
    const allowed = {
      approve: ['draft', 'scheduled'],
      launch: ['draft', 'scheduled'],
      pause: ['sending'],
      resume: ['paused'],
      cancel: ['draft', 'scheduled', 'sending', 'paused'],
      preview: ['draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled', 'expired'],
    };
    for (const b of document.querySelectorAll('#controls [data-action]'))
      b.disabled = !allowed[b.dataset.action].includes(status);
    $('schedule-form').querySelector('button').disabled = status !== 'draft';
  }

  async function control(action) {
    const id = state.campaign.id;
    if (
      action === 'cancel' &&
      !window.confirm('Cancel this campaign? Letters not yet sent will never be sent.')
    )
      return;
    try {
      const out = await api(`/api/campaigns/${id}/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: action === 'approve' ? JSON.stringify({ hash: state.versionHash }) : '{}',
      });
      if (action === 'preview') {
        $('preview').hidden = false;
        $('preview-subject').textContent = out.subject;
        $('preview-to').textContent = out.to;
        $('preview-text').textContent = out.text;
        $('control-result').textContent = 'Preview ready below.';
      } else {
        $('control-result').textContent = `Done: ${action}.`;
        await Promise.all([refresh(), loadGovernance()]);
      }
    } catch (err) {
      $('control-result').textContent = err.message;
    }
  }

  function filterQuery() {
    const q = new URLSearchParams();
    for (const [k, v] of new window.FormData($('filters'))) if (v) q.set(k, String(v).trim());
    return q;
  }

  async function loadRecipients(reset) {
    const q = filterQuery();
    q.set('limit', '50');
    if (!reset && state.cursor) q.set('cursor', state.cursor);
    const page = await api(`/api/campaigns/${state.campaign.id}/recipients?${q}`);
    const body = $('recipients-body');
    if (reset) body.replaceChildren();
    for (const r of page.items) {
      const name = el(
        'button',
        { type: 'button', class: 'linklike', on: { click: () => openTimeline(r.id) } },
        r.name,
      );
      body.append(
        el(
          'tr',
          { 'data-recipient': r.id },
          el('td', {}, name),
          el('td', {}, r.organisation || ''),
          el('td', {}, r.group),
          el('td', {}, r.country || ''),
          el('td', {}, r.attempt ? `${r.state} (to fallback ${r.attempt})` : r.state),
          el('td', {}, r.openedAt || r.firstOpenedAt ? 'yes' : ''),
          el('td', {}, r.repliedAt || r.firstRepliedAt ? 'yes' : ''),
        ),
      );
    }
    state.cursor = page.cursor;
    $('more').hidden = !page.cursor;
    $('rcpt-note').textContent = body.children.length
      ? `${body.children.length} shown.`
      : 'No recipient matches these filters.';
  }

  async function openTimeline(rid) {
    const out = await api(
      `/api/campaigns/${state.campaign.id}/recipients/${encodeURIComponent(rid)}`,
    );
    $('timeline').hidden = false;
    $('timeline-h').textContent = `Timeline: ${out.recipient.name} <${out.recipient.email}>`;
    $('timeline-list').replaceChildren(
      ...(out.timeline.length
        ? out.timeline.map((e) =>
            el(
              'li',
              {},
              el('time', { datetime: e.at }, fmtDate(e.at)),
              ` ${e.what}${e.detail ? ` (${e.detail})` : ''}`,
            ),
          )
        : [el('li', {}, 'Nothing recorded yet.')]),
    );
    $('timeline').focus();
  }

  async function loadReplies() {
    const { items } = await api(`/api/campaigns/${state.campaign.id}/replies?limit=100`);
    $('replies-empty').hidden = items.length > 0;
    $('replies-list').replaceChildren(
      ...items.map((r) => {
        const weak = r.match && !r.match.counts && r.match.by === 'sender';
        return el(
          'li',
          { 'data-reply': r.id },
          el(
            'button',
            { type: 'button', class: 'linklike', on: { click: () => openReply(r.id) } },
            r.subject || '(no subject)',
          ),
          ` from ${r.from ? `${r.from.name} <${r.from.address}>` : 'unknown sender'} · ${r.kind} · ${fmtDate(r.receivedAt)}`,
          ...(weak
            ? [' · ', el('span', { class: 'weak' }, r.match.confirmedBy ? 'weak match, confirmed' : 'weak match, unconfirmed')]
            : []),
        );
      }),
    );
  }

  async function openReply(replyId) {
    const r = await api(
      `/api/campaigns/${state.campaign.id}/replies/${encodeURIComponent(replyId)}`,
    );
    state.reply = r;
    $('reply').hidden = false;
    $('reply-subject').textContent = r.subject || '(no subject)';
    $('reply-from').textContent = r.from ? `${r.from.name} <${r.from.address}>` : 'unknown sender';
    $('reply-kind').textContent = r.rejectReason ? `${r.kind}: ${r.rejectReason}` : r.kind;
    $('reply-match').textContent = r.match ? r.match.label : '';
    $('reply-match').className = r.match && !r.match.counts ? 'match weak' : 'match';
    $('reply-sender').textContent = r.authenticity ? `Sender: ${r.authenticity.summary}` : '';
    const confirmable =
      r.match && r.match.by === 'sender' && r.recipientId && !r.match.confirmedBy && r.kind === 'human';
    $('reply-confirm-box').hidden = !confirmable;
    $('reply-confirm-result').textContent = '';
    $('reply-text').textContent = r.text;
    $('reply-attachments').textContent = (r.attachments || []).length
      ? `Attachments: ${r.attachments.map((a) => `${a.filename} (${a.size} bytes)`).join(', ')}`
      : '';
    $('reply-raw').setAttribute('href', r.rawUrl);
    $('reply').focus();
  }

  async function confirmReply() {
    const r = state.reply;
    try {
      const out = await api(
        `/api/campaigns/${state.campaign.id}/replies/${encodeURIComponent(r.id)}/confirm`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
      );
      await Promise.all([openReply(r.id), loadReplies(), refresh()]);
      // Said after the reply is shown again (opening it clears the line).
      $('reply-match').textContent += out.counted
        ? ' — confirmed now: it counts as this recipient’s reply.'
        : ' — confirmed now (the recipient had already replied: counted once).';
    } catch (err) {
      $('reply-confirm-result').textContent = err.message;
    }
  }

  async function rawMessage(ev) {
    ev.preventDefault();
    try {
      // The bytes as received: read as a blob, never decoded to text and encoded again.
      const res = await fetch($('reply-raw').getAttribute('href'), {
        headers: { authorization: `Bearer ${token()}` },
      });
      if (!res.ok) throw new Error(`raw message: HTTP ${res.status}`);
      download(await res.blob(), 'reply.eml');
    } catch (err) {
      showError(err.message);
    }
  }

  function download(blob, name) {
    const a = el('a', { href: URL.createObjectURL(blob), download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }

  async function exportCsv() {
    try {
      const res = await fetch(`/api/campaigns/${state.campaign.id}/export.csv`, {
        headers: { authorization: `Bearer ${token()}` },
      });
      if (!res.ok) throw new Error(`export failed: HTTP ${res.status}`);
      download(await res.blob(), `demarche-${state.campaign.id}.csv`);
    } catch (err) {
      showError(err.message);
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('login-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const t = $('token-input').value.trim();
      if (t) sessionStorage.setItem(TOKEN_KEY, t);
      route();
    });
    $('sso').addEventListener('click', () => startLogin().catch((e) => showError(e.message)));
    $('signout').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      if (state.login) {
        const q = new URLSearchParams({
          client_id: state.login.clientId,
          logout_uri: redirectUri(),
        });
        location.assign(`${state.login.logoutUrl}?${q}`);
        return;
      }
      location.hash = '#/';
      route();
    });
    $('filters').addEventListener('submit', (ev) => {
      ev.preventDefault();
      loadRecipients(true).catch((e) => showError(e.message));
    });
    $('more').addEventListener('click', () =>
      loadRecipients(false).catch((e) => showError(e.message)),
    );
    $('export').addEventListener('click', exportCsv);
    $('audit-export').addEventListener('click', exportAudit);
    $('preflight-run').addEventListener('click', () =>
      runPreflight().catch((e) => showError(e.message)),
    );
    $('reply-raw').addEventListener('click', rawMessage);
    $('reply-confirm').addEventListener('click', confirmReply);
    for (const b of document.querySelectorAll('#controls [data-action]'))
      b.addEventListener('click', () => control(b.dataset.action));
    $('schedule-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const local = $('schedule-at').value;
      const anyTime = $('schedule-any').checked;
      try {
        const out = await api(`/api/campaigns/${state.campaign.id}/schedule`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...(local ? { at: new Date(local).toISOString() } : {}), anyTime }),
        });
        $('control-result').textContent = `Scheduled to launch ${fmtDate(out.scheduledAt)}. ${out.planText || ''}`;
        await Promise.all([refresh(), loadPlan()]);
      } catch (err) {
        $('control-result').textContent = err.message;
      }
    });
    window.addEventListener('hashchange', route);
    route();
  });
})();
