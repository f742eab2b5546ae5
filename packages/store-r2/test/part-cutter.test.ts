import { describe, expect, it } from 'vitest';
import { cutParts, type Part, PartBuffers } from '../src/part-cutter.js';

const partSize = 8;

// A source of `chunks`, counting how many were asked for; like a reader, it reuses one buffer per size.
function reusingSource(chunks: number[][]): { read: () => Promise<IteratorResult<Uint8Array>>; reads: () => number } {
  let index = 0;
  const buffers = new Map<number, Uint8Array>();
  return {
    read: () => {
      const chunk = chunks[index];
      index += 1;
      if (chunk === undefined) return Promise.resolve({ done: true, value: undefined });
      const buffer = buffers.get(chunk.length) ?? new Uint8Array(chunk.length);
      buffers.set(chunk.length, buffer);
      buffer.set(chunk);
      return Promise.resolve({ done: false, value: buffer });
    },
    reads: () => index,
  };
}

// Each part's bytes as numbers, read as the part is yielded (a later part may reuse its buffer).
async function cutAll(chunks: number[][], buffers = new PartBuffers(partSize)): Promise<{ number: number; bytes: number[]; last: boolean }[]> {
  const parts = [];
  for await (const part of cutParts(reusingSource(chunks).read, buffers)) parts.push({ number: part.number, bytes: [...part.bytes], last: part.last });
  return parts;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, index) => from + index);

describe('cutParts', () => {
  it('cuts chunks that straddle parts into full parts and a short last one, in order, whatever the source reuses', async () => {
    expect(await cutAll([range(0, 5), range(5, 11), range(11, 20)])).toEqual([
      { number: 1, bytes: range(0, 8), last: false },
      { number: 2, bytes: range(8, 16), last: false },
      { number: 3, bytes: range(16, 20), last: true },
    ]);
  });

  it('cuts one chunk larger than several parts', async () => {
    expect(await cutAll([range(0, 19)])).toEqual([
      { number: 1, bytes: range(0, 8), last: false },
      { number: 2, bytes: range(8, 16), last: false },
      { number: 3, bytes: range(16, 19), last: true },
    ]);
  });

  it('yields a stream of exactly one part as that one part, marked last, and of exactly two parts as two', async () => {
    expect(await cutAll([range(0, 4), range(4, 8)])).toEqual([{ number: 1, bytes: range(0, 8), last: true }]);
    expect(await cutAll([range(0, 16)])).toEqual([
      { number: 1, bytes: range(0, 8), last: false },
      { number: 2, bytes: range(8, 16), last: true },
    ]);
  });

  it('yields an empty stream, and one of empty chunks, as one empty last part', async () => {
    expect(await cutAll([])).toEqual([{ number: 1, bytes: [], last: true }]);
    expect(await cutAll([[], []])).toEqual([{ number: 1, bytes: [], last: true }]);
    expect(await cutAll([[], range(0, 8), []])).toEqual([{ number: 1, bytes: range(0, 8), last: true }]);
  });

  it('reads the source no further than the part being filled: a full part waits for the caller before the next chunk is read', async () => {
    const source = reusingSource([range(0, 8), range(8, 16), range(16, 24)]);
    const parts = cutParts(source.read, new PartBuffers(partSize));
    await parts.next();
    // Part 1 was yielded on seeing the second chunk; the third is not read until part 2 is asked for.
    expect(source.reads()).toBe(2);
    await parts.next();
    expect(source.reads()).toBe(3);
  });

  it('cuts the next part into a buffer given back, and allocates only when none is free', async () => {
    const buffers = new PartBuffers(partSize);
    const parts = cutParts(reusingSource([range(0, 8), range(8, 16), range(16, 24), range(24, 28)]).read, buffers);
    const first = (await parts.next()).value as Part;
    buffers.release(first.bytes);
    const second = (await parts.next()).value as Part;
    expect(second.bytes.buffer).toBe(first.bytes.buffer);
    const third = (await parts.next()).value as Part;
    expect(third.bytes.buffer).not.toBe(second.bytes.buffer);
    expect([...third.bytes]).toEqual(range(16, 24));
  });

  it('does not take back a buffer of another size', () => {
    const buffers = new PartBuffers(partSize);
    const foreign = Buffer.allocUnsafeSlow(partSize * 2);
    buffers.release(foreign.subarray(0, partSize));
    expect(buffers.take().buffer).not.toBe(foreign.buffer);
  });
});
