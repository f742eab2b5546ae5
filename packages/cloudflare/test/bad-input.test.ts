import { isClaimCheckError, MemoryStore } from '@claimcheck/core';
import { createManager, type ClaimCheckManager } from '@claimcheck/manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimCheckConsumer, claimCheckQueue, claimCheckWorkflow, isOffloadedPayload, R2BindingStore, type MessageLike, type QueueLike, type R2BucketLike } from '../src/index.js';

// The checks that run before any binding is called, and the consumer's release rule. They need no
// workerd: the package's code is plain JavaScript, and the bindings here record what they are asked.
async function rejectsWith(code: string, action: () => unknown): Promise<void> {
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  expect(isClaimCheckError(caught) ? caught.code : caught).toBe(code);
}

const unusedQueue: QueueLike = {
  send: () => Promise.reject(new Error('nothing may be sent')),
  sendBatch: () => Promise.reject(new Error('nothing may be sent')),
};

let manager: ClaimCheckManager;
async function storedKeys(): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of (await manager.store).listKeys()) keys.push(key);
  return keys;
}
beforeEach(async () => {
  manager = await createManager({ store: new MemoryStore() });
});
afterEach(() => manager.close());

describe('bad input is refused with a typed error', () => {
  it('R2BindingStore without a binding, or with a key prefix over 988 bytes, is INVALID_CONFIG', async () => {
    await rejectsWith('INVALID_CONFIG', () => new R2BindingStore({ bucket: undefined as unknown as R2BucketLike }));
    await rejectsWith('INVALID_CONFIG', () => new R2BindingStore({ bucket: {} as R2BucketLike }));
    const bucket = { get: () => null, put: () => null } as unknown as R2BucketLike;
    await rejectsWith('INVALID_CONFIG', () => new R2BindingStore({ bucket, keyPrefix: 'p'.repeat(989) }));
    expect(new R2BindingStore({ bucket, keyPrefix: 'p'.repeat(988) }).toJSON()).toEqual({ name: 'r2', keyPrefix: 'p'.repeat(988) });
  });

  it('a key whose object name would pass 1024 bytes is INVALID_KEY before the binding is called; one of exactly 1024 is written', async () => {
    const calls: string[] = [];
    const record = (method: string) => (name: string) => {
      calls.push(`${method} ${name}`);
      return Promise.resolve(null);
    };
    const recording = { get: record('get'), head: record('head'), delete: record('delete'), put: (name: string) => record('put')(name).then(() => ({})) } as unknown as R2BucketLike;
    // 900 bytes of store prefix + an 87-character key prefix + '/' + a 36-character UUID = 1024.
    const store = new R2BindingStore({ bucket: recording, keyPrefix: `${'p'.repeat(899)}/` });
    const fitting = `${'k'.repeat(40)}/${'m'.repeat(46)}`;
    const tooLong = `${fitting}x`;
    await rejectsWith('INVALID_KEY', () => store.put(new Uint8Array([1]), { keyPrefix: tooLong }));
    await rejectsWith('INVALID_KEY', () => store.putStream((async function* () { yield new Uint8Array([1]); })(), { keyPrefix: tooLong }));
    const tooLongKey = `${tooLong}/${crypto.randomUUID()}`;
    for (const call of [() => store.get(tooLongKey), () => store.getStream(tooLongKey), () => store.head(tooLongKey), () => store.delete(tooLongKey)]) {
      await rejectsWith('INVALID_KEY', call);
    }
    expect(calls).toEqual([]);
    const key = await store.put(new Uint8Array([1]), { keyPrefix: fitting });
    expect(calls).toEqual([`put ${'p'.repeat(899)}/${key}`]);
    expect(new TextEncoder().encode(calls[0]?.slice('put '.length)).byteLength).toBe(1024);
  });

  it('an inline limit over the platform limit, or not a whole number, is INVALID_CONFIG', async () => {
    await rejectsWith('INVALID_CONFIG', () => claimCheckQueue(unusedQueue, manager, { maxInlineBytes: 128_001 }));
    await rejectsWith('INVALID_CONFIG', () => claimCheckQueue(unusedQueue, manager, { maxBatchBytes: 0 }));
    await rejectsWith('INVALID_CONFIG', () => claimCheckWorkflow(manager, { maxInlineBytes: 1.5 }));
  });

  it('a body that is neither bytes nor JSON is INVALID_PAYLOAD, and nothing is sent or stored', async () => {
    const queue = claimCheckQueue(unusedQueue, manager);
    // A rejection, never a synchronous throw: the inline path has no await of its own.
    const refused = queue.send(() => 1);
    expect(refused).toBeInstanceOf(Promise);
    await rejectsWith('INVALID_PAYLOAD', () => refused);
    await rejectsWith('INVALID_PAYLOAD', () => queue.send(10n));
    await rejectsWith('INVALID_PAYLOAD', () => claimCheckWorkflow(manager).payload(Symbol('x')));
    expect(await storedKeys()).toEqual([]);
  });
});

