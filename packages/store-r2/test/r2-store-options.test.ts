import { inspect } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { isClaimCheckError } from '@claimcheck/core';
import { describe, expect, it } from 'vitest';
import { R2Store, type R2StoreOptions } from '../src/index.js';

const valid = {
  bucket: 'blobs',
  endpoint: 'https://0123456789abcdef.r2.cloudflarestorage.com',
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'the-secret-access-key-0123456789',
};

function configError(options: R2StoreOptions): Error {
  try {
    new R2Store(options).close().catch(() => undefined);
  } catch (error) {
    expect(isClaimCheckError(error) && error.code).toBe('INVALID_CONFIG');
    expect((error as Error).message).toMatch(/^r2 config failed: /);
    return error as Error;
  }
  throw new Error('expected INVALID_CONFIG, but the store was built');
}

describe('R2Store options', () => {
  it('a store built from the four required fields uses region auto and no prefix', () => {
    const store = new R2Store(valid);
    expect(store.toJSON()).toEqual({ name: 'r2', bucket: 'blobs', endpoint: valid.endpoint, keyPrefix: '' });
    expect(store.name).toBe('r2');
    expect(store.capabilities).toEqual({ streaming: true, durableWrites: true, keyPrefixes: true });
  });

  it('no options at all name every missing field in one INVALID_CONFIG error', () => {
    expect(configError({}).message).toBe('r2 config failed: missing bucket, endpoint, accessKeyId, secretAccessKey');
  });

  it.each(['bucket', 'endpoint', 'accessKeyId', 'secretAccessKey'] as const)('a missing or empty %s is named', (field) => {
    expect(configError({ ...valid, [field]: undefined }).message).toBe(`r2 config failed: missing ${field}`);
    expect(configError({ ...valid, [field]: '' }).message).toBe(`r2 config failed: missing ${field}`);
  });

  it.each([
    [{ endpoint: 'not a url' }, 'endpoint must be an http or https URL'],
    [{ endpoint: 'ftp://example.com' }, 'endpoint must be an http or https URL'],
    [{ endpoint: 'https://user:pass@example.com' }, 'endpoint must be an http or https URL'],
    [{ region: '' }, 'region must be a non-empty string'],
    [{ maxAttempts: 0 }, 'maxAttempts must be an integer ≥ 1'],
    [{ maxAttempts: 1.5 }, 'maxAttempts must be an integer ≥ 1'],
    [{ requestTimeoutMs: -1 }, 'requestTimeoutMs must be a positive number'],
    [{ connectionTimeoutMs: Number.NaN }, 'connectionTimeoutMs must be a positive number'],
    [{ keyPrefix: 'x'.repeat(989) }, 'keyPrefix must be at most 988 bytes'],
    [{ forcePathStyle: 'yes' as unknown as boolean }, 'forcePathStyle must be a boolean'],
    [{ waitTimeoutMs: 0 }, 'waitTimeoutMs must be a positive number'],
    [{ healthTimeoutMs: Number.POSITIVE_INFINITY }, 'healthTimeoutMs must be a positive number'],
    [{ partSizeBytes: 5 * 1024 * 1024 - 1 }, 'partSizeBytes must be an integer from 5242880 (5 MiB) to 5368709120 (5 GiB)'],
    [{ partSizeBytes: 6 * 1024 * 1024 + 0.5 }, 'partSizeBytes must be an integer from 5242880 (5 MiB)'],
    [{ partsInFlight: 0 }, 'partsInFlight must be an integer from 1 to 64'],
  ])('%o is rejected: %s', (override, problem) => {
    expect(configError({ ...valid, ...override }).message).toContain(problem);
  });

  it('a malformed limit and a missing field are named in the same error', () => {
    expect(configError({ ...valid, endpoint: undefined, partsInFlight: 1.5 }).message).toBe(
      'r2 config failed: missing endpoint; partsInFlight must be an integer from 1 to 64',
    );
  });

  it('the store limits apply to an injected client too, so they may be combined with it', async () => {
    const client = new S3Client({ region: 'auto' });
    const store = new R2Store({ bucket: 'blobs', client, waitTimeoutMs: 1_000, healthTimeoutMs: 500, partSizeBytes: 5 * 1024 * 1024, partsInFlight: 4 });
    await store.close();
    client.destroy();
  });

  it('an injected client needs only the bucket, and cannot be combined with connection options', () => {
    const client = new S3Client({ region: 'auto' });
    expect(new R2Store({ bucket: 'blobs', client }).toJSON()).toEqual({ name: 'r2', bucket: 'blobs', keyPrefix: '' });
    expect(configError({ client }).message).toBe('r2 config failed: missing bucket');
    expect(configError({ ...valid, client, maxAttempts: 2 }).message).toBe(
      'r2 config failed: client cannot be combined with endpoint, accessKeyId, secretAccessKey, maxAttempts',
    );
    client.destroy();
  });

  it('the secret never shows in toString, JSON, util.inspect or a config error', async () => {
    const store = new R2Store(valid);
    const shown = [String(store), store.toString(), JSON.stringify(store), inspect(store, { depth: Infinity, showHidden: true })];
    for (const text of shown) {
      expect(text).not.toContain(valid.secretAccessKey);
      expect(text).toContain('blobs');
    }
    const error = configError({ ...valid, endpoint: valid.secretAccessKey });
    expect(inspect(error, { depth: Infinity })).not.toContain(valid.secretAccessKey);
    await store.close();
  });
});
