/**
 * The HTTP layer of the local runtime: turns each request into an API Gateway
 * HTTP API (payload 2.0) event and hands it to the same Lambda handler that
 * serves that route in AWS. Routes are listed in routes.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { routes, type HttpHandler } from './routes.js';
import { keepIdleConnections } from './keep-alive.js';
import { ensureDashboard } from '../../scripts/build-dashboard.js';

export interface LocalHttp {
  url: string;
  port: number;
  server: Server;
  stop(): Promise<void>;
}

const MAX_BODY = 10 * 1024 * 1024;
/** An uploaded recipients list (S3 takes these in AWS): 100,000 rows fit with room to spare. */
const MAX_UPLOAD = 64 * 1024 * 1024;

export async function startHttp(opts: { port: number }): Promise<LocalHttp> {
  // The dashboard's bundle is generated, not committed: build it if its sources changed.
  try {
    ensureDashboard();
  } catch (err) {
    process.stderr.write(
      `local http: the dashboard could not be built: ${(err as Error).message}\n`,
    );
  }
  const server = createServer((req, res) => {
    void serve(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    keepIdleConnections(server);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://localhost:${opts.port}`,
    port: opts.port,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function findRoute(method: string, path: string): HttpHandler | undefined {
  return routes.find((r) => (r.method === undefined || r.method === method) && r.match.test(path))
    ?.handler;
}

async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const handler = findRoute(req.method ?? 'GET', url.pathname);
    if (!handler) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ code: 'NOT_FOUND', message: 'no such route' }));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const max = url.pathname.startsWith('/api/uploads/') ? MAX_UPLOAD : MAX_BODY;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > max) {
        res
          .writeHead(413, { 'content-type': 'application/json' })
          .end(JSON.stringify({ code: 'TOO_LARGE', message: 'request body too large' }));
        return;
      }
      chunks.push(chunk as Buffer);
    }
    const result = await handler(toEvent(req, url, Buffer.concat(chunks)));
    write(res, result);
  } catch (err) {
    process.stderr.write(`local http: ${(err as Error).stack ?? String(err)}\n`);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 'INTERNAL', message: 'internal error' }));
  }
}

function toEvent(req: IncomingMessage, url: URL, body: Buffer): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
  }
  const queryStringParameters: Record<string, string> = {};
  for (const [k, v] of url.searchParams)
    queryStringParameters[k] = queryStringParameters[k] ? `${queryStringParameters[k]},${v}` : v;
  const cookies = headers.cookie
    ?.split(';')
    .map((c) => c.trim())
    .filter(Boolean);
  const method = req.method ?? 'GET';
  const textual = /^(text\/|application\/(json|x-www-form-urlencoded|xml))/.test(
    headers['content-type'] ?? '',
  );
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(url.search ? { queryStringParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: Math.random().toString(36).slice(2),
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(body.length ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: body.length > 0 && !textual,
  };
}

function write(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  res.writeHead(result.statusCode ?? 200, headers);
  const body = result.body ?? '';
  res.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}
