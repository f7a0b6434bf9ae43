/**
 * Preparing the server's rendered letter for the preview frame. Pure string
 * work on our own renderer's output.
 *
 * The preview route returns the recipient's exact HTML, open pixel included;
 * showing it must not count as an open. The page's CSP (img-src data:)
 * already stops the frame from loading it; the pixel (the <img> whose
 * address is a /t/o/ tracking route) is also taken out, so nothing even asks.
 *
 * Links: a click in the preview must neither count nor replace the letter
 * with an error page. A <base target="_blank"> sends every link to a new
 * window, which the frame's sandbox (no allow-popups) refuses: the click does
 * nothing and the letter stays.
 */
const PIXEL = /<img\b[^>]*\bsrc\s*=\s*(["'])[^"']*\/t\/o\/[^"']*\1[^>]*>/gi;
const BASE = '<base target="_blank">';

export function withoutPixel(html: string): string {
  return html.replace(PIXEL, '');
}

/** The letter as the preview frame shows it: no pixel, links going nowhere. */
export function previewHtml(html: string): string {
  const clean = withoutPixel(html);
  const head = /<head\b[^>]*>/i.exec(clean);
  if (!head) return BASE + clean;
  const at = head.index + head[0].length;
  return clean.slice(0, at) + BASE + clean.slice(at);
}
