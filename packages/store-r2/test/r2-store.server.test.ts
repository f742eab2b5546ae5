import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { generateKey, isClaimCheckError } from '@claimcheck/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { R2Store } from '../src/index.js';
import { logCommands } from './support/command-log.js';
import { describeTarget } from './support/described-targets.js';
import { freshPrefix, objectNames, purgePrefix, rawClient, type S3Target, targetOptions } from './support/s3-target.js';
import { codeOf } from './support/error-code.js';

const MiB = 1024 * 1024;

async function* chunksOf(size: number, count: number, failure?: Error): AsyncGenerator<Uint8Array> {
  for (let index = 0; index < count; index++) yield new Uint8Array(size).fill(index);
  if (failure !== undefined) throw failure;
}

describeTarget((target: S3Target) => {
  const admin = rawClient(target);
  const cleanup: { store: R2Store; client?: S3Client; prefix: string }[] = [];
  // A store under a fresh prefix, on its own client so commands can be logged; cleaned up after each test.
  const storeWithLog = (label: string, prefix = freshPrefix(label)) => {
    const client = rawClient(target);
    const commands = logCommands(client);
    const store = new R2Store({ bucket: target.bucket, client, keyPrefix: prefix });
    cleanup.push({ store, client, prefix });
    return { store, commands, prefix };
  };
  afterEach(async () => {
    for (const { store, client, prefix } of cleanup.splice(0)) {
      await store.close();
      client?.destroy();
      await purgePrefix(admin, target.bucket, prefix);
    }
  });
  afterAll(() => {
    admin.destroy();
  });

  describe('listKeys', () => {
    it('follows continuation tokens past 1000 keys, yielding the first page before fetching the second', async () => {
      const { store, commands } = storeWithLog('pagination');
      const keys: string[] = [];
      for (let batch = 0; batch < 1050; batch += 50) {
        keys.push(...(await Promise.all(Array.from({ length: 50 }, () => store.put(new Uint8Array(0))))));
      }
      commands.length = 0;
      const listed: string[] = [];
      let pagesWhenFirstKeyArrived = 0;
      for await (const key of store.listKeys()) {
        if (listed.length === 0) pagesWhenFirstKeyArrived = commands.length;
        listed.push(key);
      }
      expect(pagesWhenFirstKeyArrived).toBe(1);
      expect(commands).toEqual(['ListObjectsV2Command', 'ListObjectsV2Command']);
      expect(listed).toHaveLength(1050);
      expect(new Set(listed)).toEqual(new Set(keys));
    });

    it('with keyPrefix “…/a”, look-alikes of keys are not listed; “…/ab/<uuid>” is the object of key “b/<uuid>”', async () => {
      const base = freshPrefix('sibling');
      const { store } = storeWithLog('sibling', `${base}a`);
      cleanup.push({ store, prefix: base });
      const key = await store.put(new Uint8Array([1]));
      const lookAlikes = [
        `${base}ab${generateKey()}`.slice(0, -1),
        `${base}a/${generateKey()}`,
        `${base}a${generateKey()}.tmp`,
        `${base}a${generateKey().toUpperCase()}`,
        `${base}a.b/${generateKey()}`,
        `${base}${generateKey()}`,
      ];
      // A bucket prefix without a trailing / runs on into a key prefix's first segment: this name is
      // the key b/<uuid> of this store, as the README warns, not a neighbour's that is hidden.
      const sibling = generateKey();
      for (const name of [...lookAlikes, `${base}ab/${sibling}`]) {
        await admin.send(new PutObjectCommand({ Bucket: target.bucket, Key: name, Body: new Uint8Array([2]) }));
      }
      const listed: string[] = [];
      for await (const listedKey of store.listKeys()) listed.push(listedKey);
      expect(listed.sort()).toEqual([key, `b/${sibling}`].sort());
      expect(Array.from(await store.get(`b/${sibling}`))).toEqual([2]);
    });
  });

  describe('what is stored', () => {
    it('put and putStream store the exact bytes as application/octet-stream, with no Content-Encoding', async () => {
      const { store, prefix } = storeWithLog('stored');
      const small = await store.put(new TextEncoder().encode('Hello, World!'));
      const streamed = await store.putStream(chunksOf(MiB, 3));
      const multipart = await store.putStream(chunksOf(MiB, 17));
      for (const [key, size] of [[small, 13], [streamed, 3 * MiB], [multipart, 17 * MiB]] as const) {
        const head = await admin.send(new HeadObjectCommand({ Bucket: target.bucket, Key: `${prefix}${key}` }));
        expect(head.ContentType).toBe('application/octet-stream');
        expect(head.ContentEncoding).toBeUndefined();
        // The raw length: a server that stored the SDK's aws-chunked framing would report more.
        expect(head.ContentLength).toBe(size);
      }
      const raw = await admin.send(new GetObjectCommand({ Bucket: target.bucket, Key: `${prefix}${small}` }));
      expect(await raw.Body?.transformToString()).toBe('Hello, World!');
    });

    it('a putStream larger than one part goes up as a multipart upload and reads back intact', async () => {
      const { store, commands } = storeWithLog('multipart');
      const key = await store.putStream(chunksOf(MiB, 20));
      expect(commands).toEqual([
        'CreateMultipartUploadCommand',
        'UploadPartCommand',
        'UploadPartCommand',
        'UploadPartCommand',
        'CompleteMultipartUploadCommand',
      ]);
      const data = await store.get(key);
      expect(data.byteLength).toBe(20 * MiB);
      for (let index = 0; index < 20; index++) expect(data[index * MiB]).toBe(index);
    });

    // A Buffer too: its slice() is a view of the same memory, so only a real copy keeps each chunk.
    it.each([
      ['Uint8Array', (size: number) => new Uint8Array(size)],
      ['Buffer', (size: number) => Buffer.alloc(size)],
    ])('a putStream whose source reuses one %s for every chunk stores each chunk as it was yielded', async (_, allocate) => {
      const { store } = storeWithLog('reused-buffer');
      async function* reusing(): AsyncGenerator<Uint8Array> {
        const buffer = allocate(MiB);
        for (let index = 0; index < 12; index++) yield buffer.fill(index);
      }
      const data = await store.get(await store.putStream(reusing()));
      expect(data.byteLength).toBe(12 * MiB);
      for (let index = 0; index < 12; index++) expect([data[index * MiB], data[(index + 1) * MiB - 1]]).toEqual([index, index]);
    });

    it('a putStream whose source fails after several parts rejects with the source’s error and stores no object', async () => {
      const { store, prefix } = storeWithLog('failed-multipart');
      const failure = new Error('source broke after 20 MiB');
      const error = await store.putStream(chunksOf(MiB, 20, failure)).catch((caught: unknown) => caught);
      expect(isClaimCheckError(error) && error.code).toBe('SOURCE_FAILURE');
      expect((error as Error).cause).toBe(failure);
      expect(await objectNames(admin, target.bucket, prefix)).toEqual([]);
    });

    if (target.listsMultipartUploads) {
      it('a failed or aborted multipart putStream leaves no multipart upload behind', async () => {
        const { store, prefix } = storeWithLog('abandoned-parts');
        await expect(store.putStream(chunksOf(MiB, 20, new Error('source broke')))).rejects.toThrow(/source broke/);
        const controller = new AbortController();
        async function* abortsAfterTwoParts(): AsyncGenerator<Uint8Array> {
          yield* chunksOf(MiB, 18);
          controller.abort();
          yield new Uint8Array(MiB);
        }
        expect(await codeOf(() => store.putStream(abortsAfterTwoParts(), { signal: controller.signal }))).toBe('ABORTED');
        // The uploads are aborted in the background; close() waits for that.
        await store.close();
        const uploads = await admin.send(new ListMultipartUploadsCommand({ Bucket: target.bucket, Prefix: prefix }));
        expect(uploads.Uploads ?? []).toEqual([]);
        expect(await objectNames(admin, target.bucket, prefix)).toEqual([]);
      });
    }
  });

  describe('health and credentials', () => {
    it('health of a bucket that does not exist rejects with INVALID_CONFIG naming the bucket', async () => {
      const bucket = `claimcheck-missing-${randomUUID()}`;
      const store = new R2Store(targetOptions(target, { bucket }));
      const error = await store.health().catch((caught: unknown) => caught);
      expect(isClaimCheckError(error) && error.code).toBe('INVALID_CONFIG');
      expect((error as Error).message).toContain(bucket);
      await store.close();
    });

    it('get from a bucket that does not exist is INVALID_CONFIG, never NOT_FOUND', async () => {
      const store = new R2Store(targetOptions(target, { bucket: `claimcheck-missing-${randomUUID()}` }));
      expect(await codeOf(() => store.get(generateKey()))).toBe('INVALID_CONFIG');
      expect(await codeOf(() => store.getStream(generateKey()))).toBe('INVALID_CONFIG');
      await store.close();
    });

    it('an unknown access key is UNAUTHORIZED, and the secret appears in no error or inspection', async () => {
      const secretAccessKey = `claimcheck-secret-${randomUUID()}`;
      const store = new R2Store(targetOptions(target, { accessKeyId: `unknown${randomUUID().slice(0, 8)}`, secretAccessKey }));
      const errors = await Promise.all([
        store.health().catch((caught: unknown) => caught),
        store.get(generateKey()).catch((caught: unknown) => caught),
        store.put(new Uint8Array([1])).catch((caught: unknown) => caught),
      ]);
      for (const error of errors) {
        expect(isClaimCheckError(error) && error.code).toBe('UNAUTHORIZED');
        const shown = [String(error), (error as Error).stack, inspect(error, { depth: Infinity }), JSON.stringify(error)];
        for (const text of shown) expect(text).not.toContain(secretAccessKey);
      }
      for (const text of [String(store), inspect(store, { depth: Infinity }), JSON.stringify(store)]) {
        expect(text).not.toContain(secretAccessKey);
      }
      await store.close();
    });

    if (target.verifiesSignatures) {
      it('a wrong secret is UNAUTHORIZED for health, get and put, never NOT_FOUND', async () => {
        const store = new R2Store(targetOptions(target, { secretAccessKey: `claimcheck-secret-${randomUUID()}` }));
        expect(await codeOf(() => store.health())).toBe('UNAUTHORIZED');
        expect(await codeOf(() => store.get(generateKey()))).toBe('UNAUTHORIZED');
        expect(await codeOf(() => store.put(new Uint8Array([1])))).toBe('UNAUTHORIZED');
        await store.close();
      });
    }
  });
});
