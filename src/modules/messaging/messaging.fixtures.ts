/** Test helpers for the outbox: settings for fast tests and a flaky SMS gateway on a local port. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { messagingConfigFromEnv, type MessagingConfig } from './messaging.config.js';

/** Settings with short timeouts and retries, for a gateway at `url`. */
export function testMessagingConfig(
  url: string | null,
  overrides: Partial<MessagingConfig> = {},
): MessagingConfig {
  const base = messagingConfigFromEnv({});
  return {
    ...base,
    sms: { gateway_url: url, gateway_token: 'gateway-secret', timeout_ms: 400 },
    retry: { base_ms: 10, maximum_ms: 80, max_attempts: 8 },
    receipt_wait_ms: 300,
    rate_per_s: { sms: 100_000, email: 100_000, webhook: 100_000, inbox: 100_000 },
    concurrency: 32,
    ...overrides,
  };
}

export interface GatewayRequest {
  id: string;
  to: string;
  text: string;
  authorization: string | undefined;
}

export interface Gateway {
  url: string;
  /** Every request in arrival order. */
  requests: GatewayRequest[];
  /** Ids answered 2xx (a repeat of one is dropped, as the contract asks of a gateway). */
  accepted: Set<string>;
  close(): Promise<void>;
}

export interface GatewayBehaviour {
  /** What to answer: a status, or 'hang' to answer only after `hang_ms`. */
  answer(request: GatewayRequest, index: number): number | 'hang';
  hang_ms?: number;
  /** Called once for each id first accepted (to send a receipt, say). */
  onAccepted?(request: GatewayRequest): Promise<void> | void;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A gateway on 127.0.0.1 that answers as `behaviour` says. */
export async function startGateway(behaviour: GatewayBehaviour): Promise<Gateway> {
  const requests: GatewayRequest[] = [];
  const accepted = new Set<string>();
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = JSON.parse(await readBody(request)) as { id: string; to: string; text: string };
      const seen: GatewayRequest = { ...body, authorization: request.headers.authorization };
      const index = requests.push(seen) - 1;
      const answer = behaviour.answer(seen, index);
      if (answer === 'hang') {
        setTimeout(() => response.writeHead(200).end('{}'), behaviour.hang_ms ?? 400);
        return;
      }
      if (answer >= 200 && answer < 300 && !accepted.has(seen.id)) {
        accepted.add(seen.id);
        await behaviour.onAccepted?.(seen);
      }
      response.writeHead(answer, { 'content-type': 'application/json' }).end('{}');
    })();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/send`,
    requests,
    accepted,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A small deterministic generator (mulberry32) for reproducible flakiness. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
