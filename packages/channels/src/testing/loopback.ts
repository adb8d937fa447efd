// A loopback HTTP peer that a test can take down and bring back on the same port, so that an
// adapter's URL stays valid across a simulated outage.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Handles one request once its whole body has arrived (UTF-8). */
export type LoopbackHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  body: string,
) => void;

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`, the same before and after an outage. */
  baseUrl: string;
  /** Stop listening and drop open connections: the peer is unreachable. */
  down(): Promise<void>;
  /** Listen again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startLoopbackServer(handler: LoopbackHandler): Promise<LoopbackServer> {
  let port = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handler(request, response, Buffer.concat(chunks).toString('utf8')));
  });
  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  await listen();
  return { baseUrl: `http://127.0.0.1:${port}`, down: stop, up: listen, close: stop };
}
