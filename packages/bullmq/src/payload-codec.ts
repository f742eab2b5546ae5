import { ClaimCheckError, isClaimCheckError } from '@claimcheck/core';
import { parseReference, referenceMarker, type ClaimCheckManager, type Reference } from '@claimcheck/manager';

/**
 * The exact bytes of the reference a job value is, or undefined when it is not one. A job carries a
 * reference as the JSON object the manager wrote; BullMQ stores `JSON.stringify` of it, and for the
 * manager's canonical encoding stringify gives back the bytes it parsed, so these are the bytes in
 * Redis. Whether they are a valid reference is the manager's parser's call, not this function's.
 */
export function referenceBytes(value: unknown): Buffer | undefined {
  // Fast path: only an object whose `claimcheck` field is "reference" can serialize to the marker, so
  // every other value (a small job's data) is never serialized again here.
  if (typeof value !== 'object' || value === null || (value as { claimcheck?: unknown }).claimcheck !== 'reference') return undefined;
  const text = JSON.stringify(value);
  return text.startsWith(referenceMarker) ? Buffer.from(text) : undefined;
}

/**
 * The reference a job value carries (`job.data`, a return value, a `getChildrenValues()` entry), parsed
 * by the manager's `parseReference`; undefined when the value is not a reference. A value that starts
 * like one but is not a valid reference throws `INVALID_REFERENCE`.
 */
export function referenceOf(value: unknown): Reference | undefined {
  const bytes = referenceBytes(value);
  return bytes === undefined ? undefined : parseReference(bytes);
}

/** The store key of the reference `value` carries, or 'unknown' when it carries no valid one. */
function referenceKeyOf(value: unknown): string {
  try {
    return referenceOf(value)?.key ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Turns a job's JSON value into what the job carries, and back. A value that stays inline is returned
 * as is, so BullMQ stores exactly the bytes it would have stored without claimcheck.
 */
export class PayloadCodec {
  constructor(readonly manager: ClaimCheckManager) {}

  /**
   * The value itself when its JSON stays inline, decided at once with no copy: most jobs are small and
   * worth no `await`. Otherwise a promise of the parsed JSON of its reference.
   */
  encode<T>(value: T): T | Promise<object> {
    const json = jsonOf(value);
    // undefined, functions: BullMQ stores its own default
    if (json === undefined || this.manager.tryInline(json)) return value;
    return this.#offload(json);
  }

  async #offload(json: string): Promise<object> {
    const reference = await this.manager.offload(Buffer.from(json));
    return JSON.parse(Buffer.from(reference.buffer, reference.byteOffset, reference.byteLength).toString('utf8')) as object;
  }

  /** The original value for a reference; anything else comes back unchanged. */
  async decode(value: unknown): Promise<unknown> {
    const bytes = referenceBytes(value);
    if (bytes === undefined) return value;
    const payload = await this.manager.retrieve(bytes);
    return JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'));
  }

  /**
   * `encode`, with a failure turned into a `ClaimCheckError` that says what was being stored (see
   * `jobPayloadError`). It never throws: a value that can't be encoded is a rejected promise.
   */
  encodeFor<T>(value: T, what: string): T | Promise<object> {
    let encoded: T | Promise<object>;
    try {
      encoded = this.encode(value);
    } catch (error) {
      return Promise.reject(storeError(what, error));
    }
    if (!(encoded instanceof Promise)) return encoded;
    return encoded.catch((error: unknown) => {
      throw storeError(what, error);
    });
  }

  /** `decode`, with a failure turned into a `ClaimCheckError` that names what was being resolved and the reference's key. */
  async decodeFor(value: unknown, what: string): Promise<unknown> {
    try {
      return await this.decode(value);
    } catch (error) {
      const failure = jobPayloadError('resolve', `${what} is stored under reference ${referenceKeyOf(value)}, which could not be resolved`, error);
      // BullMQ fails a job at once, without its remaining attempts, for an error of this name.
      if (permanentCodes.has(failure.code)) failure.name = 'UnrecoverableError';
      throw failure;
    }
  }
}

// A value JSON can't encode (a BigInt, a cycle, a throwing toJSON) is the caller's input, not a store failure.
function jsonOf(value: unknown): string | undefined {
  try {
    return JSON.stringify(value); // undefined for undefined, a function, a symbol
  } catch (error) {
    throw new ClaimCheckError({ code: 'INVALID_PAYLOAD', operation: 'offload', backend: 'bullmq', detail: `the value has no JSON form: ${String(error)}`, cause: error });
  }
}

function storeError(what: string, error: unknown): ClaimCheckError {
  return jobPayloadError('offload', `${what} could not be stored`, error);
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
