import { type ClaimCheckError, isClaimCheckError } from '@claimcheck/core';

/** The ClaimCheckError `action` rejects with; anything else (or resolving) fails the test. */
export async function failure(action: () => Promise<unknown>): Promise<ClaimCheckError> {
  const error: unknown = await action().then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isClaimCheckError(error)) throw new Error(`expected a ClaimCheckError, got ${String(error)}`);
  return error;
}
