import { ClaimCheckError, isClaimCheckError, type ErrorCode } from '@claimcheck/core';
import type { ClaimOrigin, ParsedClaim } from './claim.js';

// What an operator can do about each failure. The message is all Temporal shows of it (in the Web UI,
// as the workflow or activity task's failure), so it carries the code, the key and this advice.
const advice: Partial<Record<ErrorCode, string>> = {
  NOT_FOUND:
    'the blob is gone: deleted by a lifecycle rule or sweep shorter than the namespace retention, or written to another store. Restore it under this key; the task is retried until then',
  INTEGRITY: 'the stored bytes are corrupted: restore the blob under this key from a backup; the task is retried until then',
  INVALID_REFERENCE: 'the claim is not one this version of @claimcheck/temporal reads: upgrade it, or check which driver wrote the history',
  PAYLOAD_TOO_LARGE: "raise the manager's maxPayloadBytes on every client and worker",
  INVALID_CONFIG: 'configure this client or worker with the store that holds the blob',
  UNAVAILABLE: 'the store could not be reached; the task is retried',
  TIMEOUT: 'the store did not answer in time; the task is retried',
  UNAUTHORIZED: "the store refused this process's credentials",
  INVALID_KEY: "the store takes no key prefixes (capabilities.keyPrefixes): give the driver a store that does, or keyLayout: 'flat'",
};

/** A failed `retrieve`, as a `ClaimCheckError` whose message names the code, the key, the run and what to do. */
export function retrieveFailure(error: unknown, claim: ParsedClaim | undefined): ClaimCheckError {
  const where = claim === undefined ? 'a claim' : `blob ${claim.reference.key} in ${claim.reference.storage} storage${describeOrigin(claim.origin)}`;
  return driverFailure('retrieve', error, `${where} could not be read`);
}

/** A failed `store`, as a `ClaimCheckError` whose message names the code and the run. */
export function storeFailure(error: unknown, origin: ClaimOrigin, count: number): ClaimCheckError {
  return driverFailure('store', error, `${count} payload${count === 1 ? '' : 's'}${describeOrigin(origin)} could not be stored`);
}

function driverFailure(operation: string, error: unknown, what: string): ClaimCheckError {
  const code = isClaimCheckError(error) ? error.code : 'STORE_FAILURE';
  const reason = error instanceof Error ? error.message : String(error);
  const hint = advice[code];
  return new ClaimCheckError({
    code,
    operation,
    backend: 'temporal',
    detail: `[${code}] ${what}: ${reason}${hint === undefined ? '' : ` (${hint})`}`,
    cause: error,
  });
}

function describeOrigin({ namespace, workflowId, activityId, runId }: ClaimOrigin): string {
  if (namespace === undefined && workflowId === undefined && activityId === undefined) return '';
  const run = runId === undefined ? '' : ` run ${runId}`;
  const execution = activityId === undefined ? `workflow ${workflowId ?? '?'}` : `activity ${activityId}`;
  return ` (${execution}${run} in namespace ${namespace ?? '?'})`;
}
