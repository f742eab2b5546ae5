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
