import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ObjectStore } from '@claimcheck/core';
import { createManager, type ClaimCheckManager, type ManagerConfig } from '@claimcheck/manager';
import { FilesystemStore } from '@claimcheck/store-fs';
import { R2Store } from '@claimcheck/store-r2';
import { inject, onTestFinished } from 'vitest';
import type { S3Endpoint } from '../../../../scripts/s3-target.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    s3Target: S3Endpoint;
  }
}

/** The S3 server the global setup started (s3rver) or was pointed at (RGW in CI). */
export const s3Target = (): S3Endpoint => inject('s3Target');

/** A store the suite runs on, made fresh per test. */
export interface StoreTarget {
  name: string;
  create: () => Promise<ObjectStore>;
}

/** A filesystem store in a fresh temp directory, removed when the test ends. */
export async function filesystemStore(): Promise<FilesystemStore> {
  const directory = await mkdtemp(join(tmpdir(), 'claimcheck-temporal-'));
  const store = new FilesystemStore({ basePath: directory });
  onTestFinished(async () => {
    await store.close();
    await rm(directory, { recursive: true, force: true });
  });
  return store;
}

/** An R2Store on the suite's S3 server, under a fresh key prefix. */
export function s3Store(keyPrefix = `temporal-${crypto.randomUUID()}/`): R2Store {
  const { endpoint, bucket, region, accessKeyId, secretAccessKey } = s3Target();
  const store = new R2Store({ endpoint, bucket, region, accessKeyId, secretAccessKey, forcePathStyle: true, keyPrefix });
  onTestFinished(() => store.close());
  return store;
}

/** The stores every round trip runs on: the filesystem, and S3 (s3rver locally, Ceph RGW in CI). */
export const storeTargets: StoreTarget[] = [
  { name: 'filesystem', create: filesystemStore },
  { name: 's3', create: async () => s3Store() },
];

/** A manager over `store`, closed when the test ends. */
export async function managerOn(store: ObjectStore, config: ManagerConfig = {}): Promise<ClaimCheckManager> {
  const manager = await createManager({ ...config, store });
  onTestFinished(() => manager.close());
  return manager;
}
