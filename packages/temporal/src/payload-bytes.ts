import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

const PayloadMessage = temporal.api.common.v1.Payload;

/**
 * A payload as the bytes of its protobuf message (metadata and data): the form any Temporal SDK, in
 * any language, can read back.
 */
export function payloadToBytes(payload: Payload): Uint8Array {
  return PayloadMessage.encode({ metadata: payload.metadata ?? {}, data: payload.data ?? new Uint8Array() }).finish();
}

/** The payload whose protobuf message `bytes` holds; throws when they are not one. */
export function payloadFromBytes(bytes: Uint8Array): Payload {
  const message = PayloadMessage.decode(bytes);
  return { metadata: { ...message.metadata }, data: message.data };
}

/**
 * A bound on `payloadToBytes(payload).byteLength` that needs no encoding: each length prefix counted
 * at its widest (5 bytes), each key at 3 bytes per UTF-16 unit. A payload under a threshold by this
 * bound is under it exactly, so most payloads are never encoded just to be measured.
 */
export function payloadSizeAtMost(payload: Payload): number {
  let bytes = 6 + (payload.data?.byteLength ?? 0);
  for (const [key, value] of Object.entries(payload.metadata ?? {})) bytes += 18 + 3 * key.length + value.byteLength;
  return bytes;
}
