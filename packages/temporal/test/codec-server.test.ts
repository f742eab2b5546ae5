import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryStore } from '@claimcheck/core';
import { parseReference } from '@claimcheck/manager';
import { ExternalStorage, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { afterEach, describe, expect, it } from 'vitest';
import { ClaimCheckPayloadCodec, ClaimCheckStorageDriver, createCodecServer, nodeListener, type CodecRequestInfo, type CodecServerOptions } from '../src/index.js';
import { EncryptionCodec, referenceContent, throughDataConverter } from './support/sdk.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function serve(options: CodecServerOptions): Promise<string> {
  const server = createServer(nodeListener(createCodecServer(options)));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/codec`;
}

const jsonPayload = (payload: Payload) => temporal.api.common.v1.Payload.toObject(temporal.api.common.v1.Payload.create(payload), { bytes: String, longs: String });
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Namespace': 'billing', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

// A real offload: the value through a DataConverter with the driver and an encryption codec, as a worker would write it into history.
async function offloaded(value: unknown) {
  const store = new MemoryStore();
  const codec = new EncryptionCodec();
  const externalStorage = new ExternalStorage({ drivers: [new ClaimCheckStorageDriver({ store })] });
  const { wire } = await throughDataConverter({ externalStorage, payloadCodecs: [codec] }, value);
  return { store, codec, externalStorage, wire: wire[0] as Payload };
}

const allowAll = () => true;

describe('the codec server, over real HTTP', () => {
  it('decode resolves an External Storage reference and runs the codecs: the Web UI sees the real payload', async () => {
    const value = { report: 'r'.repeat(300_000) };
    const { codec, externalStorage, wire } = await offloaded(value);
    const url = await serve({ authorize: allowAll, externalStorage, codecs: [codec] });
    const response = await post(`${url}/decode`, { payloads: [jsonPayload(wire)] });
    expect(response.status).toBe(200);
    const { payloads } = (await response.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    expect(Buffer.from(payloads[0]?.metadata.encoding ?? '', 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(payloads[0]?.data ?? '', 'base64').toString())).toEqual(value);
  });

  it('encode runs the codecs in order; decode of its output gives the input back', async () => {
    const codec = new EncryptionCodec();
    const url = await serve({ authorize: allowAll, codecs: [codec] });
    const input = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"hello"').toString('base64') };
    const encoded = (await (await post(`${url}/encode`, { payloads: [input] })).json()) as { payloads: unknown[] };
    expect(JSON.stringify(encoded)).not.toContain(input.data);
    const decoded = (await (await post(`${url}/decode`, encoded)).json()) as { payloads: unknown[] };
    expect(decoded.payloads).toEqual([input]);
  });

  it('answers a CORS preflight from an allowed browser origin, and not from another', async () => {
    const url = await serve({ authorize: allowAll, allowedOrigins: ['http://localhost:8233'] });
    const preflight = (origin: string) =>
      fetch(`${url}/decode`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-namespace' } });
    const allowed = await preflight('http://localhost:8233');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('X-Namespace');
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    const answer = await post(`${url}/decode`, { payloads: [] }, { Origin: 'http://localhost:8233' });
    expect(answer.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
  });

  it('hands X-Namespace and the operation to the authorization hook, and refuses what it refuses with 403, before reading anything', async () => {
    const seen: CodecRequestInfo[] = [];
    const url = await serve({
      authorize: (request, info) => {
        seen.push(info);
        return request.headers.get('Authorization') === 'Bearer let-me-in';
      },
    });
    expect((await post(`${url}/decode`, 'not even JSON')).status).toBe(403);
    expect((await post(`${url}/decode`, { payloads: [] }, { Authorization: 'Bearer let-me-in' })).status).toBe(200);
    expect(seen).toEqual([
      { operation: 'decode', namespace: 'billing' },
      { operation: 'decode', namespace: 'billing' },
    ]);
  });

  it('a hook that throws is a 500 that says nothing of the payloads', async () => {
    const url = await serve({
      authorize: () => {
        throw new Error('token service down');
      },
    });
    const response = await post(`${url}/decode`, { payloads: [] });
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('token service');
  });

  it('refuses bad JSON and bad payloads with 400', async () => {
    const url = await serve({ authorize: allowAll });
    expect((await post(`${url}/decode`, '{"payloads": [')).status).toBe(400);
    expect((await post(`${url}/decode`, { payload: [] })).status).toBe(400);
    expect((await post(`${url}/decode`, { payloads: [{ data: 'not base64!' }] })).status).toBe(400);
    expect((await post(`${url}/decode`, { payloads: [{ metadata: { encoding: 7 } }] })).status).toBe(400);
    expect((await post(`${url}/decode`, { payloads: [{ data: '', externalPayloads: [{ sizeBytes: '-1' }] }] })).status).toBe(400);
  });

  it('refuses a body over maxRequestBytes with 413, whether Content-Length says so or not', async () => {
    const url = await serve({ authorize: allowAll, maxRequestBytes: 1024 });
    const body = JSON.stringify({ payloads: [{ data: Buffer.alloc(2048).toString('base64') }] });
    expect((await post(`${url}/decode`, body)).status).toBe(413);
    // Chunked, with no Content-Length: the limit is counted as the bytes arrive.
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${url}/decode`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.write(body.slice(0, 1000));
      request.end(body.slice(1000));
    });
    expect(status).toBe(413);
  });

  it('only POST …/encode and …/decode: other paths are 404, other methods 405', async () => {
    const url = await serve({ authorize: allowAll });
    expect((await post(`${url}/other`, { payloads: [] })).status).toBe(404);
    expect((await fetch(`${url}/decode`)).status).toBe(405);
  });

  it('a reference whose blob is gone is a 502 naming the code and the key', async () => {
    const { store, codec, externalStorage, wire } = await offloaded({ report: 'r'.repeat(300_000) });
    const { key } = parseReference(referenceContent(wire).claimData.reference ?? '');
    await store.delete(key);
    const url = await serve({ authorize: allowAll, externalStorage, codecs: [codec] });
    const response = await post(`${url}/decode`, { payloads: [jsonPayload(wire)] });
    expect(response.status).toBe(502);
    const { error } = (await response.json()) as { error: string };
    expect(error).toContain('[NOT_FOUND]');
    expect(error).toContain(key);
  });

  it('leaves a reference to a driver it does not have as it is', async () => {
    const { wire } = await offloaded({ report: 'r'.repeat(300_000) });
    const otherStorage = new ExternalStorage({ drivers: [new ClaimCheckStorageDriver({ store: new MemoryStore(), name: 'other' })] });
    const url = await serve({ authorize: allowAll, externalStorage: otherStorage });
    const { payloads } = (await (await post(`${url}/decode`, { payloads: [jsonPayload(wire)] })).json()) as { payloads: unknown[] };
    expect(payloads).toEqual([jsonPayload(wire)]);
  });

  it('refuses to start without an authorization hook', () => {
    expect(() => createCodecServer({} as CodecServerOptions)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});

describe('ClaimCheckPayloadCodec, the codec fallback', () => {
  it('offloads a payload over its threshold through a DataConverter, and the codec server shows it', async () => {
    const store = new MemoryStore();
    const codec = new ClaimCheckPayloadCodec({ store });
    const value = { rows: 'z'.repeat(300_000) };
    const { wire, value: back } = await throughDataConverter({ payloadCodecs: [codec] }, value);
    expect(back).toEqual(value);
    expect(Buffer.from(wire[0]?.metadata?.encoding ?? []).toString()).toBe('binary/claimcheck');
    expect(wire[0]?.data?.byteLength).toBeLessThan(512);
    const small = await throughDataConverter({ payloadCodecs: [codec] }, { rows: 'small' });
    expect(Buffer.from(small.wire[0]?.metadata?.encoding ?? []).toString()).toBe('json/plain');

    const url = await serve({ authorize: allowAll, codecs: [codec] });
    const { payloads } = (await (await post(`${url}/decode`, { payloads: [jsonPayload(wire[0] as Payload)] })).json()) as { payloads: { data: string }[] };
    expect(JSON.parse(Buffer.from(payloads[0]?.data ?? '', 'base64').toString())).toEqual(value);
  });
});
