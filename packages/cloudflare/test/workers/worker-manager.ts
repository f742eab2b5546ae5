// The manager every test Worker uses: R2BindingStore on env.BUCKET under blobs/, created per invocation.
import { createManager, type ClaimCheckManager } from '@claimcheck/manager';
import { R2BindingStore, type R2BucketLike } from '../../src/index.js';

/** The bindings the test Workers share. */
export interface BucketEnv {
  BUCKET: R2BucketLike;
}

/** The object-name prefix of the blobs, so that the tests' own records stay apart. */
export const blobPrefix = 'blobs/';

/** A manager on the Worker's bucket, with the default threshold unless one is given. */
export function managerFor(env: BucketEnv, thresholdBytes?: number): Promise<ClaimCheckManager> {
  const store = new R2BindingStore({ bucket: env.BUCKET, keyPrefix: blobPrefix });
  return createManager(thresholdBytes === undefined ? { store } : { store, thresholdBytes });
}

/** SHA-256 of bytes, lowercase hex. */
export async function sha256Hex(data: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** `size` deterministic bytes derived from `seed`, cheap to make and to check on both sides. */
export function patternBytes(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let index = 0; index < size; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[index] = state & 0xff;
  }
  return bytes;
}

/** `count` distinct JSON bodies for scenario `mixed`: every other one `size` characters long, the rest 20; every third multi-byte. */
export function mixedBodies(count: number, size: number): { scenario: 'mixed'; index: number; text: string }[] {
  return Array.from({ length: count }, (_, index) => {
    const unit = index % 3 === 0 ? `é${index}😀` : `${index}-`;
    return { scenario: 'mixed', index, text: unit.repeat(Math.ceil((index % 2 === 0 ? size : 20) / unit.length)) };
  });
}
