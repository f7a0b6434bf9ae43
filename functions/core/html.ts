/** Escaping for everything that came from outside and ends up in a page or a letter. */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values alike. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Removes control characters (CR, LF, NUL …) so a value stays on one line of a header or text part. */
export function oneLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
}

/** True when a value has a control character: refused in any single-line field (CR/LF injection). */
export function hasControl(value: string): boolean {
  return /[\u0000-\u001f\u007f]/.test(value);
}
