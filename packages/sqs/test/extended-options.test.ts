import { describe, expect, it } from 'vitest';
import { type ExtendedClientOptions, snsExtendedPlugin } from '../src/index.js';

const connection = { bucket: 'b', endpoint: 'http://127.0.0.1:1', accessKeyId: 'id', secretAccessKey: 'secret' };
const problemOf = (options: ExtendedClientOptions): unknown => {
  try {
    snsExtendedPlugin(options).destroy();
  } catch (error) {
    return error;
  }
  return 'accepted';
};

describe('options', () => {
  it('accepts a bucket and a connection, with Java’s defaults for the rest', () => {
    expect(problemOf(connection)).toBe('accepted');
  });

  it('reports a missing bucket and connection through store-r2’s checks', () => {
    expect(problemOf({})).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('missing bucket, endpoint, accessKeyId, secretAccessKey') });
  });

  it.each([
    ['a character outside [a-zA-Z0-9./_-]', 'orders:'],
    ['a leading dot', '.hidden/'],
    ['a leading slash', '/root/'],
    ['..', 'a/../b/'],
    ['more than 988 characters', 'p'.repeat(989)],
  ])('refuses an s3KeyPrefix with %s, as Java does', (_, s3KeyPrefix) => {
    expect(problemOf({ ...connection, s3KeyPrefix })).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('s3KeyPrefix') });
  });

  it('accepts an s3KeyPrefix of 988 allowed characters', () => {
    expect(problemOf({ ...connection, s3KeyPrefix: 'a/_-.'.repeat(197) + 'abc' })).toBe('accepted');
  });

  it.each([-1, 1.5, 1024 * 1024 + 1, Number.NaN])('refuses thresholdBytes %s', (thresholdBytes) => {
    expect(problemOf({ ...connection, thresholdBytes })).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('thresholdBytes') });
  });

  it('names every problem in one error', () => {
    const options = { ...connection, thresholdBytes: -1, alwaysThroughS3: 'yes', allowedBuckets: [''] } as unknown as ExtendedClientOptions;
    const error = problemOf(options) as Error;
    for (const field of ['thresholdBytes', 'alwaysThroughS3', 'allowedBuckets']) expect(error.message).toContain(field);
  });
});
