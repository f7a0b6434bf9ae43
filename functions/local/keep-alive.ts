import type { Server } from 'node:http';

/**
 * Local servers keep idle connections for ten minutes instead of Node's five
 * seconds. The AWS SDK's agent reuses idle sockets; a server closing one at
 * the moment a request goes out makes that request fail with ECONNRESET. For
 * a send call that outcome is "unknown" (the letter is held, never re-sent
 * blindly), which is right against AWS but, against a local stand-in that
 * closes idle sockets every five seconds, made a letter in a quiet moment of a
 * test or demo wait for a person's decision.
 */
export function keepIdleConnections(server: Server): void {
  server.keepAliveTimeout = 10 * 60_000;
  server.headersTimeout = 10 * 60_000 + 5_000;
}
