import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Campaign,
  type CampaignRecipient,
  emptyCounters,
} from '../../../../functions/core/campaign.js';
import type { Reply } from '../../../../functions/core/replies/types.js';
import { renderReportHtml } from '../../../../functions/core/report/html.js';
import { buildReport } from '../../../../functions/core/report/model.js';

const ALLOWED_TAGS = new Set(
  'html head meta title style body header div h1 h2 h3 h4 h5 h6 dl dt dd span section p ul ol li a em strong blockquote br table colgroup col thead tbody tr th td time footer'.split(
    ' ',
  ),
);

function tagsOf(html: string): Set<string> {
  return new Set(
    [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase()),
  );
}

function campaign(text: string): Campaign {
  return {
    id: 'c1',
    status: 'completed',
    statement: {
      title: `Title ${text}`,
      subject: `Subject ${text}`,
      from: { name: `Forum ${text}`, address: 'forum@demarche.example.org' },
      replyToDomain: 'replies.example.org',
      meeting: `Council ${text}`,
      deadline: '2027-03-10T09:00:00+01:00',
      language: 'en',
      signatories: [{ name: `Ana ${text}`, organisation: `Org ${text}` }],
      body: [
        { type: 'heading', level: 1, inlines: [{ text: `Heading ${text}` }] },
        {
          type: 'paragraph',
          inlines: [
            { text: `Body ${text}`, strong: true },
            { text: 'bad link', href: 'javascript:alert(1)' },
            { text: 'good link', href: 'https://example.org/?a=1&b="2"' },
          ],
        },
        { type: 'list', ordered: false, items: [[{ text: `Item ${text}` }]] },
      ],
    },
    languages: ['en'],
    recipientCount: 4,
    dryRun: false,
    createdAt: '2027-03-08T07:00:00Z',
    launchedAt: '2027-03-08T07:00:00Z',
  };
}

const rcpt = (
  id: string,
  over: Partial<CampaignRecipient> & Record<string, unknown>,
): CampaignRecipient =>
  ({
    id,
    campaignId: 'c1',
    email: `${id}@example.org`,
    name: `Name ${id}`,
    group: 'minister',
    state: 'sent',
    sentAt: '2027-03-08T07:00:00Z',
    ...over,
  }) as CampaignRecipient;

function reply(recipientId: string | undefined, kind: Reply['kind'], text: string): Reply {
  return {
    id: `rep-${recipientId}-${kind}`,
    ...(recipientId ? { campaignId: 'c1', recipientId } : {}),
    match: { by: 'token', strength: 'strong', detail: 'token' },
    kind,
    reasons: [],
    receivedAt: '2027-03-08T10:00:00Z',
    from: { name: `Cabinet ${text}`, address: 'cab@example.org' },
    envelopeTo: [],
    subject: `Re: ${text}`,
    text,
    attachments: [],
    raw: { key: 'k', size: 1, sha256: 'x' },
  };
}

