import { describe, expect, it } from 'vitest';
import {
  type ClaimCheckWarning,
  createStore,
  defineStoreProvider,
  describeStore,
  isStoreProvider,
  MemoryStore,
  memoryStoreProvider,
  type ObjectStore,
  optionsFromEnv,
  optionsTable,
  providerNames,
  resolveStoreOptions,
  storeBaseOptions,
  type StoreProvider,
} from '../src/index.js';

// A provider with one option of each kind, over a MemoryStore; it records what its factory was given.
const given: Record<string, unknown>[] = [];
const bucketProvider = defineStoreProvider<Record<string, unknown>>({
  name: 'bucket',
  aliases: ['bkt'],
  options: [
    { name: 'bucket', type: 'string', env: 'BKT_NAME', required: true, location: true, doc: 'the bucket' },
    { name: 'endpoint', type: 'string', env: 'BKT_ENDPOINT', required: { unless: 'client' }, location: true, doc: 'where it is' },
    { name: 'secret', type: 'string', env: 'BKT_SECRET', secret: true, doc: 'the password' },
    { name: 'prefix', type: 'string', env: 'BKT_PREFIX', namespace: true, default: '', doc: 'keeps to a folder' },
    { name: 'mode', type: 'string', env: 'BKT_MODE', choices: ['fast', 'safe'], default: 'safe', doc: 'fast | safe' },
    { name: 'durable', type: 'boolean', env: 'BKT_DURABLE', default: false, doc: 'fsync' },
    { name: 'retries', type: 'integer', env: 'BKT_RETRIES', default: 3, doc: 'attempts' },
    { name: 'mask', type: 'integer', env: 'BKT_MASK', octal: true, default: 0o644, doc: 'file mode' },
    { name: 'client', type: 'object', doc: 'your own client' },
    ...storeBaseOptions('BKT_'),
  ],
  create(options) {
    given.push(options);
    return new MemoryStore({ onWarning: options.onWarning as (warning: ClaimCheckWarning) => void });
  },
});

function invalidConfig(message: string | RegExp) {
  return expect.objectContaining({ code: 'INVALID_CONFIG', backend: 'bucket', message: expect.stringMatching(message) as string }) as Error;
}

