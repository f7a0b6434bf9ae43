import { createServer } from 'node:net';

/** Resolves `preferred` if it is free on 127.0.0.1, else any free port. */
export async function freePort(preferred?: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const srv = createServer();
      srv.once('error', () => resolve(undefined));
      srv.listen(port, '127.0.0.1', () => {
        const addr = srv.address();
        srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : undefined));
      });
    });
  if (preferred) {
    const p = await tryPort(preferred);
    if (p) return p;
  }
  const any = await tryPort(0);
  if (!any) throw new Error('no free TCP port on 127.0.0.1');
  return any;
}
