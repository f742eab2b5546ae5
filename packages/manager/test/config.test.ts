import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClaimCheckWarning, defineStoreProvider, hasErrorCode, MemoryStore, storeBaseOptions } from '@claimcheck/core';
import { describe, expect, it } from 'vitest';
import { configFromEnv, createManager, defaultStorageType, defaults, type ManagerConfig } from '../src/index.js';

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
  it('reads the manager’s variables and hands the environment on to the store’s provider', () => {
    const env = {
      BLOB_STORAGE_TYPE: 'filesystem',
      BLOB_STORAGE_PATH: '/var/claimcheck',
      CLAIMCHECK_ENABLED: 'true',
      CLAIMCHECK_THRESHOLD_BYTES: '51200',
      CLAIMCHECK_COMPRESSION_ENABLED: 'false',
      CLAIMCHECK_COMPRESSION: 'GZIP',
      CLAIMCHECK_MAX_PAYLOAD_BYTES: '1048576',
      R2_BUCKET: 'bucket',
    };
    expect(configFromEnv(env)).toEqual({
      storageType: 'filesystem',
      enabled: true,
      thresholdBytes: 51200,
      compressionEnabled: false,
      compression: 'gzip',
      maxPayloadBytes: 1_048_576,
      storeEnv: env,
    });
  });

  it('an empty environment leaves the defaults: r2, as in the origin', () => {
    expect(configFromEnv({})).toEqual({ storeEnv: {} });
    expect(defaults).toEqual({ enabled: true, thresholdBytes: 51200, compressionEnabled: true, compression: 'zstd', maxPayloadBytes: 256 * 1024 * 1024 });
    expect(defaultStorageType).toBe('r2');
  });

  it('accepts the boolean spellings of Go’s ParseBool', () => {
    for (const [value, expected] of [['1', true], ['T', true], ['TRUE', true], ['0', false], ['f', false], ['False', false]] as const) {
      expect(configFromEnv({ CLAIMCHECK_ENABLED: value }).enabled).toBe(expected);
    }
  });

  const malformed: [string, Record<string, string>, RegExp][] = [
    ['a threshold of abc', { CLAIMCHECK_THRESHOLD_BYTES: 'abc' }, /CLAIMCHECK_THRESHOLD_BYTES="abc" is not a whole number/],
    ['a threshold of -1', { CLAIMCHECK_THRESHOLD_BYTES: '-1' }, /CLAIMCHECK_THRESHOLD_BYTES="-1"/],
    ['a threshold of 1.5', { CLAIMCHECK_THRESHOLD_BYTES: '1.5' }, /CLAIMCHECK_THRESHOLD_BYTES="1.5"/],
    ['a threshold of 1e3', { CLAIMCHECK_THRESHOLD_BYTES: '1e3' }, /CLAIMCHECK_THRESHOLD_BYTES="1e3"/],
    ['a threshold past 2^53', { CLAIMCHECK_THRESHOLD_BYTES: '99999999999999999999' }, /CLAIMCHECK_THRESHOLD_BYTES/],
    ['enabled=maybe', { CLAIMCHECK_ENABLED: 'maybe' }, /CLAIMCHECK_ENABLED="maybe" is not a boolean/],
    ['compression=yes please', { CLAIMCHECK_COMPRESSION_ENABLED: 'yes please' }, /CLAIMCHECK_COMPRESSION_ENABLED/],
    ['an unknown codec', { CLAIMCHECK_COMPRESSION: 'brotli' }, /CLAIMCHECK_COMPRESSION="brotli" is not one of the choices \(supported: zstd, gzip\)/],
    ['a max payload of 1e9', { CLAIMCHECK_MAX_PAYLOAD_BYTES: '1e9' }, /CLAIMCHECK_MAX_PAYLOAD_BYTES="1e9"/],
  ];
  for (const [label, env, message] of malformed) {
    it(`${label} is INVALID_CONFIG naming the variable, never a default`, () => {
      const error = thrown(() => configFromEnv(env));
      expect(hasErrorCode(error, 'INVALID_CONFIG')).toBe(true);
      expect(error.message).toMatch(message);
    });
  }

  // The store's variables are its provider's: they fail when the manager creates the store.
  const malformedStore: [string, Record<string, string>, RegExp][] = [
    ['an unknown layout', { BLOB_STORAGE_TYPE: 'filesystem', BLOB_STORAGE_LAYOUT: 'spiral' }, /^filesystem config failed: BLOB_STORAGE_LAYOUT="spiral" is not one of the choices \(supported: flat, sharded\)/],
    ['path style=sometimes', { BLOB_STORAGE_TYPE: 'r2', R2_FORCE_PATH_STYLE: 'sometimes' }, /^r2 config failed: R2_FORCE_PATH_STYLE="sometimes" is not a boolean/],
    ['an unknown storage type', { BLOB_STORAGE_TYPE: 'S3!' }, /unknown storage type: "S3!" \(built in: r2, filesystem, fs; or the name of an installed package/],
  ];
  for (const [label, env, message] of malformedStore) {
    it(`${label} is INVALID_CONFIG from createManager naming the variable`, async () => {
      const error = await rejected(() => createManager(configFromEnv(env)));
      expect(hasErrorCode(error, 'INVALID_CONFIG')).toBe(true);
      expect(error.message).toMatch(message);
    });
  }
});

