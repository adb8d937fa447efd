// A loopback app-push receiver that does what the README tells receivers to do: verify with
// verifyWebhook, act once per id, acknowledge replays, refuse forgeries.
import { startLoopbackServer } from '@kequn/channels/testing';
import { verifyWebhook, type WebhookDelivery } from '../src/index.js';

export interface PushReceiver {
  url: string;
  healthUrl: string;
  delivered: WebhookDelivery[];
  replays: number;
  refusals: string[];
  failNext(count: number, status: number, retryAfterSec?: number): void;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startPushReceiver(secret: string): Promise<PushReceiver> {
  const verify = verifyWebhook({ secret, toleranceSec: 300 });
  const delivered: WebhookDelivery[] = [];
  const refusals: string[] = [];
  let replays = 0;
  let failure = { count: 0, status: 503, retryAfterSec: undefined as number | undefined };
  const server = await startLoopbackServer((request, response, body) => {
    if (request.method === 'GET')
      return void response.writeHead(request.url === '/health' ? 200 : 404).end();
    if (failure.count > 0) {
      failure.count -= 1;
      const headers =
        failure.retryAfterSec === undefined
          ? undefined
          : { 'retry-after': String(failure.retryAfterSec) };
      return void response.writeHead(failure.status, headers).end();
    }
    void verify({ headers: request.headers, body }).then((result) => {
      if (result.ok) {
        if (result.delivery.address === 'uninstalled') return void response.writeHead(410).end();
        delivered.push(result.delivery);
        return void response.writeHead(204).end();
      }
      if (result.reason === 'replayed') {
        replays += 1;
        return void response.writeHead(200).end();
      }
      refusals.push(result.reason);
      response.writeHead(result.reason === 'malformed' ? 400 : 401).end();
    });
  });
  return {
    url: `${server.baseUrl}/push`,
    healthUrl: `${server.baseUrl}/health`,
    delivered,
    get replays() {
      return replays;
    },
    refusals,
    failNext(count, status, retryAfterSec) {
      failure = { count, status, retryAfterSec };
    },
    down: server.down,
    up: server.up,
    close: server.close,
  };
}
