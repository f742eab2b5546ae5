import { isClaimCheckError } from '@claimcheck/core';

/** The claimcheck code `action` rejects with, the error itself when it has none, or 'resolved'. */
export async function codeOf(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return isClaimCheckError(error) ? error.code : error;
  }
  return 'resolved';
}
