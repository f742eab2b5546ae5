import { abortCases } from './cases/abort.js';
import { concurrencyCases } from './cases/concurrency.js';
import { headCases } from './cases/head.js';
import { invalidKeyCases } from './cases/invalid-keys.js';
import { keyPrefixCases } from './cases/key-prefixes.js';
import { lifecycleCases } from './cases/lifecycle.js';
import { listingCases } from './cases/listing.js';
import { missingKeyCases } from './cases/missing-keys.js';
import { roundTripCases } from './cases/round-trips.js';
import { streamCases } from './cases/streams.js';
import { caseDefiner, type ConformanceOptions, defaultLargeListingKeys } from './harness.js';
import type { ObjectStore } from '../object-store.js';

export type { ConformanceOptions, DescribeFunction, ItFunction } from './harness.js';

/**
 * Registers the whole `ObjectStore` conformance suite with the caller's test runner. It imports no
 * runner and asserts with `node:assert`, so it runs under vitest, node:test, mocha or jest alike.
 */
export function objectStoreConformance<Store extends ObjectStore>(options: ConformanceOptions<Store>): void {
  const define = caseDefiner(options);
  options.describe(`${options.name}: ObjectStore conformance`, () => {
    options.describe('round trips', () => { roundTripCases(define); });
    options.describe('missing keys', () => { missingKeyCases(define); });
    options.describe('head', () => { headCases(define); });
    options.describe('listKeys', () => { listingCases(define, options.largeListingKeys ?? defaultLargeListingKeys); });
    options.describe('invalid keys', () => { invalidKeyCases(define); });
    options.describe('key prefixes', () => { keyPrefixCases(define); });
    options.describe('streams', () => { streamCases(define); });
    options.describe('abort', () => { abortCases(define); });
    options.describe('lifecycle', () => { lifecycleCases(define); });
    options.describe('concurrency', () => { concurrencyCases(define); });
  });
}
