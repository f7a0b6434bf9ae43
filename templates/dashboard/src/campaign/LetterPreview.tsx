/**
 * The letter exactly as one recipient gets it: the server renders it (POST
 * …/preview, the sender's own code), the page shows the HTML in a sandboxed
 * frame at a desktop mail client's width and a phone's (375 px), with the
 * headers that matter (From, Reply-To, List-Unsubscribe) and the text part.
 *
 * The frame is the only place HTML from the server is shown. It is created
 * with `sandbox` (empty: no scripts, no forms, no pop-ups, no navigation of
 * the page, an origin of its own) before its content is set, and its content
 * is a srcdoc, which inherits the page's CSP: it can load no image but data:
 * ones and open no address, so a preview counts no open and follows no link.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { campaignPath, get, post } from '../api/client.js';
import type { Preview, RecipientDetail, RecipientRow, RecipientsPage } from '../api/types.js';
import { GROUP_LABELS } from '../format/labels.js';
import { previewHtml } from '../format/letter.js';
import { campaignHref } from '../route.js';
import { useMe } from '../ui/context.js';
import { useFocusTarget, useLoad } from '../ui/hooks.js';
import { Problem } from '../ui/parts.js';
import { useCampaign } from './data.js';

const WIDTHS = { desktop: 700, phone: 375 } as const;
type Width = keyof typeof WIDTHS;

/** The sandboxed frame, made by hand so `sandbox` is in place before the letter loads. */
function LetterFrame(props: { html: string; width: number; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const frame = document.createElement('iframe');
    frame.setAttribute('sandbox', '');
    frame.setAttribute('referrerpolicy', 'no-referrer');
    frame.id = 'preview-frame';
    frame.title = props.title;
    frame.width = String(props.width);
    frame.height = '900';
    frame.srcdoc = previewHtml(props.html);
    box.current?.replaceChildren(frame);
  }, [props.html, props.width, props.title]);
  // Focusable, so the letter can be scrolled from the keyboard when it is wider than the screen.
  return <div class="frame-box" ref={box} role="region" aria-label={props.title} tabIndex={0} />;
}

function pickLabel(r: RecipientRow): string {
  return [r.name, r.organisation, GROUP_LABELS[r.group] ?? r.group, r.language]
    .filter(Boolean)
    .join(' · ');
}

/**
 * A [TEST] copy of the letter shown, to the signed-in person's own address
 * (the server takes the address from the sign-in, never from the page).
 */
function TestSend(props: { campaignId: string; recipientId?: string; name?: string }) {
  const me = useMe();
  const [result, setResult] = useState<{ text: string; bad?: boolean }>();
  const [busy, setBusy] = useState(false);
  const [ref, focus] = useFocusTarget<HTMLParagraphElement>();
  async function send() {
    setBusy(true);
    try {
      const out = await post<{ to: string; subject: string }>(
        campaignPath(props.campaignId, '/test-send'),
        props.recipientId ? { recipientId: props.recipientId } : {},
      );
      setResult({ text: `Sent to ${out.to}: “${out.subject}”. Open it in your mail program.` });
    } catch (err) {
      setResult({ text: `Not sent: ${(err as Error).message}`, bad: true });
    } finally {
      setBusy(false);
      focus();
    }
  }
  return (
    <p class="test-send">
      <button
        type="button"
        id="test-send"
        disabled={busy || !me?.email}
        onClick={() => void send()}
      >
        Send me this letter as a test
      </button>{' '}
      <span class="hint">
        {me?.email
          ? `${props.name ? `${props.name}'s letter` : 'This letter'}, marked [TEST], to ${me.email}.`
          : 'Your sign-in carries no email address to send a test to.'}
      </span>
      <span
        id="test-send-result"
        role="status"
        tabIndex={-1}
        ref={ref}
        class={result?.bad ? 'error' : undefined}
      >
        {result ? ` ${result.text}` : ''}
      </span>
    </p>
  );
}

export function LetterPreview(props: { params: Record<string, string> }) {
  const data = useCampaign();
  const wanted = props.params.r;
  const [width, setWidth] = useState<Width>(props.params.w === 'phone' ? 'phone' : 'desktop');
  const people = useLoad(async () => {
    const page = await get<RecipientsPage>(campaignPath(data.id, '/recipients?limit=200'));
    if (wanted && !page.items.some((r) => r.id === wanted)) {
      const one = await get<RecipientDetail>(
        campaignPath(data.id, `/recipients/${encodeURIComponent(wanted)}`),
      );
      return [one.recipient, ...page.items];
    }
    return page.items;
  }, [data.id, wanted]);
  const rid = wanted ?? people.data?.[0]?.id;
  const preview = useLoad(
    async () =>
      rid ? post<Preview>(campaignPath(data.id, '/preview'), { recipientId: rid }) : undefined,
    [data.id, rid, data.changes],
  );
  const p = preview.data;
  const person = people.data?.find((r) => r.id === rid);
  const unsubscribe = p?.headers?.['List-Unsubscribe'];
  const go = (params: Record<string, string>) => {
    location.hash = campaignHref(data.id, 'letter', { ...props.params, ...params });
  };
  return (
    <section id="letter" class="panel" aria-labelledby="letter-h">
      <h2 id="letter-h">The letter</h2>
      <div class="filters">
        <label>
          Recipient
          <select
            id="preview-recipient"
            value={rid ?? ''}
            onChange={(e) => go({ r: (e.target as HTMLSelectElement).value })}
          >
            {(people.data ?? []).map((r) => (
              <option key={r.id} value={r.id}>
                {pickLabel(r)}
              </option>
            ))}
          </select>
        </label>
        <div role="group" aria-label="Width" class="toggle">
          {(Object.keys(WIDTHS) as Width[]).map((w) => (
            <button
              key={w}
              type="button"
              data-width={w}
              aria-pressed={width === w}
              onClick={() => setWidth(w)}
            >
              {w === 'desktop' ? 'Desktop (700 px)' : 'Phone (375 px)'}
            </button>
          ))}
        </div>
      </div>
      <p class="hint">
        The first 200 recipients are listed; open anyone's timeline in the recipients table to
        preview their letter.
      </p>
      <Problem error={people.error ?? preview.error} />
      {p ? (
        <>
          <dl class="facts" id="preview-headers">
            <dt>Subject</dt>
            <dd id="preview-subject">{p.subject}</dd>
            <dt>From</dt>
            <dd>
              {p.from.name} &lt;{p.from.address}&gt;
            </dd>
            <dt>To</dt>
            <dd id="preview-to">{person ? `${person.name} <${p.to}>` : p.to}</dd>
            <dt>Reply-To</dt>
            <dd id="preview-reply-to">{p.replyTo}</dd>
            <dt>List-Unsubscribe</dt>
            <dd id="preview-unsubscribe">
              {unsubscribe ?? 'none: only NGO members get a one-click unsubscribe'}
            </dd>
          </dl>
          <TestSend campaignId={data.id} recipientId={rid} name={person?.name} />
          <h3>As it shows in a mail program</h3>
          <LetterFrame
            html={p.html}
            width={WIDTHS[width]}
            title={`The letter to ${person?.name ?? p.to}, ${WIDTHS[width]} pixels wide`}
          />
          <h3 id="text-part-h">The text part</h3>
          <pre id="preview-text" class="letter tall" tabIndex={0} aria-labelledby="text-part-h">
            {p.text}
          </pre>
        </>
      ) : preview.loading ? (
        <p class="muted">Rendering the letter…</p>
      ) : null}
    </section>
  );
}
