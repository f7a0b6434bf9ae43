/** A campaign's status as a word with its colour (the word carries the meaning; the colour only helps). */
const WORDS: Record<string, string> = {
  draft: 'draft',
  scheduled: 'scheduled',
  sending: 'sending',
  paused: 'paused',
  completed: 'completed',
  cancelled: 'cancelled',
  expired: 'expired',
};

export function StatusBadge(props: { status: string; id?: string }) {
  return (
    <span class="status" data-status={props.status} id={props.id}>
      {WORDS[props.status] ?? props.status}
    </span>
  );
}
