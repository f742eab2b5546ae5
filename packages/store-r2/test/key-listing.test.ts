import { generateKey, isClaimCheckError } from '@claimcheck/core';
import { describe, expect, it } from 'vitest';
import { R2Store } from '../src/index.js';
import { fakeClient, type SentCommand } from './support/fake-client.js';

interface Page {
  keys: string[];
  IsTruncated?: boolean;
  NextContinuationToken?: string;
}

// A fake bucket answering ListObjectsV2 from `pages`, indexed by the continuation token asked for.
function storeListing(pages: Record<string, Page>, keyPrefix = 'p/') {
  const { client, sent } = fakeClient(({ input }: SentCommand) => {
    const page = pages[(input.ContinuationToken as string | undefined) ?? 'first'];
    if (page === undefined) throw new Error(`no page for token ${String(input.ContinuationToken)}`);
    const { keys, ...rest } = page;
    return { Contents: keys.map((name) => ({ Key: name, Size: 1, LastModified: new Date() })), ...rest };
  });
  return { store: new R2Store({ bucket: 'b', client, keyPrefix }), sent };
}

async function listing(store: R2Store): Promise<{ keys: string[]; error: unknown }> {
  const keys: string[] = [];
  try {
    for await (const key of store.listKeys()) keys.push(key);
  } catch (error) {
    return { keys, error };
  }
  return { keys, error: undefined };
}

describe('listKeys pagination (continuation tokens a real server will not get wrong on demand)', () => {
  const [a, b, c] = [generateKey(), generateKey(), generateKey()];

  it('follows tokens to the last page and asks for the next page only after yielding the previous one', async () => {
    const { store, sent } = storeListing({
      first: { keys: [`p/${a}`], IsTruncated: true, NextContinuationToken: 't1' },
      t1: { keys: [`p/${b}`], IsTruncated: true, NextContinuationToken: 't2' },
      t2: { keys: [`p/${c}`], IsTruncated: false },
    });
    const iterator = store.listKeys()[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toBe(a);
    expect(sent).toHaveLength(1);
    expect((await iterator.next()).value).toBe(b);
    expect((await iterator.next()).value).toBe(c);
    expect((await iterator.next()).done).toBe(true);
    expect(sent.map(({ input }) => input.ContinuationToken)).toEqual([undefined, 't1', 't2']);
    expect(sent.every(({ input }) => input.Prefix === 'p/' && input.Bucket === 'b')).toBe(true);
  });

  it('a truncated page without a continuation token is STORE_FAILURE, after the keys it did list', async () => {
    const { store } = storeListing({ first: { keys: [`p/${a}`], IsTruncated: true } });
    const { keys, error } = await listing(store);
    expect(keys).toEqual([a]);
    expect(isClaimCheckError(error) && error.code).toBe('STORE_FAILURE');
    expect((error as Error).message).toMatch(/^r2 listKeys failed: .*without a continuation token/);
  });

  it('a continuation token that comes back again is STORE_FAILURE instead of an endless loop', async () => {
    const { store, sent } = storeListing({
      first: { keys: [`p/${a}`], IsTruncated: true, NextContinuationToken: 't1' },
      t1: { keys: [`p/${b}`], IsTruncated: true, NextContinuationToken: 't2' },
      t2: { keys: [`p/${c}`], IsTruncated: true, NextContinuationToken: 't1' },
    });
    const { keys, error } = await listing(store);
    expect(keys).toEqual([a, b, c]);
    expect(isClaimCheckError(error) && error.code).toBe('STORE_FAILURE');
    expect((error as Error).message).toMatch(/came back a second time/);
    expect(sent).toHaveLength(3);
  });

  it('a token sent with a page that is not truncated is ignored: the listing ends there', async () => {
    const { store, sent } = storeListing({ first: { keys: [`p/${a}`], IsTruncated: false, NextContinuationToken: 'stale' } });
    expect(await listing(store)).toEqual({ keys: [a], error: undefined });
    expect(sent).toHaveLength(1);
  });

  it('a page with an empty token string while truncated is STORE_FAILURE', async () => {
    const { store } = storeListing({ first: { keys: [], IsTruncated: true, NextContinuationToken: '' } });
    const { error } = await listing(store);
    expect(isClaimCheckError(error) && error.code).toBe('STORE_FAILURE');
  });

  it('listEntries carries each object’s Size and LastModified from the same page', async () => {
    const { store, sent } = storeListing({ first: { keys: [`p/${a}`, `p/${b}`], IsTruncated: false } });
    const entries = [];
    for await (const entry of store.listEntries()) entries.push(entry);
    expect(entries.map(({ key, size }) => [key, size])).toEqual([[a, 1], [b, 1]]);
    expect(entries.every(({ lastModified }) => lastModified instanceof Date)).toBe(true);
    expect(sent).toHaveLength(1);
  });

  it('an object listed without Size or LastModified is STORE_FAILURE, not a guess', async () => {
    const { client } = fakeClient(() => ({ Contents: [{ Key: `p/${a}` }], IsTruncated: false }));
    const { error } = await listing(new R2Store({ bucket: 'b', client, keyPrefix: 'p/' }));
    expect(isClaimCheckError(error) && error.code).toBe('STORE_FAILURE');
    expect((error as Error).message).toMatch(/without Size or LastModified/);
  });

  it('names that are not exactly the prefix plus a store key are never yielded; keys under key prefixes are', async () => {
    const { store, sent } = storeListing({
      first: {
        keys: [`p/${a}`, `p/${b}.tmp`, `p/x/${c}`, `p/ns/d~1/wf/o%2F7/${b}`, `p/${c.toUpperCase()}`, `q/${c}`, `p/`, `p/x/`, `p//${c}`, `p/.x/${c}`, `p/x/y.tmp`, `p/${c}`],
        IsTruncated: false,
      },
    });
    expect((await listing(store)).keys).toEqual([a, `x/${c}`, `ns/d~1/wf/o%2F7/${b}`, c]);
    // No delimiter, or the server would fold the folders of prefixed keys into CommonPrefixes.
    expect(sent[0]?.input.Delimiter).toBeUndefined();
  });
});
