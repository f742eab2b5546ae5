import { describe, expect, it } from 'vitest';
import { type ExtendedClientOptions, snsExtendedPlugin } from '../src/index.js';

const connection = { bucket: 'b', endpoint: 'http://127.0.0.1:1', accessKeyId: 'id', secretAccessKey: 'secret' };
/** `accepted`, or the error's code and message. */
const problemOf = (options: ExtendedClientOptions): string => {
  try {
    snsExtendedPlugin(options).destroy();
  } catch (error) {
    return `${(error as { code: string }).code}: ${(error as Error).message}`;
  }
  return 'accepted';
};

describe('options', () => {
  it('accepts a bucket and a connection, with Java’s defaults for the rest', () => {
    expect(problemOf(connection)).toBe('accepted');
  });

  it('reports a missing bucket and connection through store-r2’s checks', () => {
    expect(problemOf({})).toMatch(/^INVALID_CONFIG: .*missing bucket; missing endpoint, accessKeyId, secretAccessKey/);
  });

  it.each([
    ['a character outside [a-zA-Z0-9./_-]', 'orders:'],
    ['a leading dot', '.hidden/'],
    ['a leading slash', '/root/'],
    ['..', 'a/../b/'],
    ['more than 988 characters', 'p'.repeat(989)],
  ])('refuses an s3KeyPrefix with %s, as Java does', (_, s3KeyPrefix) => {
    expect(problemOf({ ...connection, s3KeyPrefix })).toMatch(/^INVALID_CONFIG: .*s3KeyPrefix/);
  });

  it('accepts an s3KeyPrefix of 988 allowed characters', () => {
    expect(problemOf({ ...connection, s3KeyPrefix: 'a/_-.'.repeat(197) + 'abc' })).toBe('accepted');
  });

  it.each([-1, 1.5, 1024 * 1024 + 1, Number.NaN])('refuses thresholdBytes %s', (thresholdBytes) => {
    expect(problemOf({ ...connection, thresholdBytes })).toMatch(/^INVALID_CONFIG: .*thresholdBytes/);
  });

  it.each([0, -1, 1.5, Number.NaN, 2 ** 53, '256'])('refuses maxPayloadBytes %s', (maxPayloadBytes) => {
    expect(problemOf({ ...connection, maxPayloadBytes } as unknown as ExtendedClientOptions)).toMatch(/^INVALID_CONFIG: .*maxPayloadBytes/);
  });

  it('accepts a maxPayloadBytes of 1 byte or 2 GiB, and an onWarning function', () => {
    expect(problemOf({ ...connection, maxPayloadBytes: 1 })).toBe('accepted');
    expect(problemOf({ ...connection, maxPayloadBytes: 2 ** 31, onWarning: () => undefined })).toBe('accepted');
  });

  it('refuses an onWarning that is not a function', () => {
    expect(problemOf({ ...connection, onWarning: 'log' } as unknown as ExtendedClientOptions)).toMatch(/^INVALID_CONFIG: .*onWarning/);
  });

  it('names every problem in one error', () => {
    const options = { ...connection, thresholdBytes: -1, alwaysThroughS3: 'yes', allowedBuckets: [''] } as unknown as ExtendedClientOptions;
    const problem = problemOf(options);
    for (const field of ['thresholdBytes', 'alwaysThroughS3', 'allowedBuckets']) expect(problem).toContain(field);
  });
});
