import type { ClaimCheckError, ErrorCode } from '@claimcheck/core';
import type { StoreLocation } from './store-location.js';

// Failures that happened in the store, where the user needs to know which store that was.
const storeCodes = new Set<ErrorCode>(['NOT_FOUND', 'UNAVAILABLE', 'UNAUTHORIZED', 'TIMEOUT', 'STORE_FAILURE', 'INTEGRITY']);

/**
 * The line for a failed command, named after what the user ran rather than the library function
 * inside: `NOT_FOUND: get failed: key … not found (filesystem store at /x (BLOB_STORAGE_PATH))`.
 */
export function failureMessage(error: ClaimCheckError, command: string, location: StoreLocation | undefined): string {
  const internalPrefix = `${error.backend} ${error.operation} failed: `;
  const detail = error.message.startsWith(internalPrefix) ? error.message.slice(internalPrefix.length) : error.message;
  const where = location !== undefined && storeCodes.has(error.code) ? ` (${location.description})` : '';
  return `${error.code}: ${command} failed: ${detail}${where}`;
}
