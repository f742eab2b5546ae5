import { ClaimCheckError } from '@claimcheck/core';
import type { ClaimCheckManager } from '@claimcheck/manager';
import {
  StorageDriverClaim,
  type Payload,
  type StorageDriver,
  type StorageDriverRetrieveContext,
  type StorageDriverStoreContext,
} from '@temporalio/common';
import { mapBounded } from './bounded-map.js';
import { claimData, isClaimCheckClaim, originOf, parseClaim, type ParsedClaim } from './claim.js';
import { retrieveFailure, storeFailure } from './driver-errors.js';
import { keyPrefixFor, type KeyLayout } from './key-prefix.js';
import { invalidOption, managerFrom, type ManagerOrStore } from './manager-source.js';
import { payloadFromBytes, payloadToBytes } from './payload-bytes.js';

/** The driver name written into every history by default. It never changes: a history names its driver for good. */
export const defaultDriverName = 'claimcheck';

// Checked at run time: JavaScript callers get no type error.
const keyLayouts: readonly string[] = ['by-run', 'flat'] satisfies KeyLayout[];

/** The driver implementation's identifier, reported by Temporal workers (`StorageDriver.type`). */
export const driverType = 'claimcheck.manager';

/** Options of `ClaimCheckStorageDriver`: a manager, or a store to wrap in one. */
export type ClaimCheckStorageDriverOptions = ManagerOrStore & {
  /**
   * The name written into every history that refers to this driver's blobs. Default `'claimcheck'`.
   * Choose it once: a worker can replay a history only with a driver of the name it records.
   */
  name?: string;
  /** How many payloads one `store` or `retrieve` call moves at once. Default 8. */
  concurrency?: number;
  /**
   * `'by-run'` (default) files each blob under `ns/<namespace>/wf/<workflow id>/run/<run id>/`, so a
   * lifecycle rule or sweep can act per namespace or run; it needs a store that takes key prefixes.
   * `'flat'` leaves keys at the store's root, for a store that takes none.
   */
  keyLayout?: KeyLayout;
};

/**
 * A Temporal `StorageDriver` on any claimcheck store. Each payload the SDK hands it is stored whole
 * (as its protobuf message), compressed and checked by SHA-256 on the way back; the claim is the
 * manager's reference plus the run it was stored for.
 */
export class ClaimCheckStorageDriver implements StorageDriver {
  /** The name written into histories (see `defaultDriverName`). */
  readonly name: string;
  /** The implementation's identifier (`driverType`). */
  readonly type = driverType;
  readonly #manager: Promise<ClaimCheckManager>;
  readonly #concurrency: number;
  readonly #keyLayout: KeyLayout;

  constructor(options: ClaimCheckStorageDriverOptions) {
    const { name = defaultDriverName, concurrency = 8, keyLayout = 'by-run' } = options;
    if (!isNonEmptyString(name)) throw invalidOption('name must be a non-empty string');
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw invalidOption(`concurrency must be a whole number ≥ 1, got ${String(concurrency)}`);
    if (!keyLayouts.includes(keyLayout)) throw invalidOption(`keyLayout must be 'by-run' or 'flat', got ${JSON.stringify(keyLayout)}`);
    this.name = name;
    this.#concurrency = concurrency;
    this.#keyLayout = keyLayout;
    this.#manager = managerFrom(options);
  }

  /**
   * Stores every payload handed in, whatever its size: the SDK already decided they go out (its
   * `payloadSizeThreshold`). If one fails or the batch is cancelled, those this call stored are
   * removed again before it rejects.
   */
  async store(context: StorageDriverStoreContext, payloads: Payload[]): Promise<StorageDriverClaim[]> {
    const manager = await this.#manager;
    const origin = originOf(context.target);
    const keyPrefix = this.#keyLayout === 'by-run' ? keyPrefixFor(context.target) : undefined;
    const outcome = await mapBounded(payloads, this.#concurrency, context.abortSignal, async (payload, signal) =>
      new TextDecoder().decode(await manager.offload(payloadToBytes(payload), { force: true, signal, keyPrefix })),
    );
    if (outcome.failed) {
      await removeStored(manager, outcome.results);
      throw storeFailure(outcome.error, origin, payloads.length);
    }
    return outcome.results.map((reference) => new StorageDriverClaim(claimData(reference as string, origin)));
  }

  /** The original payloads, each checked against its claim's size and SHA-256; never `undefined`. */
  async retrieve(context: StorageDriverRetrieveContext, claims: StorageDriverClaim[]): Promise<Payload[]> {
    const manager = await this.#manager;
    const outcome = await mapBounded(claims, this.#concurrency, context.abortSignal, async (claim, signal) => {
      let parsed: ParsedClaim | undefined;
      try {
        parsed = parseClaim(claim.claimData);
        const bytes = await manager.retrieve(new TextEncoder().encode(parsed.referenceText), { signal });
        return decodeStoredPayload(bytes, parsed);
      } catch (error) {
        throw retrieveFailure(error, parsed);
      }
    });
    if (outcome.failed) throw outcome.error;
    return outcome.results as Payload[];
  }

  /** True when `claimData` is a claim this driver wrote (of any version): for a `driverSelector` or a migration. */
  static isClaim(claimData: unknown): boolean {
    return isClaimCheckClaim(claimData);
  }
}

function decodeStoredPayload(bytes: Uint8Array, claim: ParsedClaim): Payload {
  try {
    return payloadFromBytes(bytes);
  } catch (error) {
    // The bytes matched their SHA-256, so they are what was stored, but not a payload: a foreign blob.
    throw new ClaimCheckError({ code: 'INTEGRITY', operation: 'retrieve', backend: 'temporal', detail: `blob ${claim.reference.key} is not a Temporal payload`, cause: error });
  }
}

// Best effort, without the batch's (fired) signal: what stays behind is an orphan the store's sweep or
// lifecycle rule removes, since no history can refer to it.
async function removeStored(manager: ClaimCheckManager, references: (string | undefined)[]): Promise<void> {
  await Promise.allSettled(
    references.filter((reference) => reference !== undefined).map((reference) => manager.delete(reference)),
  );
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
