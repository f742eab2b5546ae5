import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ExternalStorage, type DataConverter, type Payload, type PayloadCodec, type StorageDriverTargetInfo } from '@temporalio/common';
import {
  decodeFromPayloadsAtIndex,
  encodeToPayloads,
  ExternalStorageRunner,
  loadDataConverter,
} from '@temporalio/common/lib/internal-non-workflow/index.js';
import { temporal } from '@temporalio/proto';

/** A workflow target as the SDK's store context gives it for a running workflow. */
export const workflowTarget: StorageDriverTargetInfo = { kind: 'workflow', namespace: 'default', id: 'order-42', runId: 'run-7', type: 'processOrder' };

/** The size of a payload as the SDK measures it against `payloadSizeThreshold`: its encoded protobuf message. */
export function protoSize(payload: Payload): number {
  return temporal.api.common.v1.Payload.encode(payload).finish().byteLength;
}

/** What crossing the wire looks like through a data converter: the encoded payloads (codecs, then external storage) and the value decoded back. */
export async function throughDataConverter<T>(dataConverter: DataConverter, value: T, target: StorageDriverTargetInfo = workflowTarget) {
  const loaded = loadDataConverter(dataConverter);
  const encoded = (await encodeToPayloads(loaded, value)) ?? [];
  const externalStorage = dataConverter.externalStorage;
  const runner = externalStorage === undefined ? undefined : new ExternalStorageRunner(externalStorage);
  const wire = runner === undefined ? encoded : await runner.store(encoded, { target });
  const retrieved = runner === undefined ? wire : await runner.retrieve(wire);
  return { encoded, wire, value: await decodeFromPayloadsAtIndex<T>(loaded, 0, retrieved) };
}

/** True when `payload` is an External Storage reference, as the SDK writes it. */
export function isReferencePayload(payload: Payload | undefined): boolean {
  const messageType = payload?.metadata?.messageType;
  return messageType != null && Buffer.from(messageType).toString() === 'temporal.api.sdk.v1.ExternalStorageReference';
}

/** The `{ driverName, claimData }` a reference payload carries. */
export function referenceContent(payload: Payload): { driverName: string; claimData: Record<string, string> } {
  return JSON.parse(Buffer.from(payload.data ?? new Uint8Array()).toString()) as { driverName: string; claimData: Record<string, string> };
}

/** AES-256-GCM over each payload, the usual encryption codec: the driver must only ever see ciphertext. */
export class EncryptionCodec implements PayloadCodec {
  readonly #key = randomBytes(32);

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: Buffer.from('binary/encrypted') }, data };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (Buffer.from(payload.metadata?.encoding ?? []).toString() !== 'binary/encrypted') return payload;
      const data = Buffer.from(payload.data ?? []);
      const decipher = createDecipheriv('aes-256-gcm', this.#key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(data.length - 16));
      const plain = Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

export { ExternalStorage };
