import { ClaimCheckError, type ObjectStore } from '@claimcheck/core';
import { createManager, type ClaimCheckManager } from '@claimcheck/manager';

/** Where the driver and the codec keep payloads: a manager (preferred), or a store to wrap in one. */
export type ManagerOrStore =
  | {
      /** The manager whose store, codec and size bound are used. */
      manager: ClaimCheckManager;
      store?: never;
    }
  | {
      /** Any claimcheck store; wrapped in a manager with the default settings (zstd, 256 MiB bound). */
      store: ObjectStore;
      manager?: never;
    };

/** The manager `options` name, or one created over their store; `INVALID_CONFIG` when they name neither. */
export function managerFrom(options: ManagerOrStore): Promise<ClaimCheckManager> {
  // Checked at run time too: JavaScript callers get no type error for passing neither.
  const { manager, store } = options as { manager?: ClaimCheckManager; store?: ObjectStore };
  let resolved: Promise<ClaimCheckManager>;
  if (manager !== undefined) resolved = Promise.resolve(manager);
  else if (store !== undefined) resolved = createManager({ store });
  else throw invalidOption('pass a manager or a store');
  // A failing createManager is reported by the first call that needs the manager, not as an unhandled rejection.
  resolved.catch(() => undefined);
  return resolved;
}

/** `INVALID_CONFIG` for an option of this package. */
export function invalidOption(detail: string): ClaimCheckError {
  return new ClaimCheckError({ code: 'INVALID_CONFIG', operation: 'config', backend: 'temporal', detail });
}
