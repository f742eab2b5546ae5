import { describe } from 'vitest';
import { localTarget, r2Target, type S3Target } from './s3-target.js';

/**
 * Registers `body` once per S3 server: the loopback one (s3rver, or RGW in the RGW suite), and real
 * Cloudflare R2 when its four variables are set. Without them the R2 group is skipped, with a notice:
 * the one skip this suite allows, since no credentials exist on machines that do not own a bucket.
 */
export function describeTarget(body: (target: S3Target) => void): void {
  const local = localTarget();
  describe(`against ${local.server}`, () => {
    body(local);
  });
  const r2 = r2Target();
  if (r2 === undefined) {
    console.warn(
      'store-r2: real Cloudflare R2 tests SKIPPED: set R2_BUCKET, R2_ENDPOINT, R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY to run them.',
    );
  }
  describe.skipIf(r2 === undefined)('against real Cloudflare R2', () => {
    body(r2 ?? local);
  });
}
