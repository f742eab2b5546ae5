import { ClaimCheckError } from './errors.js';
import { defaultCloseTimeoutMs } from './store-base/abstract-object-store.js';
import type { ObjectStore } from './object-store.js';

/** What an option's value is. Only `string`, `boolean` and `integer` options can be read from the environment. */
export type OptionType = 'string' | 'boolean' | 'integer' | 'object' | 'function';

/**
 * One option, described once: environment parsing, validation, `--help`, README tables and
 * `describeOptions` all come from this.
 */
export interface OptionDescription {
  /** The option's name in the options object: `basePath`, `bucket`. */
  readonly name: string;
  /** What its value is. */
  readonly type: OptionType;
  /** One line for people: what it does. */
  readonly doc: string;
  /** The environment variable it is read from, if it can be written as text. */
  readonly env?: string;
  /** The default, as documentation; the store applies it. */
  readonly default?: string | number | boolean;
  /** For a `string` option: the only values it accepts (compared in lower case when read from the environment). */
  readonly choices?: readonly string[];
  /** For an `integer` option: written in octal in the environment and the docs (`0755`, `0o755`), as file modes are. */
  readonly octal?: boolean;
  /** `true` when there is no default; `{ unless: 'client' }` when giving that other option lifts the need. */
  readonly required?: boolean | { readonly unless: string };
  /** Never shown: `describeOptions` masks it, errors name it without its value. */
  readonly secret?: boolean;
  /** Part of where the store keeps its blobs (a directory, a bucket): shown in one-line descriptions. */
  readonly location?: boolean;
  /**
   * Narrows the store to its own part of a space it may share (a key prefix in a bucket): tools that
   * delete in bulk refuse to while it is unset.
   */
  readonly namespace?: boolean;
}

/**
 * How a store is chosen and configured by name, after unstorage's drivers and keyv's adapters: data
 * plus one factory. Each store package exports one as `storeProvider`.
 */
export interface StoreProvider<Options extends object = Record<string, unknown>> {
  /** The store's name, as its `ObjectStore.name` reports it: `filesystem`, `r2`. */
  readonly name: string;
  /** Other names that select it: `fs`. */
  readonly aliases?: readonly string[];
  /** Every option the factory takes. */
  readonly options: readonly OptionDescription[];
  /** Creates the store from options already checked against `options`. */
  create(options: Options): ObjectStore | Promise<ObjectStore>;
}

const optionTypes: readonly OptionType[] = ['string', 'boolean', 'integer', 'object', 'function'];
const textTypes: readonly OptionType[] = ['string', 'boolean', 'integer'];

/** Checks a provider's shape (`INVALID_CONFIG` naming what is wrong) and freezes it, options included. */
export function defineStoreProvider<Options extends object>(provider: StoreProvider<Options>): StoreProvider<Options> {
  const problem = providerProblem(provider);
  if (problem !== undefined) {
    throw new ClaimCheckError({ code: 'INVALID_CONFIG', operation: 'config', backend: 'provider', detail: problem });
  }
  for (const option of provider.options) Object.freeze(option);
  Object.freeze(provider.options);
  if (provider.aliases) Object.freeze(provider.aliases);
  return Object.freeze(provider);
}

/** True for a value with a provider's shape: a name, option descriptions and a `create` function. */
export function isStoreProvider(value: unknown): value is StoreProvider {
  return providerProblem(value) === undefined;
}

/** Every name that selects the provider: its name and its aliases. */
export function providerNames(provider: StoreProvider): readonly string[] {
  return [provider.name, ...(provider.aliases ?? [])];
}

// What keeps `value` from being a provider, in words, or undefined when nothing does.
function providerProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'a store provider must be an object';
  const { name, aliases, options, create } = value as Partial<StoreProvider>;
  if (typeof name !== 'string' || name === '') return 'a store provider needs a name';
  if (aliases !== undefined && (!Array.isArray(aliases) || aliases.some((alias) => typeof alias !== 'string'))) {
    return `store provider ${name}: aliases must be strings`;
  }
  if (typeof create !== 'function') return `store provider ${name} has no create function`;
  if (!Array.isArray(options)) return `store provider ${name} has no options list`;
  const seen = new Set<string>();
  for (const option of options as unknown[]) {
    const problem = optionProblem(option, seen);
    if (problem !== undefined) return `store provider ${name}: ${problem}`;
  }
  return undefined;
}

function optionProblem(option: unknown, seen: Set<string>): string | undefined {
  const { name, type, doc, env } = (option ?? {}) as Partial<OptionDescription>;
  if (typeof name !== 'string' || name === '') return 'every option needs a name';
  if (seen.has(name)) return `option ${name} is described twice`;
  seen.add(name);
  if (!optionTypes.includes(type as OptionType)) return `option ${name} has no type (one of ${optionTypes.join(', ')})`;
  if (typeof doc !== 'string' || doc === '') return `option ${name} has no doc line`;
  if (env !== undefined && (typeof env !== 'string' || !textTypes.includes(type as OptionType))) {
    return `option ${name} of type ${String(type)} cannot be read from an environment variable`;
  }
  return undefined;
}

/**
 * The descriptions of the options every store on `AbstractObjectStore` takes, `closeTimeoutMs` and
 * `onWarning`, for a provider to list with its own; `envPrefix` names the variable (`R2_` →
 * `R2_CLOSE_TIMEOUT_MS`).
 */
export function storeBaseOptions(envPrefix: string): OptionDescription[] {
  return [
    {
      name: 'closeTimeoutMs',
      type: 'integer',
      env: `${envPrefix}CLOSE_TIMEOUT_MS`,
      default: defaultCloseTimeoutMs,
      doc: 'how long `close()` waits for operations in flight before it cancels them, in milliseconds',
    },
    { name: 'onWarning', type: 'function', doc: 'receives what no rejection can report, such as a failed cleanup (default: `process.emitWarning`)' },
  ];
}
