/**
 * For the property tests that no outside value becomes markup: strings
 * biased towards what breaks markup and headers, and the markup of a page
 * (its tags and attribute names, never its text) to compare.
 */
import fc from 'fast-check';

/** The markup of a page: every tag with its attribute names, in order. Text never shows here. */
export function markup(html: string): string[] {
  return [
    ...html.matchAll(
      /<\/?([a-zA-Z][\w:-]*)((?:\s+[^\s=>/]+(?:=(?:"[^"]*"|'[^']*'|[^\s>]*))?)*)\s*\/?>/g,
    ),
  ].map(
    ([, tag, attrs]) =>
      `${tag}(${[...(attrs ?? '').matchAll(/\s+([^\s=>/]+)(?:=(?:"[^"]*"|'[^']*'|[^\s>]*))?/g)]
        .map((a) => a[1])
        .join(',')})`,
  );
}

/** Strings biased towards what breaks markup and headers. */
export const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .array(
      fc.constantFrom(
        '<',
        '>',
        '"',
        "'",
        '&',
        '</mj-text>',
        '<script>',
        '"><img src=x onerror=alert(1)>',
        "' onmouseover='x",
        '{{body}}',
        '%%',
        '%%dm0:name%%',
        '\r\n',
        '\n',
        'Bcc: v@example.org',
        '=?UTF-8?B?PHNjcmlwdD4=?=',
        '&lt;',
        '<!--',
        ']]>',
        'Ω',
        '王',
        '\u2028',
        '\u0000',
        'x',
      ),
      { maxLength: 12 },
    )
    .map((parts) => parts.join('')),
);
