import { ClaimCheckError, isClaimCheckError } from '@claimcheck/core';
import type { ClaimCheckManager } from '@claimcheck/manager';

/** What a job carries in Redis instead of data (or a return value) over the threshold. */
export interface ReferenceObject {
  claimcheck: 'reference';
  key: string;
  [field: string]: unknown;
}

/** True when `value` is the parsed form of a claimcheck reference, as a job carries it. */
export function isReferenceObject(value: unknown): value is ReferenceObject {
  return typeof value === 'object' && value !== null && (value as { claimcheck?: unknown }).claimcheck === 'reference';
}

/** The reference's exact text: references are compact JSON in a fixed order, so parse + stringify is the identity. */
export function referenceText(reference: ReferenceObject): string {
  return JSON.stringify(reference);
}

/**
 * Turns a job's JSON value into what the job carries, and back. A value that stays inline is returned
 * as is, so BullMQ stores exactly the bytes it would have stored without claimcheck.
 */
export class PayloadCodec {
  constructor(readonly manager: ClaimCheckManager) {}

  /** The value itself when its JSON stays inline, otherwise the reference object to its stored JSON. */
  async encode<T>(value: T): Promise<T | ReferenceObject> {
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) return value; // undefined, functions: BullMQ stores its own default
    const bytes = Buffer.from(json);
    const carried = await this.manager.offload(bytes);
    if (carried === bytes) return value;
    return JSON.parse(Buffer.from(carried.buffer, carried.byteOffset, carried.byteLength).toString('utf8')) as ReferenceObject;
  }

  /** The original value for a reference object; anything else comes back unchanged. */
  async decode(value: unknown): Promise<unknown> {
    if (!isReferenceObject(value)) return value;
    const payload = await this.manager.retrieve(Buffer.from(referenceText(value)));
    return JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'));
  }

  /** `encode`, with a failure turned into a `ClaimCheckError` that says what was being stored (see `jobPayloadError`). */
  async encodeFor<T>(value: T, what: string): Promise<T | ReferenceObject> {
    try {
      return await this.encode(value);
    } catch (error) {
      throw jobPayloadError('offload', `${what} could not be stored`, error);
    }
  }

  /** `decode`, with a failure turned into a `ClaimCheckError` that names what was being resolved and the reference's key. */
  async decodeFor(value: unknown, what: string): Promise<unknown> {
    try {
      return await this.decode(value);
    } catch (error) {
      const key = isReferenceObject(value) ? value.key : 'unknown';
      const failure = jobPayloadError('resolve', `${what} is stored under reference ${key}, which could not be resolved`, error);
      // BullMQ fails a job at once, without its remaining attempts, for an error of this name.
      if (permanentCodes.has(failure.code)) failure.name = 'UnrecoverableError';
      throw failure;
    }
  }
}

// A retry cannot bring back a blob that is gone, make a forged reference valid or fix corrupted bytes.
const permanentCodes = new Set<string>(['NOT_FOUND', 'INVALID_REFERENCE', 'INTEGRITY', 'PAYLOAD_TOO_LARGE']);

/**
 * A `ClaimCheckError` with the original code, which also carries the code in its message: BullMQ keeps
 * only the message of a failed job (its `failedReason`), so that is where the code must be.
 */
function jobPayloadError(operation: string, what: string, error: unknown): ClaimCheckError {
  const code = isClaimCheckError(error) ? error.code : 'STORE_FAILURE';
  const reason = error instanceof Error ? error.message : String(error);
  return new ClaimCheckError({ code, operation, backend: 'bullmq', detail: `[${code}] ${what}: ${reason}`, cause: error });
}
