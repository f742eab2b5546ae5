import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasErrorCode, MemoryStore } from '@claimcheck/core';
import { describe, expect, it } from 'vitest';
import { configFromEnv, createManager, defaults, type ManagerConfig } from '../src/index.js';

function thrown(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

async function rejected(action: () => Promise<unknown>): Promise<Error> {
  return action().then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Error,
  );
}

describe('configFromEnv', () => {
  it('reads every variable of the origin', () => {
    expect(
      configFromEnv({
        BLOB_STORAGE_TYPE: 'filesystem',
        BLOB_STORAGE_PATH: '/var/claimcheck',
        CLAIMCHECK_ENABLED: 'true',
        CLAIMCHECK_THRESHOLD_BYTES: '51200',
        CLAIMCHECK_COMPRESSION_ENABLED: 'false',
        R2_BUCKET: 'bucket',
        R2_ENDPOINT: 'https://abc123.r2.cloudflarestorage.com',
        R2_ACCESS_KEY_ID: 'id',
        R2_SECRET_ACCESS_KEY: 'secret',
        R2_REGION: 'auto',
        CLAIMCHECK_COMPRESSION: 'GZIP',
        CLAIMCHECK_MAX_PAYLOAD_BYTES: '1048576',
        R2_KEY_PREFIX: 'team-a/claimcheck/',
        R2_FORCE_PATH_STYLE: 'true',
        BLOB_STORAGE_LAYOUT: 'Sharded',
      }),
    ).toEqual({
      storageType: 'filesystem',
      filesystemBasePath: '/var/claimcheck',
      enabled: true,
      thresholdBytes: 51200,
      compressionEnabled: false,
      r2Bucket: 'bucket',
      r2Endpoint: 'https://abc123.r2.cloudflarestorage.com',
      r2AccessKeyId: 'id',
      r2SecretAccessKey: 'secret',
      r2Region: 'auto',
      compression: 'gzip',
      maxPayloadBytes: 1_048_576,
      r2KeyPrefix: 'team-a/claimcheck/',
      r2ForcePathStyle: true,
      filesystemLayout: 'sharded',
    });
  });

  it('an empty environment leaves the defaults: r2, and blobs under ~/.claimcheck/data/blobs', () => {
    expect(configFromEnv({})).toEqual({ storageType: '', filesystemBasePath: join(homedir(), '.claimcheck', 'data', 'blobs') });
    expect(defaults).toEqual({
      enabled: true,
      thresholdBytes: 51200,
      compressionEnabled: true,
      compression: 'zstd',
      maxPayloadBytes: 256 * 1024 * 1024,
      r2Region: 'auto',
    });
  });

  it('accepts the boolean spellings of Go’s ParseBool', () => {
    for (const [value, expected] of [['1', true], ['T', true], ['TRUE', true], ['0', false], ['f', false], ['False', false]] as const) {
      expect(configFromEnv({ CLAIMCHECK_ENABLED: value }).enabled).toBe(expected);
    }
  });

  const malformed: [string, Record<string, string>, RegExp][] = [
    ['a threshold of abc', { CLAIMCHECK_THRESHOLD_BYTES: 'abc' }, /CLAIMCHECK_THRESHOLD_BYTES="abc"/],
    ['a threshold of -1', { CLAIMCHECK_THRESHOLD_BYTES: '-1' }, /CLAIMCHECK_THRESHOLD_BYTES="-1"/],
    ['a threshold of 1.5', { CLAIMCHECK_THRESHOLD_BYTES: '1.5' }, /CLAIMCHECK_THRESHOLD_BYTES="1.5"/],
    ['a threshold of 1e3', { CLAIMCHECK_THRESHOLD_BYTES: '1e3' }, /CLAIMCHECK_THRESHOLD_BYTES="1e3"/],
    ['a threshold past 2^53', { CLAIMCHECK_THRESHOLD_BYTES: '99999999999999999999' }, /CLAIMCHECK_THRESHOLD_BYTES/],
    ['enabled=maybe', { CLAIMCHECK_ENABLED: 'maybe' }, /CLAIMCHECK_ENABLED="maybe" is not a boolean/],
    ['compression=yes please', { CLAIMCHECK_COMPRESSION_ENABLED: 'yes please' }, /CLAIMCHECK_COMPRESSION_ENABLED/],
    ['an unknown storage type', { BLOB_STORAGE_TYPE: 's3' }, /BLOB_STORAGE_TYPE="s3".*supported: r2, filesystem/],
    ['an unknown codec', { CLAIMCHECK_COMPRESSION: 'brotli' }, /CLAIMCHECK_COMPRESSION="brotli" is not a codec \(supported: zstd, gzip\)/],
    ['a max payload of 1e9', { CLAIMCHECK_MAX_PAYLOAD_BYTES: '1e9' }, /CLAIMCHECK_MAX_PAYLOAD_BYTES="1e9"/],
    ['an unknown layout', { BLOB_STORAGE_LAYOUT: 'spiral' }, /BLOB_STORAGE_LAYOUT="spiral" is not a layout \(supported: flat, sharded\)/],
    ['path style=sometimes', { R2_FORCE_PATH_STYLE: 'sometimes' }, /R2_FORCE_PATH_STYLE="sometimes" is not a boolean/],
  ];
  for (const [label, env, message] of malformed) {
    it(`${label} is INVALID_CONFIG naming the variable, never a default`, () => {
      const error = thrown(() => configFromEnv(env));
      expect(hasErrorCode(error, 'INVALID_CONFIG')).toBe(true);
      expect(error.message).toMatch(message);
    });
  }
});

