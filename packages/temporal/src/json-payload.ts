import type { Payload } from '@temporalio/common';

/** A payload in proto3 JSON, as the codec-server protocol carries it: bytes as base64. */
export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
  externalPayloads?: { sizeBytes?: string | number }[];
}

/** Thrown for a request body that is not `{"payloads":[…]}` in proto3 JSON; the server answers 400. */
export class BadPayloadsError extends Error {
  override name = 'BadPayloadsError';
}

const base64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** The payloads of a codec-server request body; `BadPayloadsError` when it is not one. */
export function payloadsFromJson(body: unknown): Payload[] {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { payloads?: unknown }).payloads)) {
    throw new BadPayloadsError('the body must be {"payloads": [...]}');
  }
  return ((body as { payloads: unknown[] }).payloads).map((item, index) => payloadFromJson(item, index));
}

/** The codec-server response body for `payloads`. */
export function payloadsToJson(payloads: Payload[]): { payloads: JsonPayload[] } {
  return { payloads: payloads.map(payloadToJson) };
}

function payloadFromJson(item: unknown, index: number): Payload {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new BadPayloadsError(`payload ${index} is not an object`);
  const { metadata = {}, data = '', externalPayloads } = item as Record<string, unknown>;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) throw new BadPayloadsError(`payload ${index}: metadata is not an object`);
  const payload: Payload = { metadata: {}, data: bytes(data, `payload ${index}: data`) };
  for (const [key, value] of Object.entries(metadata)) {
    (payload.metadata as Record<string, Uint8Array>)[key] = bytes(value, `payload ${index}: metadata ${JSON.stringify(key)}`);
  }
  if (externalPayloads !== undefined) {
    if (!Array.isArray(externalPayloads)) throw new BadPayloadsError(`payload ${index}: externalPayloads is not an array`);
    // int64 fields are Long in the generated types; protobufjs takes a number as well.
    payload.externalPayloads = externalPayloads.map((details: unknown): NonNullable<Payload['externalPayloads']>[number] => {
      const sizeBytes = (details as { sizeBytes?: unknown } | null)?.sizeBytes;
      if (sizeBytes === undefined) return {};
      if ((typeof sizeBytes !== 'string' && typeof sizeBytes !== 'number') || !/^\d+$/.test(String(sizeBytes))) {
        throw new BadPayloadsError(`payload ${index}: externalPayloads sizeBytes is not a whole number`);
      }
      return { sizeBytes: Number(sizeBytes) } as unknown as NonNullable<Payload['externalPayloads']>[number];
    });
  }
  return payload;
}

function payloadToJson(payload: Payload): JsonPayload {
  const json: JsonPayload = { metadata: {} };
  for (const [key, value] of Object.entries(payload.metadata ?? {})) {
    (json.metadata as Record<string, string>)[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  }
  const data = payload.data ?? new Uint8Array();
  json.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
  if (payload.externalPayloads != null && payload.externalPayloads.length > 0) {
    json.externalPayloads = payload.externalPayloads.map((details) => (details.sizeBytes == null ? {} : { sizeBytes: String(details.sizeBytes) }));
  }
  return json;
}

function bytes(value: unknown, what: string): Uint8Array {
  if (typeof value !== 'string' || !base64.test(value)) throw new BadPayloadsError(`${what} is not base64`);
  return Buffer.from(value, 'base64');
}
