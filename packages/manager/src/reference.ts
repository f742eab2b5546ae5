import { createHash } from 'node:crypto';
import { ClaimCheckError, isStoreKey } from '@claimcheck/core';

/** Bytes every encoded reference starts with; a payload that starts with them is never passed inline. */
export const referenceMarker = '{"claimcheck":"reference",';

/** The reference format version this package writes and reads. */
export const referenceVersion = 1;

/** The longest encoded reference, in bytes; longer input is never parsed. */
export const maxReferenceBytes = 1024;

/** How stored bytes are encoded. */
export type ContentEncoding = 'zstd' | 'gzip' | 'identity';

/** What a reference says about an offloaded payload. */
export interface Reference {
  /** The format version. */
  version: typeof referenceVersion;
  /** The backend that holds the blob: `filesystem`, `r2`, or a third-party store's name. */
  storage: string;
  /** The store key. */
  key: string;
  /** The original payload's size in bytes. */
  size: number;
  /** The stored blob's size in bytes. */
  storedSize: number;
  /** `zstd`, `gzip` or `identity`. */
  encoding: ContentEncoding;
  /** SHA-256 of the original bytes, lowercase hex. */
  sha256: string;
  /** When the payload was offloaded, as an ISO 8601 UTC timestamp. */
  createdAt: string;
}

const markerBytes = new TextEncoder().encode(referenceMarker);
const fieldOrder = ['version', 'storage', 'key', 'size', 'storedSize', 'encoding', 'sha256', 'createdAt'] as const;

/** A new reference, stamped with the current format version and time, for a blob just stored. */
export function newReference(fields: Omit<Reference, 'version' | 'createdAt'>): Reference {
  return { version: referenceVersion, ...fields, createdAt: new Date().toISOString() };
}

/**
 * True when `data` (bytes, or text standing for its UTF-8 encoding) starts with the reference marker:
 * it is a reference, or must be treated as one. The marker is ASCII, so text and bytes agree.
 */
export function hasReferenceMarker(data: Uint8Array | string): boolean {
  if (typeof data === 'string') return data.startsWith(referenceMarker);
  if (data.byteLength < markerBytes.byteLength) return false;
  for (let index = 0; index < markerBytes.byteLength; index++) {
    if (data[index] !== markerBytes[index]) return false;
  }
  return true;
}

/** True when `data` is a well-formed reference of a version this package reads. */
export function isReference(data: unknown): data is Uint8Array {
  if (!(data instanceof Uint8Array) || !hasReferenceMarker(data)) return false;
  try {
    parseReference(data);
    return true;
  } catch {
    return false;
  }
}

/** Encodes a reference as compact JSON with a fixed field order and a checksum over every field. */
export function encodeReference(reference: Reference): Uint8Array {
  const body = canonicalBody(reference);
  return new TextEncoder().encode(`${referenceMarker}${body},"check":"${checksum(body)}"}`);
}

/**
 * Parses and validates an encoded reference. Anything malformed, truncated, altered, not in the exact
 * form `encodeReference` writes, or of a future version is `INVALID_REFERENCE`; the error never echoes more than a short prefix of the input.
 */
export function parseReference(data: Uint8Array | string): Reference {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  if (!(bytes instanceof Uint8Array)) throw invalid('a reference must be a Uint8Array or a string');
  if (!hasReferenceMarker(bytes)) throw invalid('not a claimcheck reference (no marker)');
  if (bytes.byteLength > maxReferenceBytes) throw invalid(`reference is ${bytes.byteLength} bytes, over the ${maxReferenceBytes}-byte limit`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw invalid('reference is not complete JSON (truncated or corrupted)', error);
  }
  const record = parsed as Record<string, unknown>;
  if (record.version !== referenceVersion) {
    throw invalid(`reference version ${JSON.stringify(record.version)} is not supported (this package reads version ${referenceVersion}; upgrade @claimcheck/manager)`);
  }
  const expectedFields = ['claimcheck', ...fieldOrder, 'check'];
  const fields = Object.keys(record);
  if (fields.length !== expectedFields.length || fields.some((field, index) => field !== expectedFields[index])) {
    throw invalid(`reference fields are ${fields.join(',')}, expected ${expectedFields.join(',')}`);
  }
  const reference = validatedFields(record);
  if (record.check !== checksum(canonicalBody(reference))) throw invalid('reference checksum does not match its fields (altered or forged)');
  // One reference, one spelling: whitespace, a duplicated field, escapes or other number forms are refused.
  if (!sameBytes(encodeReference(reference), bytes)) throw invalid('reference is not in canonical form (whitespace, a duplicated field or a re-spelled value)');
  return reference;
}

// The fields in their fixed order, as compact JSON without the braces.
function canonicalBody(reference: Reference): string {
  return JSON.stringify(Object.fromEntries(fieldOrder.map((field) => [field, reference[field]]))).slice(1, -1);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}

function validatedFields(record: Record<string, unknown>): Reference {
  const { storage, key, size, storedSize, encoding, sha256, createdAt } = record;
  if (typeof storage !== 'string' || !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(storage)) throw invalid('storage is not a store name');
  if (!isStoreKey(key)) throw invalid('key is not a store key');
  if (!isByteCount(size) || !isByteCount(storedSize)) throw invalid('size and storedSize must be whole numbers of bytes');
  if (!isContentEncoding(encoding)) throw invalid(`encoding ${JSON.stringify(encoding)} is not zstd, gzip or identity`);
  if (encoding === 'identity' && storedSize !== size) throw invalid('an identity-encoded blob must be stored at its original size');
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) throw invalid('sha256 is not 64 lowercase hex digits');
  if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt)) || new Date(createdAt).toISOString() !== createdAt) {
    throw invalid('createdAt is not an ISO 8601 UTC timestamp');
  }
  return { version: referenceVersion, storage, key, size, storedSize, encoding, sha256, createdAt };
}

function isContentEncoding(value: unknown): value is ContentEncoding {
  return value === 'zstd' || value === 'gzip' || value === 'identity';
}

function isByteCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

// Catches truncation, corruption and hand edits of the reference itself. It is not a signature: whoever
// can write references can compute it. The payload's own SHA-256 is checked on every retrieve.
function checksum(body: string): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 16);
}

function invalid(detail: string, cause?: unknown): ClaimCheckError {
  return new ClaimCheckError({ code: 'INVALID_REFERENCE', operation: 'parseReference', backend: 'manager', detail, cause });
}
