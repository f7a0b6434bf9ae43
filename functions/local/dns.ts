/**
 * A small authoritative DNS server for the local runtime and the tests
 * (UDP on 127.0.0.1, packets by `dns-packet`): it answers TXT questions from
 * a zone it is given and NXDOMAIN for every name it does not hold, so that
 * preflight's SPF and DMARC lookups go through a real resolver to real DNS
 * answers without leaving the machine.
 */
import { createSocket, type Socket } from 'node:dgram';
import dnsPacket from 'dns-packet';

/** Name (lower case, no trailing dot) → the TXT records published there. */
export type TxtZone = Record<string, string[]>;

export interface LocalDns {
  /** host:port, for DEMARCHE_DNS_SERVERS or a Resolver's setServers. */
  server: string;
  port: number;
  zone: TxtZone;
  stop(): Promise<void>;
}

const NXDOMAIN = 3;

export async function startDns(opts: { port?: number; zone: TxtZone }): Promise<LocalDns> {
  const zone = opts.zone;
  const socket: Socket = createSocket('udp4');
  socket.on('message', (msg, from) => {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(msg);
    } catch {
      return; // not DNS: no answer, as a server would give none
    }
    const question = query.questions?.[0];
    const name = question?.name.toLowerCase().replace(/\.$/, '') ?? '';
    const records = zone[name];
    const answers: dnsPacket.Answer[] =
      question?.type === 'TXT' && records
        ? records.map((data) => ({ type: 'TXT', name: question.name, class: 'IN', ttl: 60, data }))
        : [];
    const reply = dnsPacket.encode({
      type: 'response',
      id: query.id ?? 0,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | (records ? 0 : NXDOMAIN),
      questions: query.questions ?? [],
      answers,
    });
    socket.send(reply, from.port, from.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = socket.address().port;
  return {
    server: `127.0.0.1:${port}`,
    port,
    zone,
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/**
 * The zone a sending domain publishes when it is set up as SES asks: SPF for
 * its custom MAIL FROM domain (bounce.<domain>) and for itself, and a DMARC
 * policy.
 */
export function sendingDomainZone(domain: string): TxtZone {
  const spf = 'v=spf1 include:amazonses.com ~all';
  return {
    [domain]: [spf],
    [`bounce.${domain}`]: [spf],
    [`_dmarc.${domain}`]: [`v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@${domain}`],
  };
}
