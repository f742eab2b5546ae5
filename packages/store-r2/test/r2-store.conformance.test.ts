import { objectStoreConformance } from '@claimcheck/core/conformance';
import { afterAll, describe, it } from 'vitest';
import { R2Store } from '../src/index.js';
import { describeTarget } from './support/described-targets.js';
import { freshPrefix, purgePrefix, rawClient, type S3Target, targetOptions } from './support/s3-target.js';

describeTarget((target: S3Target) => {
  const admin = rawClient(target);
  const prefixes = new WeakMap<R2Store, string>();
  afterAll(() => {
    admin.destroy();
  });

  objectStoreConformance({
    describe,
    it,
    name: `r2 on ${target.server}`,
    // Every store gets its own prefix in the one bucket: fresh, isolated and empty.
    create: () => {
      const keyPrefix = freshPrefix('conformance');
      const store = new R2Store(targetOptions(target, { keyPrefix }));
      prefixes.set(store, keyPrefix);
      return store;
    },
    destroy: async (store) => {
      await store.close();
      await purgePrefix(admin, target.bucket, prefixes.get(store) ?? freshPrefix('none'));
    },
    timeoutMs: 120_000,
  });
});
