import { GetObjectCommand, ListMultipartUploadsCommand, type S3Client } from '@aws-sdk/client-s3';
import { generateKey } from '@claimcheck/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { R2Store } from '../src/index.js';
import { logCommands } from './support/command-log.js';
import { describeTarget } from './support/described-targets.js';
import { codeOf } from './support/error-code.js';
import { freshPrefix, objectNames, purgePrefix, rawClient, type S3Target } from './support/s3-target.js';

const MiB = 1024 * 1024;
// What the Temporal driver files a run's payloads under, with a workflow id `order/7` escaped as %2F.
const runPrefix = 'ns/default/wf/order%2F7/run/r~1';

async function* chunksOf(size: number, count: number, failure?: Error): AsyncGenerator<Uint8Array> {
  for (let index = 0; index < count; index++) yield new Uint8Array(size).fill(index);
  if (failure !== undefined) throw failure;
}

describeTarget((target: S3Target) => {
  const admin = rawClient(target);
  const cleanup: { store: R2Store; client: S3Client; prefix: string }[] = [];
  const storeUnder = (prefix: string, partSizeBytes?: number) => {
    const client = rawClient(target);
    const commands = logCommands(client);
    const store = new R2Store({ bucket: target.bucket, client, keyPrefix: prefix, partSizeBytes });
    cleanup.push({ store, client, prefix });
    return { store, commands, prefix };
  };
  afterEach(async () => {
    for (const { store, client, prefix } of cleanup.splice(0)) {
      await store.close();
      client.destroy();
      await purgePrefix(admin, target.bucket, prefix);
    }
  });
  afterAll(() => {
    admin.destroy();
  });

  describe('key prefixes', () => {
    it('a key put under a key prefix is the object named store prefix + key, its % and ~ kept as they are', async () => {
      const { store, prefix } = storeUnder(freshPrefix('prefixed-name'));
      const key = await store.put(new TextEncoder().encode('filed'), { keyPrefix: runPrefix });
      expect(key).toMatch(new RegExp(`^${runPrefix}/[0-9a-f-]{36}$`));
      // The SDK sends % as %25; a server that decoded the path twice would have filed it under order/7.
      expect(await objectNames(admin, target.bucket, prefix)).toEqual([`${prefix}${key}`]);
      const raw = await admin.send(new GetObjectCommand({ Bucket: target.bucket, Key: `${prefix}${key}` }));
      expect(await raw.Body?.transformToString()).toBe('filed');
      expect((await store.head(key)).size).toBe(5);
      expect(await store.listKeys()[Symbol.asyncIterator]().next()).toEqual({ done: false, value: key });
    });

    it('a multipart putStream under a key prefix with % and ~ completes under that name and reads back intact', async () => {
      const { store, commands, prefix } = storeUnder(freshPrefix('prefixed-multipart'), 5 * MiB);
      const key = await store.putStream(chunksOf(MiB, 11), { keyPrefix: runPrefix });
      expect(commands).toEqual(['CreateMultipartUploadCommand', 'UploadPartCommand', 'UploadPartCommand', 'UploadPartCommand', 'CompleteMultipartUploadCommand']);
      expect(await objectNames(admin, target.bucket, prefix)).toEqual([`${prefix}${key}`]);
      const data = await store.get(key);
      expect(data.byteLength).toBe(11 * MiB);
      for (let index = 0; index < 11; index++) expect(data[index * MiB]).toBe(index);
    });

    if (target.listsMultipartUploads) {
      it('a failed multipart putStream under a key prefix leaves no multipart upload behind', async () => {
        const { store, prefix } = storeUnder(freshPrefix('prefixed-abandoned'), 5 * MiB);
        const code = await codeOf(() => store.putStream(chunksOf(MiB, 12, new Error('source broke')), { keyPrefix: runPrefix }));
        expect(code).toBe('SOURCE_FAILURE');
        await store.close();
        const uploads = await admin.send(new ListMultipartUploadsCommand({ Bucket: target.bucket, Prefix: `${prefix}${runPrefix}/` }));
        expect(uploads.Uploads ?? []).toEqual([]);
        expect(await objectNames(admin, target.bucket, prefix)).toEqual([]);
      });
    }

    it('under a long store prefix, a key whose object name would pass 1024 bytes is INVALID_KEY before any request; one of exactly 1024 is stored', async () => {
      // Segments of at most 200 bytes: s3rver files objects as paths, whose names stop at 255.
      const storePrefix = longPrefix(freshPrefix('long-names'), 900);
      const { store, commands } = storeUnder(storePrefix);
      // 900 + 87 + '/' + a 36-character UUID = 1024.
      const fitting = `${'k'.repeat(40)}/${'m'.repeat(46)}`;
      expect(Buffer.byteLength(`${storePrefix}${fitting}/${generateKey()}`)).toBe(1024);
      const tooLong = `${fitting}x`;
      await expect(store.put(new Uint8Array([1]), { keyPrefix: tooLong })).rejects.toThrow(/^r2 put failed: invalid key .*: after the store's keyPrefix its object name would be 1025 bytes, over the 1024 an object name may have/);
      expect(await codeOf(() => store.putStream(chunksOf(10, 1), { keyPrefix: tooLong }))).toBe('INVALID_KEY');
      const tooLongKey = `${tooLong}/${generateKey()}`;
      for (const call of [() => store.get(tooLongKey), () => store.getStream(tooLongKey), () => store.head(tooLongKey), () => store.delete(tooLongKey)]) {
        expect(await codeOf(call)).toBe('INVALID_KEY');
      }
      expect(commands).toEqual([]);
      const key = await store.put(new Uint8Array([7, 8]), { keyPrefix: fitting });
      expect(Array.from(await store.get(key))).toEqual([7, 8]);
      expect(await objectNames(admin, target.bucket, storePrefix)).toEqual([`${storePrefix}${key}`]);
    });
  });
});

// `base` padded to exactly `bytes` bytes with segments of 50 to 200 bytes, ending with /.
function longPrefix(base: string, bytes: number): string {
  let prefix = base;
  while (bytes - prefix.length > 200) prefix += `${'p'.repeat(149)}/`;
  return `${prefix}${'p'.repeat(bytes - prefix.length - 1)}/`;
}
