import type { ClaimCheckError, ErrorCode, StoreDescription } from '@claimcheck/core';

// Failures that happened in the store, where the user needs to know which store that was.
const storeCodes = new Set<ErrorCode>(['NOT_FOUND', 'UNAVAILABLE', 'UNAUTHORIZED', 'TIMEOUT', 'STORE_FAILURE', 'INTEGRITY']);

/**
 * The line for a failed command, named after what the user ran rather than the library function
 * inside, with the store's summary: `NOT_FOUND: get failed: key … not found (filesystem store, …)`.
 */
export function failureMessage(error: ClaimCheckError, command: string, location: StoreDescription | undefined): string {
  const internalPrefix = `${error.backend} ${error.operation} failed: `;
  const detail = error.message.startsWith(internalPrefix) ? error.message.slice(internalPrefix.length) : error.message;
  const where = location !== undefined && storeCodes.has(error.code) ? ` (${location.summary})` : '';
  return `${error.code}: ${command} failed: ${detail}${where}`;
}
