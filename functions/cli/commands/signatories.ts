/**
 * `demarche signatories CAMPAIGN [--state S] [--csv | --json]`: a campaign's
 * co-signing organisations through the staff API (the same data as
 * `GET /api/campaigns/:id/signon` and `…/signatories.csv`), in the letter's
 * order, with their state and possible duplicates.
 */
import type { DuplicateFlag } from '../../core/signon/list.js';
import type { Signatory, SignonSettings } from '../../core/signon/model.js';
import type { ActorOptions } from './governance.js';
import { withClient } from './status.js';

interface Listing {
  settings: SignonSettings | null;
  inviteUrl?: string;
  openLetterUrl?: string;
  locked: number;
  counts: Record<string, number>;
  items: (Signatory & { duplicates: DuplicateFlag[] })[];
}

export async function signatoriesCommand(
  campaignId: string,
  opts: ActorOptions & { csv?: boolean; state?: string },
): Promise<void> {
  await withClient(opts, async (client) => {
    const id = encodeURIComponent(campaignId);
    const q = opts.state ? `?state=${encodeURIComponent(opts.state)}` : '';
    if (opts.csv) {
      process.stdout.write(
        (await client.text('GET', `/api/campaigns/${id}/signatories.csv${q}`)).replace(
          /^\uFEFF/,
          '',
        ),
      );
      return;
    }
    const data = await client.call<Listing>('GET', `/api/campaigns/${id}/signon${q}`);
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
      return;
    }
    const s = data.settings;
    process.stdout.write(
      s
        ? `Sign-on ${s.state}${s.state === 'open' ? ` until ${s.closesAt}` : ` since ${s.closedAt ?? '?'}`}; invite link: ${data.inviteUrl}\n`
        : 'Sign-on was never opened for this campaign.\n',
    );
    if (s?.openLetter?.on)
      process.stdout.write(`Open-letter page on (shown once sent): ${data.openLetterUrl}\n`);
    process.stdout.write(
      `${Object.entries(data.counts)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}; ${data.locked} in the statement's current version\n`,
    );
    const names = new Map(data.items.map((x) => [x.id, x.displayName]));
    for (const x of data.items) {
      const latin = x.latin ? ` (${x.latin})` : '';
      // After the send-out: the copy of the letter and the delivery summary, as far as they went.
      const after = (['copy', 'summary'] as const)
        .map((m) => {
          const error = x[`${m}Error`];
          if (error) return `${m} failed: ${error}`;
          return x[`${m}MessageId`] ? `${m} sent` : x[`${m}At`] ? `${m} sending` : '';
        })
        .filter(Boolean)
        .join(', ');
      const dup = x.duplicates.length
        ? `  possible duplicate of ${x.duplicates.map((d) => `${names.get(d.other) ?? d.other} (${d.reason})`).join(', ')}`
        : '';
      process.stdout.write(
        `${x.state.padEnd(9)} ${x.initiator ? '★ ' : ''}${x.displayName}${latin} — ${x.country}  <${x.contactEmail}>  ${x.id}${after ? `  (${after})` : ''}${dup}\n`,
      );
    }
  });
}
