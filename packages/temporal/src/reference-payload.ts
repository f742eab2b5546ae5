import { StorageDriverClaim, type ExternalStorage, type Payload } from '@temporalio/common';

const referenceMessageType = 'temporal.api.sdk.v1.ExternalStorageReference';

/** What an External Storage reference payload says: which driver holds the payload, and its claim. */
export interface StorageReference {
  driverName: string;
  claimData: Record<string, string>;
  /** The payload's size as the SDK recorded it, when it did. */
  sizeBytes: number | undefined;
}

/** The reference a payload carries, or `undefined` when it is an ordinary payload (or not a well-formed reference). */
export function storageReferenceOf(payload: Payload): StorageReference | undefined {
  if (text(payload.metadata?.encoding) !== 'json/protobuf' || text(payload.metadata?.messageType) !== referenceMessageType) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text(payload.data) ?? '');
  } catch {
    return undefined;
  }
  const { driverName, claimData } = (parsed ?? {}) as { driverName?: unknown; claimData?: unknown };
  if (typeof driverName !== 'string' || typeof claimData !== 'object' || claimData === null) return undefined;
  const entries = Object.entries(claimData);
  if (entries.some(([, value]) => typeof value !== 'string')) return undefined;
  const size = payload.externalPayloads?.[0]?.sizeBytes;
  return { driverName, claimData: Object.fromEntries(entries), sizeBytes: size == null ? undefined : Number(size) };
}

/**
 * Replaces each reference payload with the payload its driver returns, as a worker would before its
 * codecs run. A reference to a driver `externalStorage` does not have, or larger than
 * `maxResolvedBytes` by the size the SDK recorded, is left as it is.
 */
export async function resolveReferences(
  externalStorage: ExternalStorage,
  payloads: Payload[],
  { maxResolvedBytes, signal }: { maxResolvedBytes: number; signal?: AbortSignal },
): Promise<Payload[]> {
  const resolved: Payload[] = [];
  for (const payload of payloads) {
    const reference = storageReferenceOf(payload);
    const driver = reference === undefined ? null : externalStorage.getDriver(reference.driverName);
    if (reference === undefined || driver === null || (reference.sizeBytes ?? 0) > maxResolvedBytes) {
      resolved.push(payload);
      continue;
    }
    const [original] = await driver.retrieve(signal === undefined ? {} : { abortSignal: signal }, [new StorageDriverClaim(reference.claimData)]);
    if (original === undefined) throw new Error(`storage driver ${reference.driverName} returned no payload`);
    resolved.push(original);
  }
  return resolved;
}

function text(bytes: Uint8Array | null | undefined): string | undefined {
  return bytes == null ? undefined : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}
