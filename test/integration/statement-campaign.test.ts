/**
 * A statement's front matter carries the campaign's staff address and
 * tracking switches into the stored campaign, and its structure (headings,
 * table, rule, image) into the compiled letter MJML accepts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCampaign } from '../../functions/core/launch.js';
import { importRecipients } from '../../functions/core/recipients.js';
import { parseStatement } from '../../functions/core/statement.js';
import { letterMjml } from '../support/fixtures.js';
import { useRuntime } from '../support/runtime.js';

const runtime = useRuntime();
const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/statements/${name}`, import.meta.url), 'utf8');

describe('a campaign from a structured statement', () => {
  it('stores staffAddress and tracking from the front matter, and compiles tables, rules and images', async () => {
    const statement = parseStatement(fixture('structured.md'), 'structured.md');
    const { recipients } = importRecipients(
      'email,name,group\nminister@mfa.example.se,Tobias Berg,minister\ninfo@ngo.example.org,Viasna,ngo\n',
    );
    const d = runtime().deps();
    const { campaign, templates } = await createCampaign(d, {
      statement,
      recipients,
      recipientCount: recipients.length,
      mjml: letterMjml(),
    });
    const stored = await d.store.getCampaign(campaign.id);
    expect(stored).toMatchObject({
      staffAddress: 'advocacy@coalition.example.org',
      tracking: { opens: false, groups: { ngo: { opens: true } } },
    });
    const html = templates[0]!.html;
    expect(html).toContain('Journalists detained</th>');
    expect(html).toContain('<hr style="border:0;border-top:1px solid #d0d7de;');
    expect(html).toContain('src="https://coalition.example.org/img/map-2026.png"');
    // The title shows once, in the letter's own heading; the body's repeat of it is gone.
    const headings = [...html.matchAll(/<h(\d)[^>]*>([^<]*)</g)].map((m) => [m[1], m[2]]);
    expect(
      headings.filter(([, t]) => t === 'Civic space in the Eastern Partnership is shrinking'),
    ).toEqual([['1', 'Civic space in the Eastern Partnership is shrinking']]);
    expect(headings).toContainEqual(['3', 'What we found']);
    expect(headings).toContainEqual(['4', 'Belarus']);
  });
});
