import { createServer, type Server, type ServerResponse } from 'node:http';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountingAgent } from '../../../scripts/counting-agent.mjs';
import { type BoundedObjectRead, R2Store, readBoundedObject, S3ObjectError } from '../src/index.js';
import { codeOf } from './support/error-code.js';
import { FaultProxy } from './support/fault-proxy.js';
import { freshPrefix, localTarget, purgePrefix, rawClient, targetOptions } from './support/s3-target.js';

// Reads need a server on this machine: they run against the loopback target only (s3rver or RGW).
const target = localTarget();
const KiB = 1024;
const MiB = 1024 * KiB;
/** What one read from a socket brings at most (libuv reads 64 KiB at a time). */
const chunk = 64 * KiB;
/** Room for the response's status line and headers, which the socket also reads. */
const headers = 2 * KiB;

/** A client whose sockets are counted, on `endpoint`. */
function countingClient(endpoint: string, maxAttempts = 1): { client: S3Client; agent: CountingAgent } {
  const agent = new CountingAgent({ keepAlive: true });
  const client = new S3Client({
    endpoint,
    region: target.region,
    forcePathStyle: true,
    credentials: { accessKeyId: target.accessKeyId, secretAccessKey: target.secretAccessKey },
    maxAttempts,
    requestHandler: new NodeHttpHandler({ httpAgent: agent, socketTimeout: 60_000 }),
  });
  return { client, agent };
}

