import { beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../functions/core/replies/types.js';
import {
  deliver,
  fixture,
  REPLY_DOMAIN,
  sentCampaign,
  tampered,
  type SentCampaign,
} from '../support/replies.js';
import { useRuntime } from '../support/runtime.js';

const runtime = useRuntime();

interface Case {
  name: string;
  file: string;
  /** Which recipient of the campaign writes it. */
  from: number;
  /** Envelope recipient: their signed reply address, an altered one, or a plain address on the reply domain. */
  to: 'token' | 'tampered' | 'info' | 'postmaster';
  nullSender?: boolean;
  kind: Reply['kind'];
  by: Reply['match']['by'];
  text?: string;
  contains?: string[];
  excludes?: string[];
}

const GMAIL_TEXT =
  'Thank you for your letter. The Minister will raise the situation in Belarus\nat the Council and has asked me to stay in touch with the Forum.\n\nBest regards,\nDesk officer for Eastern Europe';

const CASES: Case[] = [
  {
    name: 'Gmail quoting',
    file: 'gmail.eml',
    from: 0,
    to: 'token',
    kind: 'human',
    by: 'token',
    text: GMAIL_TEXT,
  },
  {
    name: 'Outlook "From: … Sent: …" block',
    file: 'outlook.eml',
    from: 1,
    to: 'token',
    kind: 'human',
    by: 'token',
    text: 'Dear colleagues,\n\nWe acknowledge your statement and will circulate it to the delegation before the meeting. A meeting with the Forum can be arranged in December.\n\nKind regards\n\nPolitical Director',
  },
  {
    name: 'Apple Mail quoting',
    file: 'apple-mail.eml',
    from: 2,
    to: 'token',
    kind: 'human',
    by: 'token',
    text: 'Received with thanks — we will reply formally after the Council.\n\nSent from my iPad',
  },
  {
    name: 'Thunderbird quoting (format=flowed, signature)',
    file: 'thunderbird.eml',
    from: 3,
    to: 'token',
    kind: 'human',
    by: 'token',
    contains: ['Could you send us the list of signatories', 'Unit for Human Rights'],
    excludes: ['Dear Minister', 'wrote:'],
  },
  {
    name: 'French reply (quoted-printable, "a écrit :")',
    file: 'french.eml',
    from: 4,
    to: 'token',
    kind: 'human',
    by: 'token',
    text: 'Madame, Monsieur,\n\nJe vous remercie de votre courrier. Le ministre a pris connaissance de votre déclaration ; la situation au Bélarus sera évoquée lors du Conseil.\n\nCordialement,\nLe cabinet du ministre',
  },
  {
    name: 'German reply (ISO-8859-1, "Am … schrieb …:")',
    file: 'german.eml',
    from: 5,
    to: 'token',
    kind: 'human',
    by: 'token',
    text: 'Sehr geehrte Damen und Herren,\n\nvielen Dank für Ihr Schreiben. Der Minister wird die Lage in Belarus beim Rat\nansprechen.\n\nMit freundlichen Grüßen\nReferat Osteuropa',
  },
  {
    name: 'reply with an attachment',
    file: 'attachment.eml',
    from: 6,
    to: 'token',
    kind: 'human',
    by: 'token',
    text: "Please find attached the Minister's reply to your statement.",
  },
  {
    name: 'no In-Reply-To, to the signed address',
    file: 'no-in-reply-to.eml',
    from: 7,
    to: 'token',
    kind: 'human',
    by: 'token',
    contains: ['We would\nwelcome a short briefing'],
  },
  {
    name: 'no In-Reply-To, no token, sender not authenticated: weak, unverified, not attached',
    file: 'no-in-reply-to.eml',
    from: 8,
    to: 'info',
    kind: 'human',
    by: 'sender',
  },
  {
    name: 'a colleague answering: In-Reply-To names the SES Message-ID (@email.amazonses.com)',
    file: 'colleague-in-reply-to.eml',
    from: 9,
    to: 'info',
    kind: 'human',
    by: 'message-id',
    text: 'Answering on behalf of the Minister, who is travelling: we support the\nstatement and will say so at the Council.',
  },
  {
    name: 'HTML-only reply with script and onerror: kept as plain text',
    file: 'hostile-html.eml',
    from: 10,
    to: 'token',
    kind: 'human',
    by: 'token',
    text: 'We agree.\nThanks & regards',
  },
  {
    name: 'Outlook out-of-office (Auto-Submitted)',
    file: 'ooo-outlook-en.eml',
    from: 11,
    to: 'token',
    kind: 'auto-reply',
    by: 'token',
  },
  {
    name: 'German out-of-office by its text',
    file: 'ooo-phrase-de.eml',
    from: 12,
    to: 'token',
    kind: 'auto-reply',
    by: 'token',
  },
  {
    name: 'French out-of-office by subject and text',
    file: 'ooo-phrase-fr.eml',
    from: 13,
    to: 'token',
    kind: 'auto-reply',
    by: 'token',
  },
  {
    name: 'English acknowledgement (Precedence: bulk)',
    file: 'auto-ack-en.eml',
    from: 14,
    to: 'token',
    kind: 'auto-reply',
    by: 'token',
  },
  {
    name: 'French acknowledgement by its text',
    file: 'auto-ack-fr.eml',
    from: 15,
    to: 'token',
    kind: 'auto-reply',
    by: 'token',
  },
  {
    name: 'DSN bounce (multipart/report) matched by the returned Message-ID',
    file: 'dsn.eml',
    from: 16,
    to: 'postmaster',
    nullSender: true,
    kind: 'bounce',
    by: 'message-id',
  },
  {
    name: 'forward',
    file: 'forward.eml',
    from: 17,
    to: 'token',
    kind: 'forward',
    by: 'token',
    text: 'FYI, passing this to the desk officer.',
  },
  {
    name: 'tampered token: never matched',
    file: 'gmail.eml',
    from: 18,
    to: 'tampered',
    kind: 'human',
    by: 'none',
  },
  {
    name: 'malformed MIME: stored as malformed, still attached by its token',
    file: 'malformed.eml',
    from: 19,
    to: 'token',
    kind: 'malformed',
    by: 'token',
  },
  {
    name: 'Outlook forward in French ("TR:", "De : … Envoyé : …" block): a forward, not counted',
    file: 'outlook-forward-fr.eml',
    from: 20,
    to: 'token',
    kind: 'forward',
    by: 'token',
    text: 'Pour information et suite à donner : merci de préparer des éléments de langage pour le ministre avant lundi.\n\nBien cordialement,\nSecrétariat du cabinet',
  },
  {
    name: 'Gmail forward in German ("Weitergeleitete Nachricht"): a forward, not counted',
    file: 'gmail-forward-de.eml',
    from: 21,
    to: 'token',
    kind: 'forward',
    by: 'token',
    text: 'Zur Kenntnis, bitte mit Referat 205 abstimmen.',
  },
  {
    name: 'Thunderbird answers between the quoted lines: each answer kept under the line it answers',
    file: 'thunderbird-interleaved.eml',
    from: 22,
    to: 'token',
    kind: 'human',
    by: 'token',
    contains: [
      'thank you, our answers are below.',
      '> 1. demand the immediate release of all political prisoners;\n\nThe Minister supports this and will say so at the Council.',
      '> 2. extend the targeted sanctions to those responsible for the violence;\n\nWe cannot commit to this before the working party has met on 3 December.',
      'Ministry of Foreign Affairs',
    ],
    excludes: ['wrote:', 'fund independent media', 'Sincerely'],
  },
  {
    name: 'Apple Mail answers between the quoted lines, in French',
    file: 'apple-interleaved-fr.eml',
    from: 23,
    to: 'token',
    kind: 'human',
    by: 'token',
    text: 'Bonjour,\n\n> 1. demand the immediate release of all political prisoners;\n\nOui, la France le demandera.\n\n> 2. extend the targeted sanctions to those responsible for the violence;\n\nC’est en discussion au groupe de travail.\n\nCordialement,\nLe cabinet',
  },
  {
    name: 'Gmail reply in Spanish ("El … escribió:" over two lines)',
    file: 'gmail-es.eml',
    from: 24,
    to: 'token',
    kind: 'human',
    by: 'token',
    text: 'Estimados señores:\n\nAcusamos recibo de su declaración; el Ministro la tendrá en cuenta en el Consejo.\n\nUn saludo,\nGabinete del Ministro',
  },
  {
    name: 'Outlook reply in German with a cid: logo and a PDF (base64, "Von: … Gesendet: …")',
    file: 'outlook-de-cid.eml',
    from: 25,
    to: 'token',
    kind: 'human',
    by: 'token',
    text: 'Sehr geehrte Damen und Herren,\n\nanbei die Stellungnahme des Ministers zu Ihrer Erklärung.\n\nMit freundlichen Grüßen\nReferat 205',
  },
  {
    name: 'a scanner’s reply with no text part: malformed, the defect named, not counted',
    file: 'no-text-part.eml',
    from: 26,
    to: 'token',
    kind: 'malformed',
    by: 'token',
  },
  {
    name: 'an Exchange non-delivery report at the reply address: a bounce that counts nothing',
    file: 'dsn-exchange.eml',
    from: 27,
    to: 'info',
    nullSender: true,
    kind: 'bounce',
    by: 'message-id',
  },
  {
    name: 'bidi overrides in the name, subject and attachment name: shown as visible markers',
    file: 'bidi.eml',
    from: 28,
    to: 'token',
    kind: 'human',
    by: 'token',
    text: 'Please see the attached invoice.',
  },
];

describe('replies delivered over SMTP to the local runtime', () => {
  let c: SentCampaign;
  const stored = new Map<string, Reply>();
  const queued = new Map<string, string>();

  beforeAll(async () => {
    c = await sentCampaign(runtime(), 30, 'rp6');
    for (const k of CASES) {
      const r = c.recipients[k.from]!;
      const token = c.replyTo.get(r.id)!;
      const to =
        k.to === 'token'
          ? token
          : k.to === 'tampered'
            ? tampered(token)
            : `${k.to}@${REPLY_DOMAIN}`;
      const res = await deliver(runtime(), fixture(k.file, r, to), {
        from: k.nullSender ? '' : r.email,
        to: [to],
      });
      expect(res.response).toMatch(/^250 /);
      queued.set(k.name, /queued as (\S+)/.exec(res.response)![1]!);
    }
    // Each SMTP answer names the message; its raw key ends with that name.
    const d = runtime().deps();
    const all = [
      ...(await d.replies.listReplies(c.id, { limit: 500 })).items,
      ...(await d.replies.listReplies(undefined, { limit: 500 })).items,
    ];
    for (const [name, id] of queued) {
      stored.set(
        name,
        all.find((r) => r.raw.key.endsWith(`/${id}`))!,
      );
    }
  }, 120_000);

  for (const k of CASES) {
    it(`${k.name}: ${k.kind}, matched by ${k.by}`, () => {
      const reply = stored.get(k.name)!;
      const r = c.recipients[k.from]!;
      expect(reply.kind).toBe(k.kind);
      expect(reply.match.by).toBe(k.by);
      if (k.by === 'none') {
        expect(reply.campaignId).toBeUndefined();
        expect(reply.recipientId).toBeUndefined();
        expect(reply.match.detail).toMatch(/failed verification/);
      } else if (k.by === 'sender') {
        // Nothing authenticates the From address (no DKIM signature, SPF fails for 127.0.0.1).
        expect(reply.campaignId).toBeUndefined();
        expect(reply.recipientId).toBeUndefined();
        expect(reply.match).toMatchObject({
          strength: 'weak',
          senderAuthenticated: false,
          candidate: { campaignId: c.id, recipientId: r.id },
        });
        expect(reply.authenticity).toMatchObject({
          checkedBy: 'amazonses.com',
          senderAuthenticated: false,
        });
      } else {
        expect(reply.campaignId).toBe(c.id);
        expect(reply.recipientId).toBe(r.id);
        expect(reply.match.strength).toBe('strong');
      }
      if (k.text !== undefined) expect(reply.text).toBe(k.text);
      for (const s of k.contains ?? []) expect(reply.text).toContain(s);
      for (const s of k.excludes ?? []) expect(reply.text).not.toContain(s);
      expect(reply.raw.size).toBeGreaterThan(100);
    });
  }

  it('keeps attachment names and sizes, and the raw message', async () => {
    const reply = stored.get('reply with an attachment')!;
    expect(reply.attachments).toEqual([
      { filename: 'Reply of the Minister.pdf', mimeType: 'application/pdf', size: 1380 },
    ]);
    const raw = await runtime().deps().rawStore.get(reply.raw.key);
    expect(Buffer.from(raw!).toString('latin1')).toContain('Content-Disposition: attachment');
  });

  it('keeps cid: images inline, names defects, and marks bidi and control characters', () => {
    const outlook = stored.get(
      'Outlook reply in German with a cid: logo and a PDF (base64, "Von: … Gesendet: …")',
    )!;
    expect(outlook.attachments).toEqual([
      { filename: 'Stellungnahme_Belarus.pdf', mimeType: 'application/pdf', size: 54 },
    ]);
    expect(outlook.inlineImages).toBe(1);
    const scan = stored.get(
      'a scanner’s reply with no text part: malformed, the defect named, not counted',
    )!;
    expect(scan.rejectReason).toBe(
      'no text part: the message holds application/pdf and no text/plain or text/html body',
    );
    const bidi = stored.get(
      'bidi overrides in the name, subject and attachment name: shown as visible markers',
    )!;
    expect(bidi.from!.name).toBe('Minister⟨U+202E⟩ Office');
    expect(bidi.subject).toBe('Re: Belarus ⟨U+202E⟩exe.pdf⟨U+202C⟩');
    expect(bidi.attachments[0]!.filename).toBe('invoice⟨U+202E⟩fdp.exe');
  });

  it('explains classifications and reads the delivery-status report', () => {
    expect(stored.get('Outlook out-of-office (Auto-Submitted)')!.reasons).toContain(
      'Auto-Submitted: auto-generated',
    );
    expect(stored.get('German out-of-office by its text')!.reasons.join(' ')).toMatch(
      /phrase \(de\): "ich bin derzeit nicht im büro"/,
    );
    expect(stored.get('French acknowledgement by its text')!.reasons.join(' ')).toMatch(
      /nous avons bien reçu votre message/,
    );
    const dsn = stored.get('DSN bounce (multipart/report) matched by the returned Message-ID')!;
    expect(dsn.bounce).toMatchObject({ permanent: true, action: 'failed', status: '5.1.1' });
    expect(dsn.bounce!.finalRecipient).toBe(c.recipients[16]!.email);
    const bad = stored.get('malformed MIME: stored as malformed, still attached by its token')!;
    // Line 1 of the message as sent; SES's (here the local server's) header lines sit above it.
    expect(bad.rejectReason).toMatch(/^malformed header line \d+: "From office/);
  });

  it('counts people with a strong match, not machines; a DSN at the reply address counts and suppresses nothing', async () => {
    const d = runtime().deps();
    const humans = new Set(
      CASES.filter((k) => k.kind === 'human' && (k.by === 'token' || k.by === 'message-id')).map(
        (k) => k.from,
      ),
    );
    const counters = await d.store.counters(c.id);
    expect(counters.replied).toBe(humans.size);
    expect(counters.bouncedHard).toBe(0);
    expect(await d.store.isSuppressed(c.recipients[16]!.email)).toBe(false);
    expect(await d.store.isSuppressed(c.recipients[27]!.email)).toBe(false);
    for (const i of [20, 21, 26]) {
      const r = await d.store.getRecipient(c.id, c.recipients[i]!.id);
      expect((r as unknown as Record<string, unknown>).repliedAt, `recipient ${i}`).toBeUndefined();
    }
    const weak = await d.store.getRecipient(c.id, c.recipients[8]!.id);
    expect((weak as unknown as Record<string, unknown>).repliedAt).toBeUndefined();
    const replier = await d.store.getRecipient(c.id, c.recipients[0]!.id);
    expect(replier).toMatchObject({ repliedAt: expect.any(String), lastReplyKind: 'human' });
    const ooo = await d.store.getRecipient(c.id, c.recipients[11]!.id);
    expect(ooo).toMatchObject({ lastReplyKind: 'auto-reply' });
    expect((ooo as unknown as Record<string, unknown>).repliedAt).toBeUndefined();
  });

  it('puts strong replies on the recipient timeline; a DSN from a mail system only as a note', async () => {
    const d = runtime().deps();
    const timeline = await d.events.timeline(c.id, c.recipients[0]!.id);
    expect(timeline.some((e) => (e.type as string) === 'reply')).toBe(true);
    const dsn = await d.events.timeline(c.id, c.recipients[16]!.id);
    const note = dsn.find((e) => (e.type as string) === 'reply')!;
    expect(note.reason).toMatch(
      /^delivery-status report \(status 5\.1\.1\) received at the reply address.*a note only/,
    );
    expect(dsn.some((e) => e.type === 'bounce')).toBe(false);
    // Nothing of the malformed message goes on the timeline.
    const scan = await d.events.timeline(c.id, c.recipients[26]!.id);
    expect(scan.some((e) => (e.type as string) === 'reply')).toBe(false);
  });

  it('lists a campaign’s replies newest first, paged, and filters by recipient', async () => {
    const d = runtime().deps();
    const all: Reply[] = [];
    let cursor: string | undefined;
    do {
      const page = await d.replies.listReplies(c.id, { limit: 7, cursor });
      all.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    expect(all).toHaveLength(CASES.filter((k) => k.by !== 'none' && k.by !== 'sender').length);
    const ids = all.map((r) => r.id);
    expect([...ids].sort().reverse()).toEqual(ids);
    const one = await d.replies.listReplies(c.id, { recipientId: c.recipients[6]!.id });
    expect(one.items.map((r) => r.subject)).toEqual([
      'Re: Belarus: joint statement ahead of the Foreign Affairs Council',
    ]);
    const got = await d.replies.getReply(c.id, one.items[0]!.id);
    expect(got?.attachments[0]?.filename).toBe('Reply of the Minister.pdf');
  });
});
