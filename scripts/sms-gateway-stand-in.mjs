#!/usr/bin/env node
// A stand-in SMS gateway speaking Awn's contract (docs/messaging.md), for the demo and the
// benchmark: it answers every POST {id, to, text} with 202 (or, at the rates given, 500 or a
// 400 for numbers ending in 000), drops a repeated id, and posts delivery receipts back to Awn.
//
//   PORT=8099 AWN_URL=http://localhost:3000 AWN_SMS_GATEWAY_TOKEN=secret \
//   FAIL_RATE=0.1 RECEIPT_RATE=0.7 RECEIPT_DELAY_MS=2000 node scripts/sms-gateway-stand-in.mjs
// then serve Awn with AWN_SMS_GATEWAY_URL=http://localhost:8099/send and the same token.
// Nothing it receives is logged but counts (no phone numbers or texts).
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 8099);
const awnUrl = process.env.AWN_URL ?? '';
const token = process.env.AWN_SMS_GATEWAY_TOKEN ?? '';
const failRate = Number(process.env.FAIL_RATE ?? 0);
const receiptRate = Number(process.env.RECEIPT_RATE ?? 0);
const receiptDelay = Number(process.env.RECEIPT_DELAY_MS ?? 1000);
const seen = new Set();
const counts = { received: 0, accepted: 0, repeats: 0, failed: 0, invalid: 0, receipts: 0 };

function receipt(id) {
  if (!awnUrl || Math.random() >= receiptRate) return;
  setTimeout(() => {
    const status = Math.random() < 0.05 ? 'failed' : 'delivered';
    fetch(`${awnUrl}/api/v1/messaging/receipts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ id, status, at: new Date().toISOString() }),
    }).then(
      () => (counts.receipts += 1),
      () => undefined,
    );
  }, receiptDelay);
}

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    counts.received += 1;
    if (token && request.headers.authorization !== `Bearer ${token}`) {
      response.writeHead(401).end();
      return;
    }
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      response.writeHead(400).end();
      return;
    }
    if (typeof body.to !== 'string' || body.to.endsWith('000')) {
      counts.invalid += 1;
      response.writeHead(400).end('{"error":"invalid number"}');
      return;
    }
    if (seen.has(body.id)) {
      counts.repeats += 1;
      response.writeHead(202).end('{}');
      return;
    }
    if (Math.random() < failRate) {
      counts.failed += 1;
      response.writeHead(500).end();
      return;
    }
    seen.add(body.id);
    counts.accepted += 1;
    response.writeHead(202, { 'content-type': 'application/json' }).end('{}');
    receipt(body.id);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => {
  if (process.send) process.send({ port: server.address().port });
  else console.log(`SMS gateway stand-in on http://127.0.0.1:${server.address().port}/send`);
});
process.on('disconnect', () => process.exit(0));
process.on('message', (message) => {
  if (message === 'counts' && process.send) process.send({ counts });
});
if (!process.send) {
  setInterval(() => console.log(JSON.stringify(counts)), 10_000).unref();
}
