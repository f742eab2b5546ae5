import { AbstractObjectStore, type StoreBaseOptions, type StoreProvider } from '@claimcheck/core';

/** The options of an `AcmeStore`. */
export interface AcmeStoreOptions extends StoreBaseOptions {
  /** Where the blobs live. */
  directory: string;
}

/** Blobs as files named by their key in one directory. */
export declare class AcmeStore extends AbstractObjectStore {
  readonly name: 'acme';
  readonly capabilities: { readonly streaming: false; readonly durableWrites: false };
  constructor(options: AcmeStoreOptions);
}

/** How claimcheck chooses and configures this store by name. */
export declare const storeProvider: StoreProvider<AcmeStoreOptions>;
