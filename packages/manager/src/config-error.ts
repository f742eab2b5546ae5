import { ClaimCheckError } from '@claimcheck/core';

/** An `INVALID_CONFIG` error from the manager's configuration. */
export function configError(detail: string, cause?: unknown): ClaimCheckError {
  return new ClaimCheckError({ code: 'INVALID_CONFIG', operation: 'configure', backend: 'manager', detail, cause });
}
