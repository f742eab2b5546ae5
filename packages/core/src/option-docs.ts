import type { OptionDescription, StoreProvider } from './store-provider.js';

/** What a configured store is, safe to print: secrets masked, functions and objects named by kind. */
export interface StoreDescription {
  /** The provider's name: `filesystem`, `r2`. */
  readonly name: string;
  /** Each option that is set, by name; a secret shows as `'***'`. */
  readonly options: Readonly<Record<string, unknown>>;
  /** One phrase for messages, naming the setting behind each value: `filesystem store, basePath=/var/blobs (BLOB_STORAGE_PATH)`. */
  readonly summary: string;
  /**
   * The option that would narrow the store to its own part of a shared space (a key prefix), when it
   * is unset: tools that delete in bulk should refuse until it is set or the user says the space is theirs.
   */
  readonly unsetNamespace: OptionDescription | undefined;
}

/** The masked view of `values` and a one-line summary of where `provider`'s store keeps its blobs. */
export function describeStore(provider: StoreProvider, values: Readonly<Record<string, unknown>>): StoreDescription {
  const options: Record<string, unknown> = {};
  for (const option of provider.options) {
    const value = values[option.name];
    if (value !== undefined) options[option.name] = shown(option, value);
  }
  const where = provider.options
    .filter((option) => option.location === true && (values[option.name] !== undefined || option.default !== undefined))
    .map((option) => locationPart(option, values[option.name] === undefined ? undefined : options[option.name]));
  const namespace = provider.options.find((option) => option.namespace === true);
  const unset = namespace !== undefined && (values[namespace.name] === undefined || values[namespace.name] === '');
  return {
    name: provider.name,
    options,
    summary: [`${provider.name} store`, ...where].join(', '),
    unsetNamespace: unset ? namespace : undefined,
  };
}

// `basePath=/x (BLOB_STORAGE_PATH)`, or `keyPrefix='' (default; R2_KEY_PREFIX unset)`: the value and which setting chose it.
function locationPart(option: OptionDescription, value: unknown): string {
  const text = (shownValue: unknown) => (shownValue === '' ? "''" : String(shownValue));
  if (value === undefined) return `${option.name}=${text(defaultText(option))} (default${option.env === undefined ? '' : `; ${option.env} unset`})`;
  return `${option.name}=${text(value)}${option.env === undefined ? '' : ` (${option.env})`}`;
}

function shown(option: OptionDescription, value: unknown): unknown {
  if (option.secret === true) return '***';
  if (typeof value === 'function') return '[function]';
  if (typeof value === 'object' && value !== null) return `[${value.constructor.name || 'object'}]`;
  return value;
}

/**
 * The options as a Markdown table (option, type, environment variable, default, meaning), for a
 * README's "Options" section, so the docs are generated from, and checked against, the descriptions.
 */
export function optionsTable(options: readonly OptionDescription[]): string {
  const rows = options.map((option) => {
    const type = option.choices === undefined ? option.type : option.choices.map((choice) => `\`${choice}\``).join(' \\| ');
    const env = option.env === undefined ? '—' : `\`${option.env}\``;
    const fallback = option.default === undefined ? (isRequired(option) ? 'required' : '—') : `\`${defaultText(option)}\``;
    const doc = option.secret === true ? `${option.doc} (secret: never shown)` : option.doc;
    return `| \`${option.name}\` | ${type} | ${env} | ${fallback} | ${doc.replaceAll('|', '\\|')} |`;
  });
  return ['| option | type | environment variable | default | meaning |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** An option's default as docs show it (`0o644` for an octal one); `undefined` when it has none. */
export function optionDefaultText(option: OptionDescription): string | undefined {
  return option.default === undefined ? undefined : defaultText(option);
}

function defaultText(option: OptionDescription): string {
  const value = option.default;
  return option.octal === true && typeof value === 'number' ? `0o${value.toString(8)}` : String(value);
}

function isRequired(option: OptionDescription): boolean {
  return option.required === true || typeof option.required === 'object';
}
