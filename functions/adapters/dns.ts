/**
 * TXT lookups for preflight (SPF, DMARC) through a resolver of our choosing:
 * the servers in DEMARCHE_DNS_SERVERS ("127.0.0.1:5353,10.0.0.2"), else the
 * system's. Tests and the local runtime point it at a local zone.
 */
import { Resolver } from 'node:dns/promises';
import type { TxtResolver } from '../core/preflight.js';
import { ENV } from './config.js';

/** Answers that mean "nothing published here", not "could not ask". */
const NOTHING = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN', 'ENONAME']);

export class DnsTxtResolver implements TxtResolver {
  private readonly resolver = new Resolver({ timeout: 3_000, tries: 2 });

  constructor(servers: string[] = serversFromEnv()) {
    if (servers.length) this.resolver.setServers(servers);
  }

  async txt(name: string): Promise<string[]> {
    try {
      return (await this.resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
    } catch (err) {
      if (NOTHING.has((err as { code?: string }).code ?? '')) return [];
      throw err;
    }
  }
}

function serversFromEnv(): string[] {
  return (process.env[ENV.dnsServers] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
