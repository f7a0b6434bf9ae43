/**
 * Telling people from machines. Mail privacy proxies and security scanners
 * fetch images and links on a person's behalf, so an open or click is only
 * counted as human when no rule says otherwise. The dashboard's "opened"
 * means human; machine opens and clicks are counted apart.
 *
 * The rules are data (MACHINE_RULES): each has an id, the kinds of sighting
 * it judges, a test, a verdict and the reason shown to staff. The first rule
 * that matches decides; a sighting no rule matches is a person.
 */
import { BlockList, isIP } from 'node:net';
import { isbot } from 'isbot';

export type Actor =
  { kind: 'human'; rule?: string } | { kind: 'machine'; reason: string; rule: string };

/** Security scanners fetch every link (and image) within seconds of delivery. */
export const SCANNER_WINDOW_MS = 15_000;
/** Image proxies that prefetch on arrival do so within a few seconds of delivery. */
export const PREFETCH_WINDOW_MS = 5_000;

export interface Sighting {
  type: 'open' | 'click';
  at: string;
  userAgent?: string;
  ip?: string;
  /** When the letter was delivered (or, failing that, sent): scanners act within seconds of it. */
  arrivedAt?: string;
}

export interface MachineRule {
  id: string;
  /** What a match means; most rules find machines, a few vouch for a person before the bot rules run. */
  verdict: 'machine' | 'human';
  /** The sightings the rule judges. */
  on: readonly Sighting['type'][];
  /** The reason staff see on the timeline. */
  reason: string;
  matches: (s: Sighting, sinceArrivalMs: number) => boolean;
}

function blockList(v4: string[], v6: string[]): BlockList {
  const list = new BlockList();
  for (const net of v4) {
    const [addr, bits] = net.split('/');
    list.addSubnet(addr!, Number(bits), 'ipv4');
  }
  for (const net of v6) {
    const [addr, bits] = net.split('/');
    list.addSubnet(addr!, Number(bits), 'ipv6');
  }
  return list;
}

function inList(list: BlockList, ip: string | undefined): boolean {
  if (!ip) return false;
  const family = isIP(ip);
  return family !== 0 && list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/** Apple owns 17.0.0.0/8; Mail Privacy Protection fetches every image from there on arrival. */
const APPLE = blockList(['17.0.0.0/8'], []);

/**
 * The address ranges Google publishes for its mail servers (the netblocks of
 * _spf.google.com), from which the Gmail image proxy fetches. Gmail caches an
 * image once it has it, so a fetch from here shows the proxy, not a reader.
 */
const GOOGLE = blockList(
  [
    '35.190.247.0/24',
    '35.191.0.0/16',
    '64.233.160.0/19',
    '66.102.0.0/20',
    '66.249.80.0/20',
    '72.14.192.0/18',
    '74.125.0.0/16',
    '108.177.8.0/21',
    '108.177.96.0/19',
    '130.211.0.0/22',
    '172.217.0.0/19',
    '172.217.32.0/20',
    '172.217.128.0/19',
    '172.217.160.0/20',
    '172.217.192.0/19',
    '172.253.56.0/21',
    '172.253.112.0/20',
    '173.194.0.0/16',
    '209.85.128.0/17',
    '216.58.192.0/19',
    '216.239.32.0/19',
  ],
  [
    '2001:4860:4000::/36',
    '2404:6800:4000::/36',
    '2607:f8b0:4000::/36',
    '2800:3f0:4000::/36',
    '2a00:1450:4000::/36',
    '2c0f:fb50:4000::/36',
  ],
);

const ua = (s: Sighting) => (s.userAgent ?? '').trim();

/** The rules, in the order they are tried. Each has its own test (test/unit/core/events/machine.test.ts). */
export const MACHINE_RULES: readonly MachineRule[] = [
  {
    id: 'apple-mpp',
    verdict: 'machine',
    on: ['open'],
    reason: 'Apple Mail Privacy Protection',
    // Apple's network, or the bare agent its proxy sends from elsewhere.
    matches: (s) => inList(APPLE, s.ip) || ua(s) === 'Mozilla/5.0',
  },
  {
    id: 'google-image-proxy',
    verdict: 'machine',
    on: ['open'],
    reason: 'Gmail image proxy (it caches the image, so the fetch does not show a reader)',
    matches: (s) => /GoogleImageProxy/i.test(ua(s)) || inList(GOOGLE, s.ip),
  },
  {
    id: 'yahoo-prefetch',
    verdict: 'machine',
    on: ['open'],
    reason: 'image proxy prefetch',
    // Yahoo's proxy fetches when a person opens the letter, except right at delivery.
    matches: (s, since) => /YahooMailProxy/i.test(ua(s)) && since < PREFETCH_WINDOW_MS,
  },
  {
    id: 'yahoo-open',
    verdict: 'human',
    on: ['open'],
    reason: 'Yahoo image proxy fetching for a person opening the letter',
    // Its user agent names a proxy, so the bot rule below would otherwise count the reader as a machine.
    matches: (s) => /YahooMailProxy/i.test(ua(s)),
  },
  {
    id: 'no-user-agent',
    verdict: 'machine',
    on: ['open', 'click'],
    reason: 'no user agent',
    matches: (s) => ua(s) === '',
  },
  {
    id: 'known-bot',
    verdict: 'machine',
    on: ['open', 'click'],
    reason: 'known bot user agent',
    matches: (s) => isbot(ua(s)),
  },
  {
    id: 'scanner-click',
    verdict: 'machine',
    on: ['click'],
    reason: 'security scanner (clicked within seconds of delivery)',
    // Either side of the delivery time: clocks differ, and a scanner may act before SES reports delivery.
    matches: (_s, since) => Math.abs(since) < SCANNER_WINDOW_MS,
  },
];

/** Classifies one open or click as a person or a machine, with the rule and the reason shown to staff. */
export function classify(s: Sighting, rules: readonly MachineRule[] = MACHINE_RULES): Actor {
  const sinceArrival =
    s.arrivedAt !== undefined
      ? Date.parse(s.at) - Date.parse(s.arrivedAt)
      : Number.POSITIVE_INFINITY;
  for (const rule of rules) {
    if (rule.on.includes(s.type) && rule.matches(s, sinceArrival)) {
      return rule.verdict === 'machine'
        ? { kind: 'machine', reason: rule.reason, rule: rule.id }
        : { kind: 'human', rule: rule.id };
    }
  }
  return { kind: 'human' };
}
