/**
 * Writing a follow-up from the campaign page, for campaigners: who gets it
 * (by what they did with the first letter), its text (plain text, or
 * Markdown with its own front matter), an optional subject ("Re: …" when
 * left empty) and when it goes out, read in the campaign's zone. The server
 * keeps the original's sender, reply domain and deadline, and copies each
 * recipient's source and verification fields; the follow-up is a campaign
 * of its own that needs approving like any, linked to this one both ways.
 */
import { useState } from 'preact/hooks';
import { campaignPath, post } from '../api/client.js';
import type { CampaignSummary } from '../api/types.js';
import { localInputToIso, zoneCity } from '../format/time.js';
import { campaignHref } from '../route.js';
import { useZone } from '../ui/context.js';
import { useFocusTarget } from '../ui/hooks.js';
import { useCampaign } from './data.js';

export const AUDIENCE_CHOICES: [string, string][] = [
  ['not-replied', 'everyone who has not replied (opened or not)'],
  ['not-opened', 'who have not opened it (nor replied)'],
  ['opened-not-replied', 'who opened it and have not replied'],
  ['soft-bounced', 'whose letter bounced for a while and was not delivered'],
];

export function FollowUpForm() {
  const data = useCampaign();
  const zone = useZone();
  const c = data.detail!;
  const [audience, setAudience] = useState('not-replied');
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [at, setAt] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ text: string; bad?: boolean; id?: string }>();
  const [ref, focus] = useFocusTarget<HTMLParagraphElement>();
  const iso = at ? localInputToIso(at, zone) : undefined;

  async function submit() {
    setBusy(true);
    try {
      const out = await post<{ campaign: CampaignSummary; version: { number: number } }>(
        campaignPath(c.id, '/follow-ups'),
        {
          statement: text,
          statementName: 'follow-up.txt',
          translations: [],
          audience,
          at: iso,
          ...(subject.trim() ? { subject: subject.trim() } : {}),
        },
      );
      setText('');
      setSubject('');
      setResult({
        text: `Follow-up created as version ${out.version.number}: it goes out once approved.`,
        id: out.campaign.id,
      });
    } catch (err) {
      setResult({ text: `Not created: ${(err as Error).message}`, bad: true });
    } finally {
      setBusy(false);
      await data.refresh({ changed: true });
      focus();
    }
  }

  return (
    <form
      id="follow-up-form"
      class="stack"
      aria-labelledby="fu-h"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3 id="fu-h">Write a follow-up</h3>
      <label for="fu-audience">To the recipients</label>
      <select
        id="fu-audience"
        value={audience}
        onChange={(e) => setAudience((e.target as HTMLSelectElement).value)}
      >
        {AUDIENCE_CHOICES.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <label for="fu-subject">Subject (empty: “Re: {c.subject}”)</label>
      <input
        id="fu-subject"
        maxLength={300}
        value={subject}
        onInput={(e) => setSubject((e.target as HTMLInputElement).value)}
      />
      <label for="fu-text">Text (plain text, or Markdown with its own front matter)</label>
      <textarea
        id="fu-text"
        rows={6}
        required
        value={text}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
      />
      <label for="fu-at">Goes out at ({zoneCity(zone)} time, before the deadline)</label>
      <input
        id="fu-at"
        type="datetime-local"
        required
        value={at}
        onInput={(e) => setAt((e.target as HTMLInputElement).value)}
      />
      <button type="submit" id="fu-create" disabled={busy || !text.trim() || !iso}>
        Create the follow-up
      </button>
      <p
        id="fu-result"
        role="status"
        tabIndex={-1}
        ref={ref}
        class={result?.bad ? 'error' : undefined}
      >
        {result?.text ?? ''}
        {result?.id ? (
          <>
            {' '}
            <a href={campaignHref(result.id, 'controls')} id="fu-open">
              Open it to ask for approval
            </a>
          </>
        ) : null}
      </p>
    </form>
  );
}
