import { generateKey, isInvalidReferenceError } from '@claimcheck/core';
import { describe, expect, it } from 'vitest';
import { isReference, parseReference, referenceMarker, type Reference } from '../src/index.js';
import { encodeReference, maxReferenceBytes } from '../src/reference.js';

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

  it('an encoded reference is under maxReferenceBytes even with the longest store name, sizes and key prefix', () => {
    const key = generateKey(Array.from({ length: 4 }, () => 'a'.repeat(118)).join('/'));
    const longest = { ...reference, key, storage: 'x'.repeat(64), size: Number.MAX_SAFE_INTEGER, storedSize: Number.MAX_SAFE_INTEGER };
    expect(parseReference(encodeReference(longest))).toEqual(longest);
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

  it('a zstd-encoded reference parses; an unknown encoding is INVALID_REFERENCE', () => {
    const zstd = { ...reference, encoding: 'zstd' as const };
    expect(parseReference(encodeReference(zstd))).toEqual(zstd);
    const brotli = encodeReference({ ...reference, encoding: 'br' as Reference['encoding'] });
    expect((parseError(brotli) as Error).message).toMatch(/encoding "br" is not zstd, gzip or identity/);
  });

  it('a reference not in canonical form is INVALID_REFERENCE, even with a matching check', () => {
    const sizeField = '"size":1048576,';
    const variants = {
      'duplicated field': text.replace(sizeField, `${sizeField}${sizeField}`),
      'newline before check': text.replace(',"check"', ',\n"check"'),
      'space after a colon': text.replace('"size":', '"size": '),
      'trailing newline': `${text}\n`,
      'leading space': ` ${text}`,
      'escaped letter': text.replace('"filesystem"', '"\\u0066ilesystem"'),
      'fields swapped': text.replace('"size":1048576,"storedSize":4321', '"storedSize":4321,"size":1048576'),
      'extra field before check': text.replace(',"check"', ',"note":"x","check"'),
      'number re-spelled': text.replace('"size":1048576', '"size":1048576.0'),
    };
    for (const [variant, input] of Object.entries(variants)) {
      expect(input, variant).not.toBe(text);
      expect(isInvalidReferenceError(parseError(input)), variant).toBe(true);
    }
  });

  it('fuzzed references: every mutation of a valid reference is INVALID_REFERENCE, and only that', () => {
    const random = seededRandom(0x5eed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const insertions = [' ', '\n', '\t', '\r', ',', '"', '{', '}', '0', 'a', '\\', '\u00a0'];
    const mutations: ((input: string) => string)[] = [
      (input) => {
        const at = Math.floor(random() * input.length);
        return input.slice(0, at) + pick(insertions) + input.slice(at);
      },
      (input) => {
        const at = Math.floor(random() * input.length);
        return input.slice(0, at) + input.slice(at + 1);
      },
      (input) => {
        const at = Math.floor(random() * input.length);
        return input.slice(0, at) + String.fromCharCode(32 + Math.floor(random() * 95)) + input.slice(at + 1);
      },
      (input) => {
        const fields = input.slice(1, -1).split(',');
        const at = 1 + Math.floor(random() * (fields.length - 1));
        fields.splice(at, 0, pick(fields.slice(1)));
        return `{${fields.join(',')}}`;
      },
    ];
    for (let round = 0; round < 5000; round++) {
      const mutated = pick(mutations)(text);
      if (mutated === text) continue;
      const error = parseError(mutated);
      expect(isInvalidReferenceError(error), JSON.stringify(mutated)).toBe(true);
    }
  });
});

// A small deterministic generator (mulberry32), so a failing fuzz case reproduces.
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
