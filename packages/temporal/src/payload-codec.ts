import type { ClaimCheckManager } from '@claimcheck/manager';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { invalidOption, managerFrom, type ManagerOrStore } from './manager-source.js';
import { payloadFromBytes, payloadSizeAtMost, payloadToBytes } from './payload-bytes.js';

/** The `encoding` metadata of a payload the codec replaced by a claimcheck reference. */
export const claimCheckEncoding = 'binary/claimcheck';
const claimCheckEncodingBytes = new TextEncoder().encode(claimCheckEncoding);

/** Whether `encoding` is `binary/claimcheck`, compared as bytes: decoding each payload's to text costs more. */
function isClaimCheckEncoding(encoding: Uint8Array | null | undefined): boolean {
  return encoding != null && encoding.byteLength === claimCheckEncodingBytes.byteLength && encoding.every((byte, index) => byte === claimCheckEncodingBytes[index]);
}

/** Options of `ClaimCheckPayloadCodec`: a manager or a store, and the size from which payloads go out. */
export type ClaimCheckPayloadCodecOptions = ManagerOrStore & {
  /** Payloads whose protobuf message is at least this many bytes are offloaded. Default 256 KiB, as External Storage. */
  thresholdBytes?: number;
};

/**
 * The same offload as a `PayloadCodec`, for SDKs before 1.21 or teams that prefer codecs: a payload
 * over the threshold becomes a `binary/claimcheck` payload holding the manager's reference. Put it
 * last in `payloadCodecs`, so it stores what the other codecs (encryption) produced.
 */
export class ClaimCheckPayloadCodec implements PayloadCodec {
  readonly #manager: Promise<ClaimCheckManager>;
  readonly #thresholdBytes: number;

  constructor(options: ClaimCheckPayloadCodecOptions) {
    const { thresholdBytes = 256 * 1024 } = options;
    if (!Number.isSafeInteger(thresholdBytes) || thresholdBytes < 0) throw invalidOption(`thresholdBytes must be a whole number ≥ 0, got ${String(thresholdBytes)}`);
    this.#thresholdBytes = thresholdBytes;
    this.#manager = managerFrom(options);
  }

  /** Offloads each payload at or over the threshold; smaller ones pass untouched. */
  encode(payloads: Payload[]): Promise<Payload[]> {
    // Most payloads are far under the threshold: a batch of only those goes back as it came, with no
    // manager, no encoding and no promise per payload, which a codec on every payload would cost.
    if (!payloads.some((payload) => payloadSizeAtMost(payload) >= this.#thresholdBytes)) return Promise.resolve(payloads);
    return this.#offloadLarge(payloads);
  }

  /** The original of each `binary/claimcheck` payload, checked by size and SHA-256; others pass untouched. */
  decode(payloads: Payload[]): Promise<Payload[]> {
    if (!payloads.some((payload) => isClaimCheckEncoding(payload.metadata?.encoding))) return Promise.resolve(payloads);
    return this.#retrieveStored(payloads);
  }

  async #offloadLarge(payloads: Payload[]): Promise<Payload[]> {
    const manager = await this.#manager;
    return Promise.all(
      payloads.map(async (payload) => {
        // Only payloads near or over the threshold by the bound are encoded to be measured exactly.
        if (payloadSizeAtMost(payload) < this.#thresholdBytes) return payload;
        const bytes = payloadToBytes(payload);
        if (bytes.byteLength < this.#thresholdBytes) return payload;
        const reference = await manager.offload(bytes, { force: true });
        return { metadata: { encoding: new TextEncoder().encode(claimCheckEncoding) }, data: reference };
      }),
    );
  }

  async #retrieveStored(payloads: Payload[]): Promise<Payload[]> {
    const manager = await this.#manager;
    return Promise.all(
      payloads.map(async (payload) => {
        if (!isClaimCheckEncoding(payload.metadata?.encoding)) return payload;
        return payloadFromBytes(await manager.retrieve(payload.data ?? new Uint8Array()));
      }),
    );
  }
}
