import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { assertSameBytes, causeChainIncludes, describeError, digestStream, listAll, rejectsWithCode, settlesWithin } from '../assertions.js';
import type { DefineCase } from '../harness.js';
import { lazyPayload, MiB, randomPayload } from '../payloads.js';
import { isClaimCheckError } from '../../errors.js';

// A streaming store must not hand out the blob in one piece; this bounds each chunk.
const largestStreamingChunk = 16 * MiB;
// How long close() may take once every stream was closed by its consumer.
const releasedStreamCloseMs = 3000;

/** putStream and getStream: lazily produced input, both stream kinds Node has, failures that store nothing. */
export function streamCases(define: DefineCase): void {
  define('a 64 MiB payload produced lazily round-trips through putStream and getStream', async (store) => {
    const payload = lazyPayload(64 * MiB);
    const key = await store.putStream(payload.stream);
    const expected = payload.produced();
    assert.equal(expected.length, 64 * MiB, 'putStream resolved before draining its source');
    const actual = await digestStream(await store.getStream(key));
    assert.equal(actual.length, expected.length, 'getStream returned the wrong length');
    assert.equal(actual.sha256, expected.sha256, 'getStream returned different bytes');
    if (store.capabilities.streaming) {
      assert.ok(
        actual.largestChunk <= largestStreamingChunk,
        `a store declaring streaming yielded a ${actual.largestChunk}-byte chunk (limit ${largestStreamingChunk})`,
      );
    }
  });

  define('putStream accepts a Node Readable', async (store) => {
    const payload = randomPayload(3 * MiB + 17);
    const key = await store.putStream(Readable.from([payload.subarray(0, MiB), payload.subarray(MiB)]));
    assertSameBytes(await store.get(key), payload, 'get after putStream of a Readable');
  });

  define('putStream accepts a web ReadableStream', async (store) => {
    const payload = randomPayload(2 * MiB + 5);
    const web = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(payload.slice(0, 1000));
        controller.enqueue(payload.slice(1000));
        controller.close();
      },
    });
    const key = await store.putStream(web);
    assertSameBytes(await store.get(key), payload, 'get after putStream of a ReadableStream');
  });

  define('getStream yields the same bytes as get', async (store) => {
    const payload = randomPayload(MiB + 3);
    const key = await store.put(payload);
    const streamed = await digestStream(await store.getStream(key));
    const whole = await digestStream(Readable.from([await store.get(key)]));
    assert.equal(streamed.length, whole.length, 'getStream and get disagree on length');
    assert.equal(streamed.sha256, whole.sha256, 'getStream and get disagree on the bytes');
  });

  define('putStream of a source that reuses one buffer for every chunk stores every chunk’s bytes', async (store) => {
    const expected = randomPayload(6 * MiB);
    async function* reusing(): AsyncGenerator<Uint8Array> {
      // Like a reader filling the same buffer again: a chunk is only valid until the next is asked for.
      const buffer = new Uint8Array(MiB);
      for (let offset = 0; offset < expected.byteLength; offset += MiB) {
        buffer.set(expected.subarray(offset, offset + MiB));
        yield buffer;
      }
    }
    const key = await store.putStream(reusing());
    assertSameBytes(await store.get(key), expected, 'get after putStream of a buffer-reusing source');
  });

  define('putStream of an empty stream stores 0 bytes', async (store) => {
    const key = await store.putStream(Readable.from([]));
    assert.equal((await store.get(key)).byteLength, 0);
  });

  define('putStream of a source that fails midway rejects, keeps the cause and stores nothing', async (store) => {
    const failure = new Error('source broke');
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield randomPayload(MiB);
      yield randomPayload(MiB);
      throw failure;
    }
    let caught: unknown;
    await store.putStream(failing()).catch((error: unknown) => (caught = error));
    assert.ok(isClaimCheckError(caught), `expected a ClaimCheckError, got ${describeError(caught)}`);
    assert.ok(causeChainIncludes(caught, failure), 'the source’s error is not on the cause chain');
    assert.deepEqual(await listAll(store), [], 'a failed putStream left a blob behind');
  });

  define('putStream of a chunk that is not bytes rejects with INVALID_PAYLOAD and stores nothing', async (store) => {
    async function* strings(): AsyncGenerator {
      yield new Uint8Array(10);
      yield 'not bytes';
    }
    await rejectsWithCode(() => store.putStream(strings() as AsyncIterable<Uint8Array>), 'INVALID_PAYLOAD', 'putStream of strings');
    assert.deepEqual(await listAll(store), [], 'a rejected putStream left a blob behind');
  });

  define('a getStream abandoned after one chunk leaves the blob and the store usable', async (store) => {
    const payload = randomPayload(4 * MiB);
    const key = await store.put(payload);
    for await (const chunk of await store.getStream(key)) {
      assert.ok(chunk.byteLength > 0);
      break;
    }
    await store.delete(key);
    await assert.doesNotReject(() => store.health());
  });

  // A consumer may close a stream at any point; a store that keeps counting it as in flight makes
  // close() wait out its whole close timeout (5 s by default on the base) and holds the file or
  // response open until then. The bound is well under that default and far above a prompt close.
  const closedStreams: [string, (stream: AsyncIterator<Uint8Array>) => Promise<void>][] = [
    ['before its first read', async () => undefined],
    ['midway', async (stream) => { await stream.next(); }],
    ['after its end', async (stream) => { while ((await stream.next()).done !== true); }],
  ];
  for (const [when, read] of closedStreams) {
    define(`a getStream closed ${when} releases it: close() does not wait for it`, async (store) => {
      const key = await store.put(randomPayload(2 * MiB));
      const stream = (await store.getStream(key))[Symbol.asyncIterator]();
      await read(stream);
      await stream.return?.();
      await settlesWithin(store.close(), releasedStreamCloseMs, `close after a getStream closed ${when}`);
    });
  }
}
