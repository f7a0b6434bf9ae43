import { describe, expect, it } from 'vitest';
import { classify, readDeliveryStatus } from '../../../../functions/core/replies/classify.js';
import { newText, outlookBlockStart } from '../../../../functions/core/replies/extract.js';
import type { Campaign } from '../../../../functions/core/campaign.js';
import { staffForward } from '../../../../functions/core/replies/forward.js';
import { embeddedMessageIds, sesMessageId } from '../../../../functions/core/replies/match.js';
import {
  DEFAULT_LIMITS,
  htmlToText,
  messageIds,
  parseMessage,
  type ParsedMessage,
} from '../../../../functions/core/replies/parse.js';

const msg = (headers: string, body: string) => Buffer.from(`${headers.trim()}\n\n${body}`);

async function parsed(headers: string, body: string): Promise<ParsedMessage> {
  const p = await parseMessage(msg(headers, body));
  if (!p.ok) throw new Error(p.reason);
  return p.message;
}

describe('parsing under limits', () => {
  const ok = 'From: A <a@example.org>\nTo: reply+x@replies.example.org\nSubject: Re: hi';

  it('reads a plain message', async () => {
    const m = await parsed(ok + '\nIn-Reply-To: <id-1@eu-west-1.amazonses.com>', 'hello');
    expect(m.from).toEqual({ name: 'A', address: 'a@example.org' });
    expect(m.referenced).toEqual(['id-1@eu-west-1.amazonses.com']);
    expect(m.text.trim()).toBe('hello');
  });

  it('rejects, with the reason, what is too big, too deep, too many parts or not a message', async () => {
    const limits = { ...DEFAULT_LIMITS, maxBytes: 200 };
    expect(await parseMessage(msg(ok, 'x'.repeat(300)), limits)).toEqual({
      ok: false,
      kind: 'rejected',
      reason: expect.stringMatching(/^message is \d+ bytes, over the 200-byte limit$/),
    });
    const longHeader = `${ok}\nX-Pad: ${'y'.repeat(70_000)}`;
    expect(await parseMessage(msg(longHeader, 'b'))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/header section is .*over the 65536-byte limit/),
    });
    const manyParts =
      `${ok}\nContent-Type: multipart/mixed; boundary=b\n\n` +
      Array.from({ length: 120 }, (_, i) => `--b\nContent-Type: text/plain\n\npart ${i}\n`).join(
        '',
      ) +
      '--b--\n';
    expect(await parseMessage(Buffer.from(manyParts))).toMatchObject({
      ok: false,
      kind: 'rejected',
      reason: 'message has more than 100 MIME parts',
    });
    expect(await parseMessage(Buffer.from('just some text without headers'))).toMatchObject({
      ok: false,
    });
    expect(await parseMessage(msg('Subject: no sender', 'b'))).toEqual({
      ok: false,
      kind: 'malformed',
      reason: 'no From address',
    });
    expect(await parseMessage(Buffer.from(`From: a@b.org\0\nSubject: x\n\nb`))).toMatchObject({
      ok: false,
      reason: 'header section contains a NUL byte',
    });
    expect(await parseMessage(new Uint8Array())).toEqual({
      ok: false,
      kind: 'malformed',
      reason: 'empty message',
    });
  });

  it('turns HTML into text without running or keeping markup', () => {
    expect(
      htmlToText('<p>Hi &amp; bye</p><script>alert(1)</script><img src=x onerror=alert(2)>&#233;'),
    ).toBe('Hi & bye\né');
  });

  it('reads Message-IDs with or without brackets', () => {
    expect(messageIds('<a@b> <c@d>')).toEqual(['a@b', 'c@d']);
    expect(messageIds('a@b')).toEqual(['a@b']);
    expect(messageIds(undefined)).toEqual([]);
  });
});

describe('SES Message-IDs', () => {
  it('maps both SES spellings to the SES message id, and leaves others alone', () => {
    expect(sesMessageId('0102018c-aa-000000@email.amazonses.com')).toBe('0102018c-aa-000000');
    expect(sesMessageId('0102018c-aa-000000@eu-west-1.amazonses.com')).toBe('0102018c-aa-000000');
    expect(sesMessageId('x@amazonses.com.evil.example')).toBe('x@amazonses.com.evil.example');
    expect(sesMessageId('CAF3@mail.gmail.com')).toBe('CAF3@mail.gmail.com');
  });

  it('finds the Message-ID inside returned headers', () => {
    expect(embeddedMessageIds(['From: x\nMessage-ID:\n <abc@eu-west-1.amazonses.com>\n'])).toEqual([
      'abc@eu-west-1.amazonses.com',
    ]);
  });
});

describe('extracting the new text', () => {
  it('cuts Outlook header blocks in English, French and German', () => {
    for (const [from, sent, to, subject] of [
      ['From', 'Sent', 'To', 'Subject'],
      ['De', 'Envoyé', 'À', 'Objet'],
      ['Von', 'Gesendet', 'An', 'Betreff'],
    ]) {
      const text = `Merci / Danke.\n\n${from}: Forum <forum@example.org>\n${sent}: jeudi 26 novembre 2026 09:00\n${to}: Ministre\n${subject}: Belarus\n\nDear Minister,`;
      expect(newText(text)).toBe('Merci / Danke.');
    }
  });

  it('does not cut at a lone "From:" line that is part of the message', () => {
    const lines = ['From: the embassy we heard the same.', 'Nothing else.'];
    expect(outlookBlockStart(lines)).toBe(-1);
    expect(newText(lines.join('\n'))).toBe(lines.join('\n'));
  });

  it('cuts at "-----Original Message-----" and keeps a signature', () => {
    expect(newText('Noted.\n\n-- \nHead of Unit\n\n-----Original Message-----\nFrom: x')).toBe(
      'Noted.\n\n--\nHead of Unit',
    );
  });
});