describe('a body is measured by its UTF-8 encoding, as the queue counts it', () => {
  function recordingQueue(): QueueLike & { sent: { body: unknown; contentType: unknown }[] } {
    const sent: { body: unknown; contentType: unknown }[] = [];
    return { sent, send: async (body, options) => sent.push({ body, contentType: options?.contentType }), sendBatch: () => Promise.reject(new Error('not used')) };
  }

  it('a body whose JSON has fewer characters than the limit but more bytes is offloaded; one that fits is sent as it is', async () => {
    const target = recordingQueue();
    const queue = claimCheckQueue(target, manager, { maxInlineBytes: 1000 });
    const fits = { note: '€'.repeat(327) }; // {"note":"…"}: 11 + 981 = 992 bytes in 338 characters
    const over = { note: '€'.repeat(331) }; // 1004 bytes in 342 characters
    await queue.send(fits);
    await queue.send(over);
    expect(target.sent[0]).toEqual({ body: fits, contentType: 'json' });
    expect(target.sent[0]?.body).toBe(fits);
    expect(isOffloadedPayload(target.sent[1]?.body)).toBe(true);
    expect(manager.metrics()).toMatchObject({ inline: 1, bytesInline: 992, offloaded: 1, bytesOffloaded: 1004 });
    expect(await storedKeys()).toHaveLength(1);
  });
});

describe('the consumer releases a blob only for a message that is done with', () => {
  async function deliver(decide: (message: { ack(): void; retry(): void }) => void, handlerThrows = false): Promise<string[]> {
    const sent: unknown[] = [];
    await claimCheckQueue({ send: async (body) => sent.push(body), sendBatch: () => Promise.resolve() }, manager).send({ filler: 'x'.repeat(200_000) });
    const message: MessageLike = { id: 'm1', timestamp: new Date(), body: sent[0], attempts: 1, ack: () => undefined, retry: () => undefined };
    const waited: Promise<unknown>[] = [];
    const handler = claimCheckConsumer(() => manager, async (batch) => {
      const [wrapped] = batch.messages;
      if (wrapped === undefined) throw new Error('no message');
      await wrapped.body();
      decide(wrapped);
      if (handlerThrows) throw new Error('handler failed');
    });
    await handler({ queue: 'q', messages: [message], ackAll: () => undefined, retryAll: () => undefined }, {}, { waitUntil: (promise) => waited.push(promise) }).catch(() => undefined);
    await Promise.all(waited);
    return storedKeys();
  }

  it('acked: released', async () => {
    expect(await deliver((message) => { message.ack(); })).toEqual([]);
  });

  it('undecided, handler returned (implicit ack): released', async () => {
    expect(await deliver(() => undefined)).toEqual([]);
  });

  it('retried: kept', async () => {
    expect(await deliver((message) => { message.retry(); })).toHaveLength(1);
  });

  it('acked and retried both: kept, whichever Workers honours', async () => {
    expect(await deliver((message) => { message.retry(); message.ack(); })).toHaveLength(1);
  });

  it('undecided, handler threw (Workers retries it): kept; acked before the throw: released', async () => {
    expect(await deliver(() => undefined, true)).toHaveLength(1);
    expect(await deliver((message) => { message.ack(); }, true)).toHaveLength(1); // the first message's blob
  });
});
