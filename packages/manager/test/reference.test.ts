import { generateKey, isInvalidReferenceError } from '@claimcheck/core';
import { describe, expect, it } from 'vitest';
import { encodeReference, isReference, maxReferenceBytes, parseReference, referenceMarker, type Reference } from '../src/index.js';

const reference: Reference = {
  version: 1,
  storage: 'filesystem',
  key: generateKey(),
  size: 1_048_576,
  storedSize: 4_321,
  encoding: 'gzip',
  sha256: 'a'.repeat(64),
  createdAt: '2026-11-25T21:00:00.000Z',
};
const encoded = encodeReference(reference);
const text = new TextDecoder().decode(encoded);

function parseError(input: Uint8Array | string): unknown {
  try {
    parseReference(input);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('references', () => {
  it('encode and parse round-trip every field', () => {
    expect(parseReference(encoded)).toEqual(reference);
    expect(parseReference(text)).toEqual(reference);
    expect(isReference(encoded)).toBe(true);
  });

  it('an encoded reference is under 512 bytes even with the longest store name and sizes', () => {
    const longest = { ...reference, storage: 'x'.repeat(64), size: Number.MAX_SAFE_INTEGER, storedSize: Number.MAX_SAFE_INTEGER };
    expect(encodeReference(longest).byteLength).toBeLessThan(maxReferenceBytes);
  });

  it('is self-describing JSON that starts with the marker', () => {
    expect(text.startsWith(referenceMarker)).toBe(true);
    expect(JSON.parse(text)).toMatchObject({ claimcheck: 'reference', version: 1, key: reference.key, encoding: 'gzip' });
  });

  it('every truncation of a reference is INVALID_REFERENCE', () => {
    for (let length = 0; length < encoded.byteLength; length++) {
      const truncated = encoded.subarray(0, length);
      expect(isReference(truncated)).toBe(false);
      expect(isInvalidReferenceError(parseError(truncated)), `truncated to ${length} bytes`).toBe(true);
    }
  });

  it('a reference with any field altered is INVALID_REFERENCE (forged)', () => {
    const alterations: [string, string][] = [
      [reference.key, generateKey()],
      ['"size":1048576', '"size":1048577'],
      ['"storedSize":4321', '"storedSize":4320'],
      ['"encoding":"gzip"', '"encoding":"identity"'],
      ['a'.repeat(64), 'b'.repeat(64)],
      ['2026-11-25', '2026-11-24'],
      ['"storage":"filesystem"', '"storage":"r2"'],
    ];
    for (const [from, to] of alterations) {
      const forged = text.replace(from, to);
      expect(forged).not.toBe(text);
      expect(isInvalidReferenceError(parseError(forged)), `${from} → ${to}`).toBe(true);
    }
  });

  it('a reference from a future format version is INVALID_REFERENCE that says so', () => {
    const future = text.replace('"version":1', '"version":2');
    const error = parseError(future) as Error;
    expect(isInvalidReferenceError(error)).toBe(true);
    expect(error.message).toMatch(/version 2 is not supported/);
  });

  it('malformed references are INVALID_REFERENCE', () => {
    const malformed = [
      '',
      'hello',
      `${referenceMarker}}`,
      text.replace('}', ',"extra":1}'),
      text.replace(reference.key, '../../etc/passwd'),
      `${text.slice(0, -1)}${' '.repeat(600)}}`,
      text.replace('"check":"', '"check":"0'),
    ];
    for (const input of malformed) expect(isInvalidReferenceError(parseError(input)), input.slice(0, 80)).toBe(true);
    const invalidUtf8 = new Uint8Array([...encoded.subarray(0, 40), 0xff, 0xfe, ...encoded.subarray(42)]);
    expect(isInvalidReferenceError(parseError(invalidUtf8))).toBe(true);
  });

  it('the error message never echoes a long hostile input', () => {
    const hostile = `${referenceMarker}${'A'.repeat(10_000)}`;
    expect((parseError(hostile) as Error).message.length).toBeLessThan(200);
  });
});
