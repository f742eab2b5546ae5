import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ClaimCheckError, hasErrorCode } from '../src/index.js';
import { assertBytes, collectBytes } from '../src/store-helpers.js';

const context = { operation: 'putStream', backend: 'memory' };

describe('collectBytes', () => {
  it('copies each chunk as it arrives, so a source that reuses its buffer is read correctly', async () => {
    async function* reusing(): AsyncGenerator<Uint8Array> {
      const buffer = new Uint8Array(3);
      for (const value of [1, 2, 3]) {
        buffer.fill(value);
        yield buffer;
      }
    }
    expect([...(await collectBytes(reusing(), undefined, context))]).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3]);
  });

  it('names what it got instead of bytes, even an object without a prototype', () => {
    for (const [value, name] of [[Object.create(null), 'object'], [[1], 'Array'], ['text', 'string'], [null, 'null']] as const) {
      expect(() => { assertBytes(value, context); }).toThrow(new RegExp(`expected a Uint8Array, got ${name}`));
    }
  });

  it('rejects a source that is not iterable with INVALID_PAYLOAD', async () => {
    const error = await collectBytes(42 as unknown as AsyncIterable<Uint8Array>, undefined, context).catch((e: unknown) => e);
    expect(hasErrorCode(error, 'INVALID_PAYLOAD')).toBe(true);
  });

  it('turns a failing source into SOURCE_FAILURE with the source’s error as cause', async () => {
    const failure = new Error('disk unplugged');
    const source = new Readable({ read() { this.destroy(failure); } });
    const error = await collectBytes(source, undefined, context).catch((e: unknown) => e);
    expect(hasErrorCode(error, 'SOURCE_FAILURE')).toBe(true);
    expect((error as Error).cause).toBe(failure);
  });

  it('passes a claimcheck error from an upstream stage through with its code', async () => {
    const upstream = new ClaimCheckError({ code: 'ABORTED', operation: 'offloadStream', backend: 'manager', detail: 'aborted' });
    const source = new Readable({ read() { this.destroy(upstream); } });
    expect(await collectBytes(source, undefined, context).catch((e: unknown) => e)).toBe(upstream);
  });

  it('stops the source when it rejects a chunk', async () => {
    let stopped = false;
    async function* source(): AsyncGenerator {
      try {
        yield 'text';
        yield new Uint8Array(1);
      } finally {
        stopped = true;
      }
    }
    const error = await collectBytes(source(), undefined, context).catch((e: unknown) => e);
    expect(hasErrorCode(error, 'INVALID_PAYLOAD')).toBe(true);
    expect(stopped).toBe(true);
  });
});
