/** The sign-on form's validation, the closing-time rule, duplicate flags and the list's order. */
import { describe, expect, it } from 'vitest';
import { duplicateFlags, ordered, similarNames } from '../../../../functions/core/signon/list.js';
import {
  closingTimeProblem,
  newSignatory,
  signonForm,
  type Signatory,
} from '../../../../functions/core/signon/model.js';

const form = {
  name: 'Правозащитный центр «Весна»',
  latin: 'Human Rights Centre Viasna',
  country: 'by',
  type: 'ngo',
  website: 'spring96.org',
  contactName: 'Ales Bialiatski',
  contactEmail: ' Contact@Spring96.org ',
  consent: 'yes',
};

function sig(id: string, extra: Partial<Signatory>): Signatory {
  const { state: _state, ...fields } = extra;
  const f = signonForm.parse({ ...form, ...fields });
  return {
    ...newSignatory('c1', id, f, {
      invite: 'public',
      language: 'en',
      consent: 'I agree',
      at: '2026-12-01T10:00:00Z',
    }),
    ...extra,
  } as Signatory;
}

describe('the sign-on form', () => {
  it('reads a real organisation’s entry: code upper-cased, address lower-cased, site with its scheme', () => {
    const f = signonForm.parse(form);
    expect(f).toMatchObject({
      country: 'BY',
      contactEmail: 'contact@spring96.org',
      website: 'https://spring96.org/',
    });
  });

  it('names each bad field', () => {
    const r = signonForm.safeParse({
      ...form,
      name: 'x'.repeat(201),
      country: 'XX',
      website: 'javascript:alert(1)',
      contactEmail: 'not-an-address',
      consent: '',
      contactName: 'Line\nbreak',
    });
    expect(r.success).toBe(false);
    const fields = r.error!.issues.map((i) => i.path.join('.')).sort();
    expect(fields).toEqual([
      'consent',
      'contactEmail',
      'contactName',
      'country',
      'name',
      'website',
    ]);
  });

  it('refuses fields it does not know (a plain form posts only its own)', () => {
    expect(signonForm.safeParse({ ...form, state: 'approved' }).success).toBe(false);
  });
});

describe('the closing time', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  it('must be in the future and before the deadline', () => {
    expect(closingTimeProblem('2026-12-01T09:00:00Z', '2026-12-10T09:00:00Z', now)).toMatch(
      /passed/,
    );
    expect(closingTimeProblem('2026-12-11T09:00:00Z', '2026-12-10T09:00:00Z', now)).toMatch(
      /before the campaign's deadline/,
    );
    expect(
      closingTimeProblem('2026-12-05T09:00:00+01:00', '2026-12-10T09:00:00Z', now),
    ).toBeUndefined();
  });
});

describe('duplicates', () => {
  it('flags the same website, the same organisation mail domain and near-identical names', () => {
    const list = [
      sig('a', {}),
      sig('b', {
        name: 'Viasna',
        latin: undefined,
        website: 'https://www.spring96.org/en',
        contactEmail: 'x@gmail.com',
      }),
      sig('c', {
        name: 'Civil Rights Defenders',
        latin: undefined,
        website: undefined,
        contactEmail: 'info@crd.org',
      }),
      sig('d', {
        name: 'Civil Rights Defender',
        latin: undefined,
        website: undefined,
        contactEmail: 'z@gmail.com',
      }),
      sig('e', {
        name: 'Other Org',
        latin: undefined,
        website: undefined,
        contactEmail: 'y@gmail.com',
      }),
      sig('f', {
        name: 'Human Rights Centre Viasna',
        latin: undefined,
        website: undefined,
        contactEmail: 'a@spring96.org',
      }),
    ];
    const flags = duplicateFlags(list);
    expect(flags.get('b')).toEqual([{ other: 'a', reason: 'website' }]);
    expect(flags.get('c')).toEqual([{ other: 'd', reason: 'name' }]);
    expect(flags.get('f')).toEqual([{ other: 'a', reason: 'email-domain' }]);
    // Two strangers at gmail.com are not the same organisation.
    expect(flags.get('e')).toBeUndefined();
  });

  it('leaves rejected ones out', () => {
    const flags = duplicateFlags([sig('a', {}), sig('b', { state: 'rejected' })]);
    expect(flags.size).toBe(0);
  });

  it('compares names without accents, case or punctuation', () => {
    expect(similarNames('Ligue des Droits de l’Homme', 'ligue des droits de l homme')).toBe(true);
    expect(similarNames('Promo-LEX', 'Promo LEX')).toBe(true);
    expect(similarNames('Amnesty', 'Article 19')).toBe(false);
  });
});

describe('the order', () => {
  it('puts initiators first, then set places, then alphabetically by Latin name', () => {
    const rows = [
      { id: '1', displayName: 'Zeta', initiator: false },
      { id: '2', displayName: 'Вясна', latin: 'Viasna' },
      { id: '3', displayName: 'Alpha' },
      { id: '4', displayName: 'Lead network', initiator: true },
      { id: '5', displayName: 'Ömer Derneği' },
      { id: '6', displayName: 'Placed', order: 1 },
    ];
    expect(ordered(rows).map((r) => r.displayName)).toEqual([
      'Lead network',
      'Placed',
      'Alpha',
      'Ömer Derneği',
      'Вясна',
      'Zeta',
    ]);
  });
});