describe('classifying', () => {
  const from = 'From: Office <office@mfa.example.org>\nTo: reply+t@r.example.org';

  it('treats Auto-Submitted: no as a person, any other value as automatic', async () => {
    const human = await parsed(`${from}\nSubject: Re: x\nAuto-Submitted: no`, 'Thanks.');
    expect(classify(human, 'Thanks.').kind).toBe('human');
    const auto = await parsed(`${from}\nSubject: Re: x\nAuto-Submitted: auto-replied`, 'Thanks.');
    expect(classify(auto, 'Thanks.')).toMatchObject({ kind: 'auto-reply' });
  });

  it('reads X-Autoreply, Precedence and the null sender', async () => {
    const m = await parsed(`${from}\nSubject: Re: x\nX-Autoreply: yes`, 'a');
    expect(classify(m, 'a').reasons).toEqual(['x-autoreply: yes']);
    const p = await parsed(`${from}\nSubject: Re: x\nPrecedence: auto_reply`, 'a');
    expect(classify(p, 'a').reasons).toEqual(['Precedence: auto_reply']);
    const n = await parsed(`${from}\nSubject: Re: x`, 'a');
    expect(classify(n, 'a', '').kind).toBe('auto-reply');
    expect(classify(n, 'a', 'office@mfa.example.org').kind).toBe('human');
  });

  it('looks for out-of-office phrases only in the new text', async () => {
    const m = await parsed(`${from}\nSubject: Re: x`, 'ignored');
    expect(
      classify(m, 'We agree. I am out of the office next week but my deputy will attend.').kind,
    ).toBe('auto-reply');
    expect(classify(m, 'We agree with the statement.').kind).toBe('human');
  });

  it('a read receipt is automatic, not a bounce; a failure notice without a report is a bounce', async () => {
    const mdn = await parsed(
      `${from}\nSubject: Read: x\nContent-Type: multipart/report; report-type=disposition-notification; boundary=b`,
      '--b\nContent-Type: text/plain\n\nread\n--b--\n',
    );
    expect(classify(mdn, 'read').kind).toBe('auto-reply');
    const notice = await parsed(
      'From: MAILER-DAEMON@mx.example.org\nTo: reply+t@r.example.org\nSubject: Mail delivery failed: returning message to sender',
      'failed',
    );
    expect(classify(notice, 'failed')).toMatchObject({
      kind: 'bounce',
      bounce: { permanent: true },
    });
  });

  it('reads a delayed DSN as not permanent', () => {
    expect(readDeliveryStatus('Action: delayed\nStatus: 4.4.7\n')).toEqual({
      permanent: false,
      action: 'delayed',
      status: '4.4.7',
    });
  });

  it('a forward subject prefix in any language makes a forward; "Re: Fwd:" is an answer', async () => {
    for (const subject of [
      'Fwd: Belarus',
      'FW: Belarus',
      'WG: Belarus',
      'TR: Belarus',
      'RV: Belarus',
      'I: Belarus',
      'Doorst: Belarus',
      '[EXT] FW: Belarus',
    ]) {
      const m = await parsed(`${from}\nSubject: ${subject}`, 'x');
      expect(classify(m, 'Please prepare a line to take for the Minister.').kind, subject).toBe(
        'forward',
      );
    }
    const re = await parsed(`${from}\nSubject: Re: Fwd: Belarus`, 'x');
    expect(classify(re, 'We will support it at the Council.').kind).toBe('human');
  });
});

describe('the staff forward', () => {
  it('keeps header values on one line and escapes what came from the reply', async () => {
    const m = await parsed(
      'From: =?UTF-8?Q?Eve=0D=0AEvil?= <eve@example.org>\nTo: reply+t@r.example.org\nSubject: =?UTF-8?Q?Hi=0D=0AX-Injected:_1?=',
      '<b>bold</b>',
    );
    expect(m.subject).toContain('\r\n');
    const campaign = {
      id: 'c1',
      staffAddress: 'staff@example.org',
      statement: { title: 'T', subject: 'S', from: { name: 'F', address: 'f@example.org' } },
    } as unknown as Campaign;
    const letter = staffForward(campaign, {
      id: 'r1',
      receivedAt: '2026-11-26T10:00:00.000Z',
      envelopeTo: [],
      match: { by: 'token', strength: 'strong', detail: 'signed reply address' },
      kind: 'human',
      reasons: [],
      from: { name: m.from!.name, address: m.from!.address },
      subject: m.subject,
      text: '<b>bold</b>',
      attachments: [{ filename: '<x>.pdf', mimeType: 'application/pdf', size: 3 }],
      raw: { key: 'inbound/x', size: 1, sha256: '' },
    });
    expect(letter.subject).not.toMatch(/[\r\n]/);
    expect(letter.subject).toBe('[reply] Hi X-Injected: 1');
    expect(letter.to).toBe('staff@example.org');
    expect(letter.replyTo).toBe('eve@example.org');
    expect(letter.html).not.toContain('<b>');
    expect(letter.html).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(letter.html).toContain('&lt;x&gt;.pdf');
    expect(letter.text).toMatch(/^Reply to campaign c1 \(T\)\nFrom: Eve Evil <eve@example.org>/);
  });
});
