import { ClaimCheckError } from './errors.js';
import type { ObjectStore } from './object-store.js';
import { checkOptions, optionsFromEnv, type Environment } from './option-values.js';
import type { StoreProvider } from './store-provider.js';
import type { ClaimCheckWarning } from './warnings.js';

/** Where a store's options come from. */
export interface StoreConfiguration {
  /** Options as a program gives them; they win over the environment. */
  options?: Readonly<Record<string, unknown>> | undefined;
  /** Read for each option the program did not give, by the variables the provider names. */
  env?: Environment | undefined;
}

/** What `createStore` configures a store from. */
export interface CreateStoreOptions extends StoreConfiguration {
  /** Handed to a store that takes `onWarning`, unless the options already give one. */
  onWarning?: ((warning: ClaimCheckWarning) => void) | undefined;
}

/**
 * The one way from configuration to a store: read the environment, check everything against the
 * provider's descriptions (`INVALID_CONFIG` naming the option and its variable), hand the result to
 * the provider's factory.
 */
export async function createStore(provider: StoreProvider, { onWarning, ...configuration }: CreateStoreOptions = {}): Promise<ObjectStore> {
  return createFromOptions(provider, resolveStoreOptions(provider, configuration), onWarning);
}

/** Hands options that `resolveStoreOptions` returned to the provider's factory, with `onWarning` when the store takes one. */
export async function createFromOptions(
  provider: StoreProvider,
  options: Readonly<Record<string, unknown>>,
  onWarning?: (warning: ClaimCheckWarning) => void,
): Promise<ObjectStore> {
  const takesWarnings = provider.options.some(({ name }) => name === 'onWarning');
  const warnings = onWarning !== undefined && options.onWarning === undefined && takesWarnings ? { onWarning } : {};
  return provider.create({ ...options, ...warnings });
}

/**
 * The options `provider` would be given: those from `env`, overridden by those the program gives,
 * checked against the descriptions. Throws `INVALID_CONFIG` naming each problem.
 */
export function resolveStoreOptions(provider: StoreProvider, { options = {}, env }: StoreConfiguration = {}): Record<string, unknown> {
  if (typeof options !== 'object' || (options as unknown) === null) {
    throw new ClaimCheckError({ code: 'INVALID_CONFIG', operation: 'config', backend: provider.name, detail: 'options must be an object' });
  }
  const values = env === undefined ? {} : optionsFromEnv(provider.options, env, provider.name);
  for (const [name, value] of Object.entries(options)) if (value !== undefined) values[name] = value;
  return checkOptions(provider.options, values, provider.name);
}
