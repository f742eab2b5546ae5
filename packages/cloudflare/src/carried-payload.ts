import { ClaimCheckError, isClaimCheckError } from '@claimcheck/core';
import type { ClaimCheckManager } from '@claimcheck/manager';
import { ScratchEncoder } from './scratch-encoder.js';

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
// JSON up to this length is encoded into a reused buffer: the small messages that are the common case.
const scratchBytes = 16_384;

/**
 * Turns payloads (bytes or JSON values) into what fits a Cloudflare limit, and back. A payload
 * whose encoding is over the manager's threshold is offloaded as the manager decides; one over
 * `maxInlineBytes` is offloaded whatever the threshold.
 */
export class PayloadCarrier {
  readonly #scratch = new ScratchEncoder(scratchBytes);

  constructor(
    readonly manager: ClaimCheckManager,
    readonly maxInlineBytes: number,
    readonly component: string,
  ) {}

  /** The payload's encoding, and what to carry instead of it. */
  async carry(payload: unknown): Promise<CarriedPayload> {
    const { format, bytes } = this.#encode(payload, this.#scratch);
    let inline = false;
    try {
      const carried = await this.manager.offload(bytes, { force: bytes.byteLength > this.maxInlineBytes });
      inline = carried === bytes;
      // Inline, the payload itself is sent: its encoding was only measured.
      if (inline) return { value: payload, contentType: format, size: bytes.byteLength };
      return this.#offloaded(format, carried);
    } finally {
      this.#scratch.release(bytes, inline);
    }
  }

  /** Offloads whatever its size: for a batch that must shrink as a whole. */
  async offload(payload: unknown): Promise<CarriedPayload> {
    const { format, bytes } = this.#encode(payload);
    return this.#offloaded(format, await this.manager.offload(bytes, { force: true }));
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

  #offloaded(format: PayloadFormat, reference: Uint8Array): CarriedPayload {
    const value: OffloadedPayload = { claimcheck: 'offloaded', format, reference: JSON.parse(decoder.decode(reference)) as Record<string, unknown> };
    return { value, contentType: 'json', size: encoder.encode(JSON.stringify(value)).byteLength };
  }

  // JSON goes through `scratch` when given; the caller then releases the bytes.
  #encode(payload: unknown, scratch?: ScratchEncoder): { format: PayloadFormat; bytes: Uint8Array } {
    if (payload instanceof Uint8Array) return { format: 'bytes', bytes: payload };
    if (payload instanceof ArrayBuffer) return { format: 'bytes', bytes: new Uint8Array(payload) };
    // undefined for a function, a symbol or undefined itself, whatever the declared type says.
    let json: unknown;
    try {
      json = JSON.stringify(payload);
    } catch (error) {
      throw this.#invalid(`it cannot be encoded as JSON: ${String(error)}`, error);
    }
    if (typeof json !== 'string') throw this.#invalid(`${typeof payload} has no JSON form`);
    return { format: 'json', bytes: scratch === undefined ? encoder.encode(json) : scratch.encode(json) };
  }

  #invalid(reason: string, cause?: unknown): ClaimCheckError {
    return new ClaimCheckError({ code: 'INVALID_PAYLOAD', operation: 'offload', backend: this.component, detail: `a payload must be bytes or a JSON value; ${reason}`, cause });
  }
}
