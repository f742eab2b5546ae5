import { AbortMultipartUploadCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { type ClaimCheckWarning, isClaimCheckError } from '@claimcheck/core';
import { describe, expect, it } from 'vitest';
import { R2Store, type R2StoreOptions } from '../src/index.js';
import { faultProxySuite } from './support/fault-proxy-suite.js';
import { localTarget, objectNames, targetOptions } from './support/s3-target.js';

// Every way a putStream can end early, on the loopback server. Parts are S3's smallest (5 MiB),
// so a 12 MiB source is already three parts and the 20-way run stays light.
const target = localTarget();
const MiB = 1024 * 1024;
const partSizeBytes = 5 * MiB;
const uuidPattern = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
// Each connection moves 3.2 MiB/s: a 5 MiB part stays in flight for over a second.
const slowLink = { kind: 'throttle', bytes: 64 * 1024, everyMs: 20 } as const;

/** `count` chunks of 1 MiB; before the chunk numbered `at`, `act` runs (it may abort, or throw). */
async function* chunks(count: number, at = Infinity, act: () => void = () => undefined): AsyncGenerator<Uint8Array> {
  for (let index = 0; index < count; index++) {
    if (index === at) act();
    yield new Uint8Array(MiB).fill(index);
  }
}

async function codeOf(action: Promise<unknown>): Promise<unknown> {
  try {
    await action;
  } catch (error) {
    return isClaimCheckError(error) ? error.code : error;
  }
  return 'resolved';
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe(`a putStream that ends early leaves no multipart upload on ${target.server}`, () => {
  const suite = faultProxySuite(target, 'upload-cleanup');
  const { admin, prefix } = suite;
  let labels = 0;

  /** A store through the proxy under its own prefix, collecting its warnings. */
  const isolatedStore = (options: R2StoreOptions = {}) => {
    const keyPrefix = `${prefix}${String(labels++)}/`;
    const warnings: ClaimCheckWarning[] = [];
    const store = new R2Store(
      targetOptions(target, { endpoint: suite.proxy.endpoint, keyPrefix, partSizeBytes, onWarning: (warning) => warnings.push(warning), ...options }),
    );
    suite.stores.push(store);
    return { store, keyPrefix, warnings };
  };

  const uploadsUnder = async (keyPrefix: string) =>
    (await admin.send(new ListMultipartUploadsCommand({ Bucket: target.bucket, Prefix: keyPrefix }))).Uploads ?? [];

  /**
   * What a closed store left under `keyPrefix`: on a server that lists multipart uploads (RGW, R2),
   * none, and no warning. s3rver lists none and refuses AbortMultipartUpload (405): there the
   * store's attempt shows as one CLEANUP_FAILED warning per upload, naming its id and object.
   */
  const expectNoUploadLeft = async (keyPrefix: string, warnings: ClaimCheckWarning[], uploads = 1) => {
    expect(await objectNames(admin, target.bucket, keyPrefix)).toEqual([]);
    if (target.listsMultipartUploads) {
      expect(warnings).toEqual([]);
      expect(await uploadsUnder(keyPrefix)).toEqual([]);
      return;
    }
    expect(warnings.map(({ code }) => code)).toEqual(Array.from({ length: uploads }, () => 'CLEANUP_FAILED'));
    for (const { message } of warnings) expect(message).toMatch(new RegExp(`multipart upload \\S+ of ${escaped(keyPrefix)}${uuidPattern} `));
  };

  it('an abort while parts are in flight (fired from inside the source after 12 MiB) aborts the upload on the server', async () => {
    const { store, keyPrefix, warnings } = isolatedStore();
    suite.proxy.fault = slowLink;
    const controller = new AbortController();
    const source = chunks(40, 12, () => {
      controller.abort();
    });
    expect(await codeOf(store.putStream(source, { signal: controller.signal }))).toBe('ABORTED');
    await store.close();
    await expectNoUploadLeft(keyPrefix, warnings);
  });

  it('a source that throws while parts are in flight aborts the upload on the server', async () => {
    const { store, keyPrefix, warnings } = isolatedStore();
    suite.proxy.fault = slowLink;
    const source = chunks(40, 12, () => {
      throw new Error('the source broke');
    });
    expect(await codeOf(store.putStream(source))).toBe('SOURCE_FAILURE');
    await store.close();
    await expectNoUploadLeft(keyPrefix, warnings);
  });

  it('a part that fails after its retries aborts the upload on the server', async () => {
    // Every connection carries 1 MiB of its requests, then is reset: small requests pass, every attempt at a part fails.
    const { store, keyPrefix, warnings } = isolatedStore({ maxAttempts: 2 });
    suite.proxy.fault = { kind: 'cut-upload', afterBytes: MiB };
    expect(await codeOf(store.putStream(chunks(40)))).toBe('UNAVAILABLE');
    await store.close();
    await expectNoUploadLeft(keyPrefix, warnings);
  });

  it('close() during an upload aborts it on the server before it releases the client', async () => {
    const { store, keyPrefix, warnings } = isolatedStore({ closeTimeoutMs: 100 });
    suite.proxy.fault = slowLink;
    const writing = codeOf(store.putStream(chunks(40)));
    // Past the first part's 5 MiB: the upload exists and its parts are in flight.
    await suite.proxy.receivedFromClient(6 * MiB);
    await store.close();
    expect(await writing).toBe('CLOSED');
    await expectNoUploadLeft(keyPrefix, warnings.filter(({ code }) => code !== 'CLOSE_INCOMPLETE'));
  });

  it('when the abort itself cannot reach the server, a CLEANUP_FAILED warning names the upload id and the key', async () => {
    const { store, keyPrefix, warnings } = isolatedStore({ requestTimeoutMs: 60_000 });
    suite.proxy.fault = { kind: 'stall-upload', afterBytes: MiB };
    const controller = new AbortController();
    const writing = codeOf(store.putStream(chunks(40), { signal: controller.signal }));
    // A part's request has begun, so the upload was created; from now on the server is out of reach.
    await suite.proxy.receivedFromClient(MiB);
    suite.proxy.fault = { kind: 'reset', times: Infinity };
    suite.proxy.dropConnections();
    controller.abort();
    expect(await writing).toBe('ABORTED');
    await store.close();
    expect(warnings.map(({ code }) => code)).toEqual(['CLEANUP_FAILED']);
    const [warning] = warnings;
    const named = new RegExp(`multipart upload (\\S+) of ${escaped(keyPrefix)}(${uuidPattern}) `).exec(warning?.message ?? '');
    expect(named?.[2]).toBe(warning?.key);
    if (target.listsMultipartUploads) {
      // The upload the warning names is the one left on the server, for a lifecycle rule or an operator.
      const uploads = await uploadsUnder(keyPrefix);
      expect(uploads.map(({ UploadId }) => UploadId)).toEqual([named?.[1]]);
      await admin.send(new AbortMultipartUploadCommand({ Bucket: target.bucket, Key: uploads[0]?.Key, UploadId: named?.[1] }));
    }
  });

  it('20 concurrent putStreams, aborted at random points, leave no upload behind', async () => {
    const { store, keyPrefix, warnings } = isolatedStore({ endpoint: target.endpoint });
    const runs = Array.from({ length: 20 }, async () => {
      const controller = new AbortController();
      // Most abort somewhere in their first 16 MiB, a few run to the end of their 12 MiB.
      const at = Math.floor(Math.random() * 16);
      const source = chunks(12, at, () => {
        setTimeout(() => {
          controller.abort();
        }, Math.random() * 50);
      });
      try {
        return { key: await store.putStream(source, { signal: controller.signal }), code: 'resolved' };
      } catch (error) {
        return { key: undefined, code: isClaimCheckError(error) ? error.code : String(error) };
      }
    });
    const outcomes = await Promise.all(runs);
    await store.close();
    expect(outcomes.filter(({ code }) => code !== 'resolved' && code !== 'ABORTED')).toEqual([]);
    const stored = outcomes.flatMap(({ key }) => (key === undefined ? [] : [`${keyPrefix}${key}`]));
    expect((await objectNames(admin, target.bucket, keyPrefix)).sort()).toEqual(stored.sort());
    if (target.listsMultipartUploads) {
      expect(warnings).toEqual([]);
      expect(await uploadsUnder(keyPrefix)).toEqual([]);
    } else {
      // s3rver refuses every abort: each warning names an upload the store tried to abort.
      for (const { code, message } of warnings) {
        expect(code).toBe('CLEANUP_FAILED');
        expect(message).toMatch(/multipart upload \S+ of /);
      }
    }
  }, 60_000);
});