describe('the report page', () => {
  it('marks a weak reply match as unconfirmed and a confirmed one as confirmed; strong ones carry no mark', () => {
    const weak: Reply = {
      ...reply('a', 'human', 'Possibly ours.'),
      id: 'weak',
      match: { by: 'sender', strength: 'weak', detail: '', senderAuthenticated: true },
    };
    const confirmed: Reply = {
      ...reply('b', 'human', 'Confirmed.'),
      id: 'conf',
      match: {
        ...weak.match,
        confirmedBy: 'carla@example.org',
        confirmedAt: '2027-03-08T12:00:00Z',
      },
    };
    const model = buildReport({
      campaign: campaign('x'),
      counters: { ...emptyCounters(), sent: 3, replied: 2 },
      recipients: [
        rcpt('a', { country: 'BE' }),
        rcpt('b', { country: 'BE' }),
        rcpt('c', { country: 'BE' }),
      ],
      replies: [weak, confirmed, reply('c', 'human', 'Strong.')],
      generatedAt: new Date('2027-03-09T00:00:00Z'),
    });
    const rows = model.groups.flatMap((g) => g.countries.flatMap((c) => c.rows));
    expect(rows.map((r) => r.replies.map((x) => x.match))).toEqual([
      ['weak'],
      ['confirmed'],
      ['strong'],
    ]);
    const html = renderReportHtml(model);
    expect(html).toContain('[weak match, unconfirmed: possibly from this recipient');
    expect(html).toContain('[weak match confirmed by carla@example.org on 2027-03-08: counts]');
    expect(html.match(/class="warn">\[/g)).toHaveLength(2);
  });

  it('escapes every value from outside, keeps only http(s) links, and allows no script', () => {
    const evil = `<script>alert("x")</script><img src=x onerror=alert(1)>&amp;'`;
    const model = buildReport({
      campaign: campaign(evil),
      counters: { ...emptyCounters(), sent: 3, delivered: 2, openedUnique: 1, replied: 1 },
      recipients: [
        rcpt('a', {
          name: evil,
          organisation: evil,
          title: evil,
          country: 'BE',
          deliveredAt: '2027-03-08T07:01:00Z',
        }),
        rcpt('b', { country: 'X<', state: 'failed', sentAt: undefined, failure: evil } as never),
      ],
      replies: [reply('a', 'human', evil)],
      generatedAt: new Date('2027-03-09T00:00:00Z'),
    });
    const html = renderReportHtml(model);
    for (const tag of tagsOf(html)) expect(ALLOWED_TAGS, tag).toContain(tag);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('javascript:');
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;&#39;',
    );
    expect(html).toContain('<a href="https://example.org/?a=1&amp;b=&quot;2&quot;">good link</a>');
    expect(html).toContain('refused: &lt;script&gt;');
    expect(html).toContain(
      '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';',
    );
  });

  it('escapes any text in any field (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const html = renderReportHtml(
          buildReport({
            campaign: campaign(text),
            counters: emptyCounters(),
            recipients: [rcpt('a', { name: text, organisation: text, country: 'FR' })],
            replies: [reply('a', 'human', text)],
            generatedAt: new Date('2027-03-09T00:00:00Z'),
          }),
        );
        for (const tag of tagsOf(html)) expect(ALLOWED_TAGS).toContain(tag);
      }),
      { numRuns: 200 },
    );
  });

  it('groups by institution then country, attaches replies, and takes the figures from the counters', () => {
    const model = buildReport({
      campaign: campaign('x'),
      counters: {
        ...emptyCounters(),
        sent: 40,
        delivered: 38,
        openedUnique: 20,
        replied: 5,
        bouncedHard: 2,
      },
      recipients: [
        rcpt('n1', { group: 'ngo', country: 'PL', name: 'Civic Watch' }),
        rcpt('m2', { group: 'minister', country: 'FR', name: 'Claire' }),
        rcpt('m0', { group: 'minister', name: 'Nobody' }),
        rcpt('m3', { group: 'minister', country: 'HR', name: 'Ivana' }),
        rcpt('m1', {
          group: 'minister',
          country: 'BE',
          name: 'Luc',
          repliedAt: '2027-03-08T10:00:00Z',
        }),
        rcpt('e1', {
          group: 'eu-institution',
          country: 'BE',
          name: 'EEAS',
          deliveryState: 'bouncedHard',
        }),
      ],
      replies: [
        reply('m1', 'human', 'We will raise it.'),
        reply('m1', 'auto-reply', 'I am away'),
        reply(undefined, 'human', 'who?'),
      ],
      generatedAt: new Date('2027-03-09T00:00:00Z'),
    });
    expect(model.groups.map((g) => [g.group, g.countries.map((c) => c.country)])).toEqual([
      // By English name: Belgium, Croatia (HR), France; no country last.
      ['minister', ['BE', 'HR', 'FR', '']],
      ['eu-institution', ['BE']],
      ['ngo', ['PL']],
    ]);
    expect(model.summary).toMatchObject({
      recipients: 4,
      sent: 40,
      delivered: 38,
      openedByPerson: 20,
      replied: 5,
      bounced: 2,
    });
    expect(model.unattachedReplies).toBe(1);
    const html = renderReportHtml(model);
    expect(html.indexOf('Belgium (BE)')).toBeLessThan(html.indexOf('France (FR)'));
    expect(html.indexOf('France (FR)')).toBeLessThan(html.indexOf('Country not given'));
    expect(html).toContain('<blockquote>We will raise it.</blockquote>');
    expect(html).toContain('automatic reply (out of office or acknowledgement)');
    expect(html).not.toContain('<blockquote>I am away');
    expect(html).toContain('bounced (address does not exist)');
    expect(html).toContain('1 further reply could not be tied to a recipient');
    expect(html).toContain('2 bounced');
    // Officials' letters carry no pixel by default: their opens are unknown, not "no".
    const luc = html.slice(html.indexOf('<strong>Luc')).split('</tr>')[0]!;
    expect(luc).toContain('not tracked');
    const ngo = html.slice(html.indexOf('<strong>Civic Watch')).split('</tr>')[0]!;
    expect(ngo).not.toContain('not tracked');
  });

  it('counts opens over the delivered letters that carried a pixel, and says who unsubscribed', () => {
    const delivered = (id: string, group: CampaignRecipient['group'], opened = false) =>
      rcpt(id, {
        group,
        deliveryState: 'delivered',
        deliveredAt: '2027-03-08T07:01:00Z',
        ...(opened ? { openedAt: '2027-03-08T09:00:00Z' } : {}),
      });
    const model = buildReport({
      // Ministers' letters carry no pixel; NGOs' do.
      campaign: { ...campaign('t'), tracking: { opens: false, groups: { ngo: { opens: true } } } },
      counters: {
        ...emptyCounters(),
        sent: 6,
        delivered: 6,
        openedUnique: 1,
        unsubscribed: 1,
        unsubscribedFollowUps: 2,
      },
      recipients: [
        delivered('m1', 'minister'),
        delivered('m2', 'minister'),
        delivered('m3', 'minister'),
        delivered('m4', 'minister'),
        delivered('n1', 'ngo', true),
        delivered('n2', 'ngo'),
      ],
      replies: [],
      generatedAt: new Date('2027-03-09T00:00:00Z'),
    });
    expect(model.summary.deliveredTracked).toBe(2);
    const html = renderReportHtml(model);
    // 1 of the 2 NGO letters with a pixel: 50 %, not 1 of 6 (17 %).
    expect(html).toMatch(
      /<span class="n">1<\/span><span class="label">opened by a person<\/span><span class="pct">50% of delivered letters with opens tracked/,
    );
    expect(html).toContain('1 unsubscribed from every letter; 2 unsubscribed from follow-ups only');
  });
});
