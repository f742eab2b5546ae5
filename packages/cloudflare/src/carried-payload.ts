import { ClaimCheckError, isClaimCheckError } from '@claimcheck/core';
import { utf8ByteLength, type ClaimCheckManager } from '@claimcheck/manager';

/** How a payload was encoded before it was stored: JSON text, or the bytes themselves. */
export type PayloadFormat = 'json' | 'bytes';

/**
 * What a message, step result or event carries in place of a payload that was offloaded. Its field
 * names are written into queues and workflow histories, so they never change.
 */
export interface OffloadedPayload {
  /** Marks the object as ours. */
  claimcheck: 'offloaded';
  /** How to turn the retrieved bytes back into the payload. */
  format: PayloadFormat;
  /** The manager's reference, parsed: `{ claimcheck: 'reference', storage, key, … }`. */
  reference: Record<string, unknown>;
}

/** A payload on its way out: itself when it stays inline, otherwise its `OffloadedPayload`. */
export interface CarriedPayload {
  /** What to send. */
  value: unknown;
  /** The content type it must be sent with so that its size is the one measured. */
  contentType: PayloadFormat;
  /** Its size on the wire in bytes, as measured. */
  size: number;
}

/** True when `value` is an `OffloadedPayload`. */
export function isOffloadedPayload(value: unknown): value is OffloadedPayload {
  if (typeof value !== 'object' || value === null) return false;
  const { claimcheck, format, reference } = value as { claimcheck?: unknown; format?: unknown; reference?: unknown };
  return claimcheck === 'offloaded' && (format === 'json' || format === 'bytes') && typeof reference === 'object' && reference !== null;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Turns payloads (bytes or JSON values) into what fits a Cloudflare limit, and back. A payload
 * whose encoding is over the manager's threshold is offloaded as the manager decides; one over
 * `maxInlineBytes` is offloaded whatever the threshold.
 */
export class PayloadCarrier {
  constructor(
    readonly manager: ClaimCheckManager,
    readonly maxInlineBytes: number,
    readonly component: string,
  ) {}

  /**
   * What to carry instead of the payload: at once when it stays inline, which is most messages and
   * worth no `await`; a promise when it must be stored. Inline, the payload itself is carried: its
   * JSON is only measured, not encoded.
   */
  carry(payload: unknown): CarriedPayload | Promise<CarriedPayload> {
    if (payload instanceof Uint8Array || payload instanceof ArrayBuffer) {
      const bytes = payload instanceof Uint8Array ? payload : new Uint8Array(payload);
      if (bytes.byteLength <= this.maxInlineBytes && this.manager.tryInline(bytes)) return { value: payload, contentType: 'bytes', size: bytes.byteLength };
      return this.#store('bytes', bytes);
    }
    const json = this.#json(payload);
    // A UTF-16 unit is at least one UTF-8 byte: a longer text is over the limit without measuring it.
    if (json.length <= this.maxInlineBytes) {
      const size = utf8ByteLength(json);
      if (size <= this.maxInlineBytes && this.manager.tryInline(json)) return { value: payload, contentType: 'json', size };
    }
    return this.#store('json', encoder.encode(json));
  }

  /** Offloads whatever its size: for a batch that must shrink as a whole. */
  async offload(payload: unknown): Promise<CarriedPayload> {
    if (payload instanceof Uint8Array) return this.#store('bytes', payload);
    if (payload instanceof ArrayBuffer) return this.#store('bytes', new Uint8Array(payload));
    return this.#store('json', encoder.encode(this.#json(payload)));
  }

  /** The original payload of an `OffloadedPayload`; any other value comes back unchanged. */
  async resolve(value: unknown): Promise<unknown> {
    if (!isOffloadedPayload(value)) return value instanceof ArrayBuffer ? new Uint8Array(value) : value;
    let payload: Uint8Array;
    try {
      payload = await this.manager.retrieve(encoder.encode(JSON.stringify(value.reference)));
    } catch (error) {
      const code = isClaimCheckError(error) ? error.code : 'STORE_FAILURE';
      const key = typeof value.reference.key === 'string' ? value.reference.key : 'unknown';
      throw new ClaimCheckError({ code, operation: 'resolve', backend: this.component, detail: `the payload stored under key ${key} could not be resolved: ${String(error)}`, cause: error });
    }
    return value.format === 'bytes' ? payload : JSON.parse(decoder.decode(payload));
  }

  /** The encoded manager reference of an `OffloadedPayload`, for `manager.delete`; `undefined` for anything else. */
  referenceOf(value: unknown): Uint8Array | undefined {
    return isOffloadedPayload(value) ? encoder.encode(JSON.stringify(value.reference)) : undefined;
  }

  async #store(format: PayloadFormat, bytes: Uint8Array): Promise<CarriedPayload> {
    const reference = await this.manager.offload(bytes, { force: true });
    const value: OffloadedPayload = { claimcheck: 'offloaded', format, reference: JSON.parse(decoder.decode(reference)) as Record<string, unknown> };
    return { value, contentType: 'json', size: encoder.encode(JSON.stringify(value)).byteLength };
  }

  // A function, a symbol or undefined has no JSON form, whatever the declared type says.
  #json(payload: unknown): string {
    let json: unknown;
    try {
      json = JSON.stringify(payload);
    } catch (error) {
      throw this.#invalid(`it cannot be encoded as JSON: ${String(error)}`, error);
    }
    if (typeof json !== 'string') throw this.#invalid(`${typeof payload} has no JSON form`);
    return json;
  }

  #invalid(reason: string, cause?: unknown): ClaimCheckError {
    return new ClaimCheckError({ code: 'INVALID_PAYLOAD', operation: 'offload', backend: this.component, detail: `a payload must be bytes or a JSON value; ${reason}`, cause });
  }
}
