/**
 * The header lines a receiving server puts on top of a message (SES, or the
 * local SMTP server in its place): Return-Path, Received, its verdicts and
 * authentication results. They differ on each delivery of the same message,
 * so a message without a Message-ID is recognised on redelivery by what
 * follows them.
 */

const RECEIVER_BLOCK = new Set([
  'return-path',
  'received',
  'received-spf',
  'authentication-results',
  'x-ses-spam-verdict',
  'x-ses-virus-verdict',
  'x-ses-receipt',
  'x-ses-dkim-signature',
]);

/** Byte offset of the first header line that is not the receiving server's; looks at 64 KiB at most. */
export function receiverBlockEnd(raw: Uint8Array): number {
  const limit = Math.min(raw.length, 65536);
  let pos = 0;
  while (pos < limit) {
    let end = pos;
    while (end < limit && raw[end] !== 0x0a) end++;
    const first = raw[pos];
    if (first !== 0x20 && first !== 0x09) {
      let colon = pos;
      while (colon < end && raw[colon] !== 0x3a) colon++;
      const name = Buffer.from(raw.subarray(pos, colon)).toString('latin1').trim().toLowerCase();
      if (colon === end || !RECEIVER_BLOCK.has(name)) return pos;
    }
    pos = end + 1;
  }
  return 0;
}
