import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from '../../../../functions/core/governance/model.js';
import { parseStatement } from '../../../../functions/core/statement.js';
import { exampleStatement } from '../../../support/fixtures.js';

const statement = () => parseStatement(exampleStatement(), 'statement.md');
const people = [
  { id: 'r1', email: 'ana@example.org' },
  { id: 'r2', email: 'ben@example.org' },
  { id: 'r3', email: 'carl@example.org' },
];

describe('content versions', () => {
  it('canonical JSON does not depend on the order keys were written in', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(JSON.parse(canonicalJson(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
      }),
    );
  });

  it('the hash ignores the order of the recipient list', () => {
    expect(contentHash(statement(), [...people].reverse())).toBe(contentHash(statement(), people));
  });

  it('any change of a word, a translation or an address gives a new hash', () => {
    const base = contentHash(statement(), people);
    const s = statement();
    expect(contentHash({ ...s, subject: `${s.subject}.` }, people)).not.toBe(base);
    expect(
      contentHash(
        { ...s, translations: [...(s.translations ?? []), { language: 'xx' } as never] },
        people,
      ),
    ).not.toBe(base);
    expect(contentHash(s, [...people.slice(1), { id: 'r1', email: 'ana@example.com' }])).not.toBe(
      base,
    );
    expect(contentHash(s, people.slice(1))).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });
});
