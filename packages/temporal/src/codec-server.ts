import { isClaimCheckError } from '@claimcheck/core';
import type { ExternalStorage, Payload, PayloadCodec } from '@temporalio/common';
import { invalidOption } from './manager-source.js';
import { BadPayloadsError, payloadsFromJson, payloadsToJson } from './json-payload.js';
import { resolveReferences } from './reference-payload.js';

/** What the authorization hook is told about a request. */
export interface CodecRequestInfo {
  /** `encode` or `decode`. */
  operation: 'encode' | 'decode';
  /** The `X-Namespace` header: the namespace the Web UI or CLI is showing (empty when absent). */
  namespace: string;
}

/** Options of `createCodecServer`. */
export interface CodecServerOptions {
  /**
   * Decides whether a request may be served, before its body is read: check a token, a session, the
   * namespace. Return `false` to refuse (403). Required: a codec server that resolves references
   * hands out the payloads themselves. `() => true` is for a server only your machine can reach.
   */
  authorize: (request: Request, info: CodecRequestInfo) => boolean | Promise<boolean>;
  /** The workers' external storage: `decode` resolves its references to the real payloads. */
  externalStorage?: ExternalStorage;
  /** The workers' payload codecs, in the same order: `encode` runs them, `decode` runs them in reverse. */
  codecs?: PayloadCodec[];
  /** Browser origins allowed to call (CORS), such as `http://localhost:8233` for the dev server's Web UI. Default none. */
  allowedOrigins?: string[];
  /** The largest request body read, in bytes; larger is refused with 413. Default 4 MiB. */
  maxRequestBytes?: number;
  /** References to payloads larger than this (by the size the SDK recorded) are shown as the claim. Default 16 MiB. */
  maxResolvedBytes?: number;
}

/** A fetch-style handler: standard `Request` in, `Response` out (Node, Deno, Bun, Cloudflare Workers). */
export type CodecServerHandler = (request: Request) => Promise<Response>;

const allowedHeaders = 'Content-Type, X-Namespace, Authorization';

/**
 * Temporal's codec-server protocol — `POST …/encode` and `POST …/decode` with `{"payloads": […]}` in
 * proto3 JSON — for the Web UI and `temporal workflow show --codec-endpoint`. `decode` first resolves
 * External Storage references, so they show the real payload, then runs the codecs.
 */
export function createCodecServer(options: CodecServerOptions): CodecServerHandler {
  const { authorize, externalStorage, codecs = [], allowedOrigins = [], maxRequestBytes = 4 * 1024 * 1024, maxResolvedBytes = 16 * 1024 * 1024 } = options;
  if (typeof authorize !== 'function') throw invalidOption('authorize must be a function: pass () => true only for a server no one else can reach');
  for (const [name, value] of Object.entries({ maxRequestBytes, maxResolvedBytes })) {
    if (!Number.isSafeInteger(value) || value < 1) throw invalidOption(`${name} must be a whole number of bytes ≥ 1, got ${String(value)}`);
  }
  const origins = new Set(allowedOrigins);

  return async (request) => {
    const cors = corsHeaders(request, origins);
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: { ...cors, 'Access-Control-Allow-Methods': 'POST, OPTIONS', 'Access-Control-Allow-Headers': allowedHeaders, 'Access-Control-Max-Age': '86400' } });
    const operation = operationOf(new URL(request.url).pathname);
    if (operation === undefined) return errorResponse(404, 'not found: POST …/encode or …/decode', cors);
    if (request.method !== 'POST') return errorResponse(405, 'method not allowed: use POST', { ...cors, Allow: 'POST, OPTIONS' });
    const info = { operation, namespace: request.headers.get('X-Namespace') ?? '' };
    try {
      if (!(await authorize(request, info))) return errorResponse(403, 'forbidden', cors);
    } catch {
      return errorResponse(500, 'the authorization hook failed', cors);
    }
    let payloads: Payload[];
    try {
      payloads = payloadsFromJson(JSON.parse(await readBody(request, maxRequestBytes)));
    } catch (error) {
      if (error instanceof BodyTooLargeError) return errorResponse(413, `the request body is over ${maxRequestBytes} bytes`, cors);
      return errorResponse(400, error instanceof BadPayloadsError ? error.message : 'the body is not JSON', cors);
    }
    try {
      const result = operation === 'encode' ? await encode(codecs, payloads) : await decode(codecs, externalStorage, payloads, maxResolvedBytes, request.signal);
      return new Response(JSON.stringify(payloadsToJson(result)), { status: 200, headers: { ...cors, 'Content-Type': 'application/json' } });
    } catch (error) {
      // The store's code and the key reach the operator; the payload itself never does.
      const code = isClaimCheckError(error) ? error.code : 'STORE_FAILURE';
      return errorResponse(502, `${operation} failed: [${code}] ${error instanceof Error ? error.message : String(error)}`, cors);
    }
  };
}

async function encode(codecs: PayloadCodec[], payloads: Payload[]): Promise<Payload[]> {
  for (const codec of codecs) payloads = await codec.encode(payloads);
  return payloads;
}

async function decode(codecs: PayloadCodec[], externalStorage: ExternalStorage | undefined, payloads: Payload[], maxResolvedBytes: number, signal: AbortSignal): Promise<Payload[]> {
  if (externalStorage !== undefined) payloads = await resolveReferences(externalStorage, payloads, { maxResolvedBytes, signal });
  for (const codec of [...codecs].reverse()) payloads = await codec.decode(payloads);
  return payloads;
}

function operationOf(pathname: string): CodecRequestInfo['operation'] | undefined {
  if (pathname.endsWith('/encode')) return 'encode';
  if (pathname.endsWith('/decode')) return 'decode';
  return undefined;
}

function corsHeaders(request: Request, origins: Set<string>): Record<string, string> {
  const origin = request.headers.get('Origin');
  if (origin === null || !origins.has(origin)) return { Vary: 'Origin' };
  // The Web UI can send cookies or an access token ("include credentials"), so a wildcard will not do.
  return { Vary: 'Origin', 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' };
}

class BodyTooLargeError extends Error {}

// At most `limit` bytes are read, whatever Content-Length says.
async function readBody(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get('Content-Length') ?? 0);
  if (declared > limit) throw new BodyTooLargeError();
  if (request.body === null) return '';
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader: ReadableStreamDefaultReader<Uint8Array> = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > limit) {
      await reader.cancel();
      throw new BodyTooLargeError();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function errorResponse(status: number, message: string, headers: Record<string, string>): Response {
  return new Response(JSON.stringify({ error: message }), { status, headers: { ...headers, 'Content-Type': 'application/json' } });
}