describe('store providers', () => {
  it('parses every kind of option from the environment, leaving unset and empty variables out', () => {
    const env = { BKT_NAME: ' b ', BKT_ENDPOINT: '', BKT_MODE: 'FAST', BKT_DURABLE: 'T', BKT_RETRIES: '7', BKT_MASK: '0640', BKT_CLOSE_TIMEOUT_MS: '0' };
    expect(optionsFromEnv(bucketProvider.options, env, 'bucket')).toEqual({ bucket: 'b', mode: 'fast', durable: true, retries: 7, mask: 0o640, closeTimeoutMs: 0 });
    expect(optionsFromEnv(bucketProvider.options, { BKT_MASK: '0o755' }, 'bucket')).toEqual({ mask: 0o755 });
  });

  it.each([
    ['BKT_DURABLE', 'maybe', /^bucket config failed: BKT_DURABLE="maybe" is not a boolean/],
    ['BKT_RETRIES', '1.5', /BKT_RETRIES="1.5" is not a whole number/],
    ['BKT_RETRIES', '-1', /BKT_RETRIES="-1" is not a whole number/],
    ['BKT_MASK', '0758', /BKT_MASK="0758" is not an octal number/],
    ['BKT_MODE', 'slow', /BKT_MODE="slow" is not one of the choices \(supported: fast, safe\)/],
  ])('refuses %s=%s with INVALID_CONFIG naming the variable', (variable, value, message) => {
    expect(() => optionsFromEnv(bucketProvider.options, { [variable]: value }, 'bucket')).toThrow(invalidConfig(message));
  });

  it('never echoes a secret, even a malformed one', () => {
    const secretFlag = defineStoreProvider({ ...bucketProvider, options: [{ name: 'pin', type: 'integer', env: 'PIN', secret: true, doc: 'pin' }] });
    const error = (() => {
      try {
        return optionsFromEnv(secretFlag.options, { PIN: 'hunter2' }, 'bucket');
      } catch (caught) {
        return caught as Error;
      }
    })();
    expect((error as Error).message).toBe('bucket config failed: PIN is not a whole number');
  });

  it('lets options a program gives win over the environment, and names every missing required option with its variable', () => {
    const env = { BKT_NAME: 'from-env', BKT_ENDPOINT: 'https://env' };
    expect(resolveStoreOptions(bucketProvider, { env, options: { bucket: 'given', endpoint: undefined } })).toEqual({ bucket: 'given', endpoint: 'https://env' });
    expect(() => resolveStoreOptions(bucketProvider, { options: {} })).toThrow(invalidConfig(/missing bucket \(BKT_NAME\), endpoint \(BKT_ENDPOINT\)$/));
    // Giving the option named in `unless` lifts the requirement.
    expect(resolveStoreOptions(bucketProvider, { options: { bucket: 'b', client: {} } })).toEqual({ bucket: 'b', client: {} });
  });

  it.each([
    [{ bucket: 'b', endpoint: 'e', bukket: 'typo' }, /unknown option bukket \(options: bucket, endpoint, secret, prefix, mode, durable, retries, mask, client, closeTimeoutMs, onWarning\)/],
    [{ bucket: 1, endpoint: 'e' }, /bucket \(BKT_NAME\) must be of type string/],
    [{ bucket: 'b', endpoint: 'e', retries: 2.5 }, /retries \(BKT_RETRIES\) must be a whole number/],
    [{ bucket: 'b', endpoint: 'e', mode: 'slow' }, /mode \(BKT_MODE\) must be one of fast, safe, got "slow"/],
    [{ bucket: 'b', endpoint: 'e', client: null }, /client must be of type object/],
    [{ bucket: 'b', endpoint: 'e', onWarning: 'log' }, /onWarning must be of type function/],
    ['bucket=b', /options must be an object/],
  ])('refuses %j with INVALID_CONFIG naming the option', (options, message) => {
    expect(() => resolveStoreOptions(bucketProvider, { options: options as Record<string, unknown> })).toThrow(invalidConfig(message));
  });

  it('creates the store from the checked options, and hands it onWarning when it takes one', async () => {
    given.length = 0;
    const warnings: ClaimCheckWarning[] = [];
    const store = await createStore(bucketProvider, { env: { BKT_NAME: 'b', BKT_ENDPOINT: 'https://e' }, onWarning: (warning) => warnings.push(warning) });
    expect(given).toEqual([{ bucket: 'b', endpoint: 'https://e', onWarning: expect.any(Function) as unknown }]);
    await store.close();
    const noWarnings = defineStoreProvider({ name: 'plain', options: [], create: () => new MemoryStore() });
    await (await createStore(noWarnings, { onWarning: () => undefined })).close();
  });

  it('describes a store with its secrets masked and its location in one phrase', () => {
    const described = describeStore(bucketProvider, { bucket: 'b', endpoint: 'https://e', secret: 'hunter2', client: new MemoryStore(), onWarning: () => undefined });
    expect(described).toEqual({
      name: 'bucket',
      options: { bucket: 'b', endpoint: 'https://e', secret: '***', client: '[MemoryStore]', onWarning: '[function]' },
      summary: 'bucket store, bucket=b (BKT_NAME), endpoint=https://e (BKT_ENDPOINT)',
      unsetNamespace: expect.objectContaining({ name: 'prefix', env: 'BKT_PREFIX' }) as unknown,
    });
    expect(JSON.stringify(described)).not.toContain('hunter2');
    expect(describeStore(bucketProvider, { bucket: 'b', prefix: 'team/' }).unsetNamespace).toBeUndefined();
    const located = defineStoreProvider({ ...bucketProvider, options: bucketProvider.options.map((option) => ({ ...option, location: true })) });
    expect(describeStore(located, { bucket: 'b' }).summary).toBe(
      "bucket store, bucket=b (BKT_NAME), prefix='' (default; BKT_PREFIX unset), mode=safe (default; BKT_MODE unset), durable=false (default; BKT_DURABLE unset), " +
        'retries=3 (default; BKT_RETRIES unset), mask=0o644 (default; BKT_MASK unset), closeTimeoutMs=5000 (default; BKT_CLOSE_TIMEOUT_MS unset)',
    );
  });

  it('renders the options as a Markdown table for a README', () => {
    const table = optionsTable(bucketProvider.options).split('\n');
    expect(table.slice(0, 2)).toEqual(['| option | type | environment variable | default | meaning |', '| --- | --- | --- | --- | --- |']);
    expect(table).toContain('| `bucket` | string | `BKT_NAME` | required | the bucket |');
    expect(table).toContain('| `secret` | string | `BKT_SECRET` | — | the password (secret: never shown) |');
    expect(table).toContain('| `mode` | `fast` \\| `safe` | `BKT_MODE` | `safe` | fast \\| safe |');
    expect(table).toContain('| `mask` | integer | `BKT_MASK` | `0o644` | file mode |');
    expect(table).toContain('| `closeTimeoutMs` | integer | `BKT_CLOSE_TIMEOUT_MS` | `5000` | how long `close()` waits for operations in flight before it cancels them, in milliseconds |');
  });

  it.each([
    [{ name: '', options: [], create: () => new MemoryStore() }, /needs a name/],
    [{ name: 'x', options: [] }, /x has no create function/],
    [{ name: 'x', create: () => new MemoryStore() }, /x has no options list/],
    [{ name: 'x', options: [{ name: 'a', type: 'string', doc: 'a' }, { name: 'a', type: 'string', doc: 'a' }], create: () => new MemoryStore() }, /option a is described twice/],
    [{ name: 'x', options: [{ name: 'a', type: 'text', doc: 'a' }], create: () => new MemoryStore() }, /option a has no type/],
    [{ name: 'x', options: [{ name: 'a', type: 'string' }], create: () => new MemoryStore() }, /option a has no doc line/],
    [{ name: 'x', options: [{ name: 'a', type: 'object', env: 'A', doc: 'a' }], create: () => new MemoryStore() }, /option a of type object cannot be read from an environment variable/],
  ])('defineStoreProvider refuses a malformed provider (%#)', (provider, message) => {
    expect(() => defineStoreProvider(provider as unknown as StoreProvider)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringMatching(message) as string }) as Error);
    expect(isStoreProvider(provider)).toBe(false);
  });

  it('freezes a provider, and knows it by its name and aliases', () => {
    expect(isStoreProvider(bucketProvider)).toBe(true);
    expect(Object.isFrozen(bucketProvider) && Object.isFrozen(bucketProvider.options) && Object.isFrozen(bucketProvider.options[0])).toBe(true);
    expect(providerNames(bucketProvider)).toEqual(['bucket', 'bkt']);
  });

  it('configures the MemoryStore by its provider, from the environment too', async () => {
    const store: ObjectStore = await createStore(memoryStoreProvider, { env: { CLAIMCHECK_MEMORY_CLOSE_TIMEOUT_MS: '10' } });
    expect(store.name).toBe('memory');
    expect(await store.get(await store.put(new Uint8Array([1, 2])))).toEqual(new Uint8Array([1, 2]));
    await store.close();
  });
});
