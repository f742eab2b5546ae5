import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { R2Store } from '../../src/index.js';
import { FaultProxy } from './fault-proxy.js';
import { freshPrefix, purgePrefix, rawClient, type S3Target } from './s3-target.js';

/** What a suite of fault tests shares: the proxy, a raw client, its prefix, and the stores to close. */
export interface FaultProxySuite {
  /** The proxy in front of the target; its fault and counters are fresh at the start of each test. */
  readonly proxy: FaultProxy;
  /** A plain client straight to the target, for looking behind the store's back. */
  readonly admin: ReturnType<typeof rawClient>;
  /** The suite's own prefix in the bucket, purged at the end. */
  readonly prefix: string;
  /** The stores a test made, closed after it. */
  stores: R2Store[];
}

/**
 * Registers the hooks of a suite whose stores reach `target` through a `FaultProxy`: a passing proxy
 * with zeroed counters before each test, every store closed after it, and at the end the proxy
 * stopped and everything under the suite's prefix deleted.
 */
export function faultProxySuite(target: S3Target, label: string): FaultProxySuite {
  let proxy: FaultProxy | undefined;
  const suite: FaultProxySuite = {
    get proxy() {
      if (proxy === undefined) throw new Error('the fault proxy starts in beforeAll');
      return proxy;
    },
    admin: rawClient(target),
    prefix: freshPrefix(label),
    stores: [],
  };
  beforeAll(async () => {
    proxy = await FaultProxy.start(target.endpoint);
  });
  beforeEach(() => {
    suite.proxy.reset();
  });
  afterEach(async () => {
    await Promise.all(suite.stores.splice(0).map((store) => store.close()));
  });
  afterAll(async () => {
    await suite.proxy.close();
    await purgePrefix(suite.admin, target.bucket, suite.prefix);
    suite.admin.destroy();
  });
  return suite;
}