async function failureOf(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** Resolves once `agent` has received at least `bytes` (polled, bounded: the body is moving on loopback). */
async function untilReceived(agent: CountingAgent, bytes: number): Promise<void> {
  for (let poll = 0; poll < 1000 && agent.bytesRead < bytes; poll++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(agent.bytesRead).toBeGreaterThanOrEqual(bytes);
}

describe(`bounded reads from ${target.server}`, () => {
  const admin = rawClient(target);
  const prefix = freshPrefix('bounded-read');
  const bigKey = `${prefix}three-mib`;
  const big = new Uint8Array(3 * MiB).map((_, index) => index % 251);

  beforeAll(async () => {
    await admin.send(new PutObjectCommand({ Bucket: target.bucket, Key: bigKey, Body: big, ContentLength: big.byteLength }));
  });
  afterAll(async () => {
    await purgePrefix(admin, target.bucket, prefix);
    admin.destroy();
  });

  const read = (client: S3Client, extra: Partial<BoundedObjectRead>) =>
    readBoundedObject({ client, bucket: target.bucket, key: bigKey, maxBytes: 4 * MiB, ...extra });

  it('reads an object of the promised size within the bound, byte for byte', async () => {
    const { client } = countingClient(target.endpoint);
    expect(Buffer.from(await read(client, { expectedBytes: big.byteLength })).equals(big)).toBe(true);
    client.destroy();
  });

  it.each([
    ['larger than maxBytes', { maxBytes: 1000 }, 'PAYLOAD_TOO_LARGE'],
    ['of another size than promised', { expectedBytes: 1000 }, 'INTEGRITY'],
  ] as const)('an object %s is refused from its Content-Length (%s), naming bucket and key, with the body unread', async (_, bounds, code) => {
    const { client, agent } = countingClient(target.endpoint);
    const error = await failureOf(() => read(client, { ...bounds, operation: 'ReceiveMessage', backend: 'sqs' }));
    expect(error).toBeInstanceOf(S3ObjectError);
    expect(error).toMatchObject({ code, bucket: target.bucket, key: bigKey, operation: 'ReceiveMessage', backend: 'sqs' });
    expect((error as Error).message).toContain(`s3://${target.bucket}/${bigKey}`);
    expect(agent.bytesRead).toBeLessThanOrEqual(1000 + chunk + headers);
    expect(agent.allClosed).toBe(true);
    client.destroy();
  });

  it('a promised size over maxBytes is PAYLOAD_TOO_LARGE without a request', async () => {
    const { client, agent } = countingClient(target.endpoint);
    expect(await codeOf(() => read(client, { expectedBytes: 2000, maxBytes: 1000 }))).toBe('PAYLOAD_TOO_LARGE');
    expect(agent.connections).toBe(0);
    client.destroy();
  });

  it('a missing object is NOT_FOUND; malformed bounds are INVALID_CONFIG', async () => {
    const { client } = countingClient(target.endpoint);
    expect(await codeOf(() => read(client, { key: `${prefix}missing` }))).toBe('NOT_FOUND');
    for (const bounds of [{ maxBytes: -1 }, { maxBytes: 1.5 }, { maxBytes: Number.NaN }, { expectedBytes: -1 }]) {
      expect(await codeOf(() => read(client, bounds))).toBe('INVALID_CONFIG');
    }
    client.destroy();
  });

  it('an abort while the body is half-read rejects with ABORTED and closes the connection', async () => {
    const proxy = await FaultProxy.start(target.endpoint);
    proxy.fault = { kind: 'stall', afterBytes: 512 * KiB };
    const { client, agent } = countingClient(proxy.endpoint);
    const controller = new AbortController();
    const pending = codeOf(() => read(client, { expectedBytes: big.byteLength, signal: controller.signal }));
    await untilReceived(agent, 256 * KiB);
    controller.abort();
    expect(await pending).toBe('ABORTED');
    expect(agent.allClosed).toBe(true);
    client.destroy();
    await proxy.close();
  });

  it('R2Store.get reads through the same bounded read: an abort while the body is half-read is ABORTED and closes the connection', async () => {
    const writer = new R2Store(targetOptions(target, { keyPrefix: prefix }));
    const key = await writer.put(big);
    await writer.close();
    const proxy = await FaultProxy.start(target.endpoint);
    proxy.fault = { kind: 'stall', afterBytes: 512 * KiB };
    const { client, agent } = countingClient(proxy.endpoint);
    const store = new R2Store({ bucket: target.bucket, keyPrefix: prefix, client });
    const controller = new AbortController();
    const pending = codeOf(() => store.get(key, { signal: controller.signal }));
    await untilReceived(agent, 256 * KiB);
    controller.abort();
    expect(await pending).toBe('ABORTED');
    expect(agent.allClosed).toBe(true);
    await store.close();
    client.destroy();
    await proxy.close();
  });
});

/**
 * A server that answers every request with 200 and an endless body in chunked encoding, with no
 * Content-Length: the one way to send more than a declared length, which no S3 server does on demand.
 */
async function endlessServer(): Promise<{ endpoint: string; closedConnections: () => number; close: () => Promise<void> }> {
  let closed = 0;
  const server: Server = createServer((request, response: ServerResponse) => {
    request.resume();
    response.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Transfer-Encoding': 'chunked' });
    const piece = Buffer.alloc(16 * KiB, 1);
    const pump = () => {
      while (response.write(piece));
    };
    response.on('drain', pump);
    response.on('close', () => {
      closed += 1;
    });
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    closedConnections: () => closed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

describe('a body without Content-Length', () => {
  it('is cut off at maxBytes: PAYLOAD_TOO_LARGE, having read no more than the bound and one chunk', async () => {
    const server = await endlessServer();
    const { client, agent } = countingClient(server.endpoint);
    const error = await failureOf(() => readBoundedObject({ client, bucket: 'b', key: 'endless', maxBytes: 256 * KiB }));
    expect(error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', bucket: 'b', key: 'endless' });
    expect(agent.bytesRead).toBeLessThanOrEqual(256 * KiB + chunk + headers);
    expect(agent.allClosed).toBe(true);
    client.destroy();
    await server.close();
  });

  it('is cut off at the promised size: INTEGRITY', async () => {
    const server = await endlessServer();
    const { client, agent } = countingClient(server.endpoint);
    expect(await codeOf(() => readBoundedObject({ client, bucket: 'b', key: 'endless', maxBytes: MiB, expectedBytes: 1000 }))).toBe('INTEGRITY');
    expect(agent.bytesRead).toBeLessThanOrEqual(1000 + chunk + headers);
    client.destroy();
    await server.close();
  });
});
