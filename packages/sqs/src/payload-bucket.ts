import { randomUUID } from 'node:crypto';
import { ClaimCheckError } from '@claimcheck/core';
import type { OperationContext } from '@claimcheck/core/store-helpers';
import type { ExtendedSettings } from './extended-options.js';
import type { PayloadLocation } from './wire-format.js';

/** What a receive knows about the payload it reads. */
export interface PayloadRead {
  /** The size the message promises. */
  expectedBytes: number;
  /** The caller's signal from the SDK's send options, when it gave one. */
  signal: AbortSignal | undefined;
}

/** The S3 side of the extended client: payloads written to the configured bucket, read from allowed ones. */
export class PayloadBucket {
  readonly #settings: ExtendedSettings;

  constructor(settings: ExtendedSettings) {
    this.#settings = settings;
  }

  /** Stores `bytes` (the UTF-8 body) under the prefix and a fresh UUID. */
  async put(bytes: Uint8Array, context: OperationContext): Promise<PayloadLocation> {
    const { bucket, s3KeyPrefix, objects } = this.#settings;
    const key = `${s3KeyPrefix}${randomUUID()}`;
    await objects.put(bucket, key, bytes, { contentType: 'text/plain; charset=utf-8', operation: context.operation });
    return { bucket, key };
  }

  /**
   * The payload's bytes, read within `maxPayloadBytes` and the size the message promises (checked
   * against `Content-Length` before the body is read); `INVALID_REFERENCE` for a bucket off the
   * allowlist, which is never contacted.
   */
  get(location: PayloadLocation, context: OperationContext, { expectedBytes, signal }: PayloadRead): Promise<Uint8Array> {
    this.assertAllowed(location, context);
    const { objects, maxPayloadBytes } = this.#settings;
    return objects.read(location.bucket, location.key, { maxBytes: maxPayloadBytes, expectedBytes, signal, operation: context.operation });
  }

  /** Deletes the payload; deleting a missing one succeeds, as S3 does. */
  async delete(location: PayloadLocation, context: OperationContext): Promise<void> {
    this.assertAllowed(location, context);
    await this.#settings.objects.delete(location.bucket, location.key, { operation: context.operation });
  }

  /**
   * Deletes payloads that no message points to any more. Returns nothing when all went, otherwise the
   * error to report: the caller's `cause` (if any) plus every payload left behind, each named.
   */
  async discard(locations: readonly PayloadLocation[], cause: unknown, context: OperationContext): Promise<ClaimCheckError | undefined> {
    const results = await Promise.allSettled(locations.map((location) => this.delete(location, context)));
    const left = locations.flatMap((location, index) => {
      const result = results[index];
      return result?.status === 'rejected' ? [{ location, reason: result.reason as unknown }] : [];
    });
    if (left.length === 0) return undefined;
    const names = left.map(({ location }) => describeLocation(location)).join(', ');
    return new ClaimCheckError({
      ...context,
      code: 'STORE_FAILURE',
      detail: `payload left behind, delete it by hand: ${names}`,
      cause: new AggregateError([...(cause === undefined ? [] : [cause]), ...left.map(({ reason }) => reason)], `${left.length} payload(s) could not be deleted`),
    });
  }

  /** Refuses a location outside the allowlist: a forged pointer must not make this client read or delete other buckets. */
  assertAllowed(location: PayloadLocation, context: OperationContext): void {
    if (this.#settings.allowedBuckets.has(location.bucket)) return;
    throw new ClaimCheckError({
      ...context,
      code: 'INVALID_REFERENCE',
      detail: `payload pointer names bucket ${JSON.stringify(location.bucket)}, which is not in allowedBuckets`,
    });
  }
}

/** `s3://bucket/key`, for error messages. */
export function describeLocation({ bucket, key }: PayloadLocation): string {
  return `s3://${bucket}/${key}`;
}
