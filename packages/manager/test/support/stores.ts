import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore, type ObjectStore } from '@claimcheck/core';
import { FilesystemStore } from '@claimcheck/store-fs';
import { R2Store } from '@claimcheck/store-r2';
import { afterEach, beforeEach, inject } from 'vitest';
import { createManager, type ClaimCheckManager } from '../../src/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    s3rver: { endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string };
  }
}

/** A store the manager's checks run against, and how to make a fresh one. */
export interface StoreUnderTest {
  name: string;
  create: () => Promise<ObjectStore>;
}

/** Every backend the manager's checks must pass with: each fresh store is empty and isolated. */
export const storesUnderTest: StoreUnderTest[] = [
  { name: 'memory', create: () => Promise.resolve(new MemoryStore()) },
  {
    name: 'filesystem',
    create: async () => new FilesystemStore({ basePath: await mkdtemp(join(tmpdir(), 'claimcheck-manager-')) }),
  },
  {
    name: 'r2 (s3rver)',
    create: () => {
      const { endpoint, bucket, accessKeyId, secretAccessKey } = inject('s3rver');
      return Promise.resolve(new R2Store({ bucket, endpoint, accessKeyId, secretAccessKey, keyPrefix: `manager/${randomUUID()}/` }));
    },
  },
];

/** The environment variables that configure each backend, as a deployment would set them. */
export const backendEnvironments: { name: string; environment: (workDir: string) => Promise<Record<string, string>> }[] = [
  {
    name: 'filesystem',
    environment: (workDir) => Promise.resolve({ BLOB_STORAGE_TYPE: 'filesystem', BLOB_STORAGE_PATH: join(workDir, 'blobs') }),
  },
  {
    name: 'r2',
    environment: () => {
      const { endpoint, bucket, accessKeyId, secretAccessKey } = inject('s3rver');
      return Promise.resolve({
        BLOB_STORAGE_TYPE: 'r2',
        R2_BUCKET: bucket,
        R2_ENDPOINT: endpoint,
        R2_ACCESS_KEY_ID: accessKeyId,
        R2_SECRET_ACCESS_KEY: secretAccessKey,
      });
    },
  },
];

/** Gives each test of the enclosing describe a fresh store and a manager on it, closed afterwards. */
export function withFreshManager(
  create: () => Promise<ObjectStore>,
  thresholdBytes: number,
  receive: (fresh: { store: ObjectStore; manager: ClaimCheckManager }) => void,
): void {
  let manager: ClaimCheckManager | undefined;
  beforeEach(async () => {
    const store = await create();
    manager = await createManager({ store, thresholdBytes });
    receive({ store, manager });
  });
  afterEach(() => manager?.close());
}