describe('createManager configuration errors', () => {
  const invalid: [string, ManagerConfig, RegExp][] = [
    ['an unknown storage type', { storageType: 's3' as 'r2' }, /unknown storage type: "s3" \(supported: r2, filesystem\)/],
    ['a negative threshold', { thresholdBytes: -1, storageType: 'filesystem', filesystemBasePath: '/tmp/x' }, /thresholdBytes/],
    ['a fractional threshold', { thresholdBytes: 1.5, storageType: 'filesystem', filesystemBasePath: '/tmp/x' }, /thresholdBytes/],
    ['a non-boolean enabled', { enabled: 'yes' as unknown as boolean, store: new MemoryStore() }, /enabled must be true or false/],
    ['a store that is not an ObjectStore', { store: {} as unknown as MemoryStore }, /store is not an ObjectStore: it has no put/],
    ['filesystem with no path', { storageType: 'filesystem' }, /filesystemBasePath \(BLOB_STORAGE_PATH\)/],
    ['an unknown codec', { compression: 'lz4' as 'zstd', store: new MemoryStore() }, /compression must be one of zstd, gzip, got "lz4"/],
    ['a max payload of 0', { maxPayloadBytes: 0, store: new MemoryStore() }, /maxPayloadBytes must be a whole number of bytes from 1/],
    ['a max payload past the largest buffer', { maxPayloadBytes: 2 ** 53, store: new MemoryStore() }, /maxPayloadBytes/],
    ['a threshold over the max payload', { thresholdBytes: 2048, maxPayloadBytes: 1024, store: new MemoryStore() }, /thresholdBytes \(2048\) must not exceed maxPayloadBytes \(1024\)/],
    ['r2 with a missing secret', { storageType: 'r2', r2Bucket: 'b', r2Endpoint: 'https://e', r2AccessKeyId: 'i' }, /missing r2SecretAccessKey \(R2_SECRET_ACCESS_KEY\)/],
  ];
  for (const [label, config, message] of invalid) {
    it(`${label} is INVALID_CONFIG`, async () => {
      const error = await rejected(() => createManager(config));
      expect(hasErrorCode(error, 'INVALID_CONFIG')).toBe(true);
      expect(error.message).toMatch(message);
    });
  }

  it('with no configuration at all, the error says r2 is the default, names the missing R2 variables and shows local mode', async () => {
    const error = await rejected(() => createManager(configFromEnv({})));
    expect(hasErrorCode(error, 'INVALID_CONFIG')).toBe(true);
    expect(error.message).toContain('the default r2');
    for (const variable of ['R2_BUCKET', 'R2_ENDPOINT', 'R2_ACCESS_KEY_ID', 'R2_SECRET_ACCESS_KEY']) expect(error.message).toContain(variable);
    expect(error.message).toContain('BLOB_STORAGE_TYPE=filesystem');
  });

  it('a disabled manager needs no backend settings until it meets a reference', async () => {
    const manager = await createManager({ enabled: false });
    const payload = new Uint8Array(1_000_000);
    expect(await manager.offload(payload)).toBe(payload);
    expect(hasErrorCode(await rejected(() => manager.health()), 'INVALID_CONFIG')).toBe(true);
  });
});

describe('the filesystem layout', () => {
  it('a manager without BLOB_STORAGE_LAYOUT reads a sharded store’s blobs; with the wrong one it says why', async () => {
    const basePath = await mkdtemp(join(tmpdir(), 'claimcheck-manager-layout-'));
    try {
      const env = { BLOB_STORAGE_TYPE: 'filesystem', BLOB_STORAGE_PATH: basePath, CLAIMCHECK_THRESHOLD_BYTES: '10' };
      const writer = await createManager(configFromEnv({ ...env, BLOB_STORAGE_LAYOUT: 'sharded' }));
      const payload = new TextEncoder().encode('a payload longer than ten bytes');
      const reference = await writer.offload(payload);
      await writer.close();
      const reader = await createManager(configFromEnv(env));
      expect(Buffer.from(await reader.retrieve(reference)).equals(payload)).toBe(true);
      await reader.close();
      const error = await createManager(configFromEnv({ ...env, BLOB_STORAGE_LAYOUT: 'flat' })).catch((caught: unknown) => caught);
      expect(hasErrorCode(error, 'INVALID_CONFIG')).toBe(true);
      expect((error as Error).message).toContain('holds a sharded store');
    } finally {
      await rm(basePath, { recursive: true, force: true });
    }
  });
});
