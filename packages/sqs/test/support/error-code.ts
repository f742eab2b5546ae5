import { isClaimCheckError } from '@claimcheck/core';

/** The claimcheck code `action` rejects with, the error's name when it has none, or 'resolved'. */
export async function codeOf(action: () => Promise<unknown>): Promise<string> {
  try {
    await action();
  } catch (error) {
    if (isClaimCheckError(error)) return error.code;
    return error instanceof Error ? error.name : String(error);
  }
  return 'resolved';
}
