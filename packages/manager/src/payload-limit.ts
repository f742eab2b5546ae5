import { ClaimCheckError } from '@claimcheck/core';

/** The error for a payload over `maxPayloadBytes`, raised before it is read, inflated or buffered. */
export function payloadTooLargeError(operation: string, subject: string, maxPayloadBytes: number): ClaimCheckError {
  return new ClaimCheckError({
    code: 'PAYLOAD_TOO_LARGE',
    operation,
    backend: 'manager',
    detail: `${subject} is larger than maxPayloadBytes (${maxPayloadBytes}); use the stream variant or raise maxPayloadBytes (CLAIMCHECK_MAX_PAYLOAD_BYTES)`,
  });
}