describe('createManager configuration errors', () => {
  const invalid: [string, ManagerConfig, RegExp][] = [
    ['an unknown storage type', { storageType: 'S3' }, /unknown storage type: "S3" \(built in: r2, filesystem, fs/],
    ['a storageType that is neither a name nor a provider', { storageType: { name: 'x' } as unknown as string }, /storageType must be a store name, a package name or a store provider/],
    ['a negative threshold', { thresholdBytes: -1, store: new MemoryStore() }, /thresholdBytes/],
    ['a fractional threshold', { thresholdBytes: 1.5, store: new MemoryStore() }, /thresholdBytes/],
    ['a non-boolean enabled', { enabled: 'yes' as unknown as boolean, store: new MemoryStore() }, /enabled must be true or false/],
    ['a store that is not an ObjectStore', { store: {} as unknown as MemoryStore }, /store is not an ObjectStore: it has no put/],
    ['an unknown codec', { compression: 'lz4' as 'zstd', store: new MemoryStore() }, /compression must be one of zstd, gzip, got "lz4"/],
    ['a max payload of 0', { maxPayloadBytes: 0, store: new MemoryStore() }, /maxPayloadBytes must be a whole number of bytes from 1/],
    ['a max payload past the largest buffer', { maxPayloadBytes: 2 ** 53, store: new MemoryStore() }, /maxPayloadBytes/],
    ['a threshold over the max payload', { thresholdBytes: 2048, maxPayloadBytes: 1024, store: new MemoryStore() }, /thresholdBytes \(2048\) must not exceed maxPayloadBytes \(1024\)/],
    ['storeOptions that are not an object', { storageType: 'fs', storeOptions: 'basePath=/x' as unknown as Record<string, unknown> }, /storeOptions must be an object/],
    ['an onWarning that is not a function', { onWarning: 'log' as unknown as () => void, store: new MemoryStore() }, /onWarning must be a function/],
    ['r2 with a missing secret', { storageType: 'r2', storeOptions: { bucket: 'b', endpoint: 'https://e', accessKeyId: 'i' } }, /^r2 config failed: missing secretAccessKey \(R2_SECRET_ACCESS_KEY\)/],
    ['a store option given to the manager itself', { storageType: 'filesystem', basePath: '/tmp/x' } as ManagerConfig, /unknown option basePath \(options: enabled, .*; the store's own options go in storeOptions/],
    ['a misspelt store option', { storageType: 'filesystem', storeOptions: { basepath: '/tmp/x' } }, /unknown option basepath \(options: basePath, layout,/],
    ['a store option of the wrong type', { storageType: 'filesystem', storeOptions: { durable: 'yes' } }, /durable \(BLOB_STORAGE_DURABLE\) must be of type boolean/],
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

describe('the store’s options', () => {
  it('every filesystem option is reachable from the environment and from storeOptions, which win', async () => {
    const basePath = await mkdtemp(join(tmpdir(), 'claimcheck-manager-options-'));
    try {
      const env = { BLOB_STORAGE_TYPE: 'fs', BLOB_STORAGE_PATH: join(basePath, 'from-env'), BLOB_STORAGE_DURABLE: 'true', BLOB_STORAGE_MAX_OPEN_FILES: '2' };
      const manager = await createManager({ ...configFromEnv(env), storeOptions: { basePath: join(basePath, 'given'), layout: 'sharded' } });
      expect((await manager.store).capabilities.durableWrites).toBe(true);
      expect(await manager.describeStore()).toEqual({
        name: 'filesystem',
        options: { basePath: join(basePath, 'given'), layout: 'sharded', durable: true, maxOpenFiles: 2 },
        summary: `filesystem store, basePath=${join(basePath, 'given')} (BLOB_STORAGE_PATH)`,
        unsetNamespace: undefined,
      });
      await manager.close();
    } finally {
      await rm(basePath, { recursive: true, force: true });
    }
  });

  it('a provider object can be given directly, and the manager hands it onWarning', async () => {
    const given: Record<string, unknown>[] = [];
    const warnings: ClaimCheckWarning[] = [];
    const provider = defineStoreProvider<Record<string, unknown>>({
      name: 'memory',
      options: [{ name: 'label', type: 'string', env: 'LABEL', doc: 'a label' }, ...storeBaseOptions('MEMORY_')],
      create: (options) => {
        given.push(options);
        return new MemoryStore({ onWarning: options.onWarning as (warning: ClaimCheckWarning) => void });
      },
    });
    const onWarning = (warning: ClaimCheckWarning) => warnings.push(warning);
    const manager = await createManager({ storageType: provider, storeEnv: { LABEL: 'from-env' }, onWarning, thresholdBytes: 0 });
    expect(given).toEqual([{ label: 'from-env', onWarning }]);
    expect([...(await manager.retrieve(await manager.offload(new Uint8Array([1]))))]).toEqual([1]);
    await manager.close();
  });

  it('describes an R2 store with its secret masked and its missing key prefix named', async () => {
    const storeOptions = { bucket: 'b', endpoint: 'http://127.0.0.1:9', accessKeyId: 'id', secretAccessKey: 'hunter2' };
    const manager = await createManager({ storageType: 'r2', storeOptions });
    const description = await manager.describeStore();
    expect(description).toMatchObject({ name: 'r2', options: { secretAccessKey: '***' }, summary: "r2 store, bucket=b (R2_BUCKET), endpoint=http://127.0.0.1:9 (R2_ENDPOINT), keyPrefix='' (default; R2_KEY_PREFIX unset)" });
    expect(description.unsetNamespace).toMatchObject({ name: 'keyPrefix', env: 'R2_KEY_PREFIX' });
    expect(JSON.stringify(description)).not.toContain('hunter2');
    await manager.close();
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
