/**
 * What the stored list will do with this statement, said before approval:
 * rows asking for a language it has no translation for ("7 recipients asked
 * for pl, ru and uk: they will get the en letter."), and groups that a row's
 * title contradicts. The server reads the whole list (GET …/targets).
 */
import { useCampaign } from './data.js';

export function ListNotes(props: { id: string }) {
  const t = useCampaign().targets;
  if (!t?.untranslated && !t?.listWarnings?.length) return null;
  return (
    <div id={props.id} role="note" aria-label="What the list will do">
      <ul class="notes">
        {t.untranslated ? (
          <li class="warn" data-code="untranslated">
            {t.untranslated.text}
          </li>
        ) : null}
        {(t.listWarnings ?? []).map((w) => (
          <li key={w.code + w.message} class="warn" data-code={w.code}>
            {w.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
