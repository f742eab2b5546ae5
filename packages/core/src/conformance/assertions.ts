import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { ErrorCode } from '../error-codes.js';
import { isClaimCheckError } from '../errors.js';
import type { ObjectStore } from '../object-store.js';

/** Asserts that `action` rejects with a claimcheck error carrying `code`; `what` names the attempt. */
export async function rejectsWithCode(action: () => Promise<unknown>, code: ErrorCode, what: string): Promise<unknown> {
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught !== undefined, `${what}: expected a rejection with ${code}, but it resolved`);
  assert.ok(isClaimCheckError(caught), `${what}: expected a ClaimCheckError with ${code}, got ${describeError(caught)}`);
  assert.equal(caught.code, code, `${what}: expected code ${code}, got ${caught.code} (${caught.message})`);
  return caught;
}

/** A short description of anything thrown, for assertion messages. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : `${typeof error} ${JSON.stringify(error)}`;
}

/** How long an operation may take to settle once it was aborted or its store closed. */
export const promptSettleMs = 1000;

/**
 * Waits for `work` to settle, failing when it takes longer than `ms`: an operation that ignores an
 * abort would otherwise hang the suite instead of failing it.
 */
export async function settlesWithin<T>(work: Promise<T>, ms: number, what: string): Promise<PromiseSettledResult<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(resolve, ms, 'late');
  });
  const outcome = work.then(
    (value): PromiseSettledResult<T> => ({ status: 'fulfilled', value }),
    (reason: unknown): PromiseSettledResult<T> => ({ status: 'rejected', reason }),
  );
  try {
    const result = await Promise.race([outcome, late]);
    assert.ok(result !== 'late', `${what}: still pending ${ms} ms later`);
    return result;
  } finally {
    clearTimeout(timer);
  }
}

/** Asserts an outcome is a rejection with a claimcheck error carrying one of `codes`. */
export function assertRejectedWith(outcome: PromiseSettledResult<unknown>, codes: readonly ErrorCode[], what: string): void {
  assert.ok(outcome.status === 'rejected', `${what}: expected a rejection with ${codes.join(' or ')}, but it resolved`);
  const reason: unknown = outcome.reason;
  assert.ok(isClaimCheckError(reason), `${what}: expected a ClaimCheckError, got ${describeError(reason)}`);
  assert.ok(codes.includes(reason.code), `${what}: expected ${codes.join(' or ')}, got ${reason.code} (${reason.message})`);
}

/** A source that yields `first` and then never yields again; `started` resolves once it was read. */
export function stalledSource(first: Uint8Array): { source: AsyncIterable<Uint8Array>; started: Promise<void> } {
  let markStarted = () => undefined as unknown;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  async function* source(): AsyncGenerator<Uint8Array> {
    yield first;
    markStarted();
    await new Promise(() => undefined);
  }
  return { source: source(), started };
}

/** Every key the store lists, in listing order. */
export async function listAll(store: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.listKeys()) keys.push(key);
  return keys;
}

/** Asserts that the store lists exactly `expected`, each once, in any order. */
export async function assertListsExactly(store: ObjectStore, expected: readonly string[], when: string): Promise<void> {
  const listed = await listAll(store);
  assert.equal(new Set(listed).size, listed.length, `${when}: listKeys yielded a key more than once`);
  assert.deepEqual([...listed].sort(), [...expected].sort(), `${when}: listKeys yielded the wrong keys`);
}

/** Byte equality with a short message: assert.deepEqual on megabytes would print megabytes. */
export function assertSameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  assert.ok(actual instanceof Uint8Array, `${what}: expected a Uint8Array, got ${typeof actual}`);
  assert.equal(actual.byteLength, expected.byteLength, `${what}: wrong length`);
  assert.ok(Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength).equals(expected), `${what}: bytes differ`);
}

/** Length, SHA-256 and largest chunk of a stream, read to the end. */
export async function digestStream(stream: AsyncIterable<Uint8Array>): Promise<StreamDigest> {
  const hash = createHash('sha256');
  let length = 0;
  let largestChunk = 0;
  for await (const chunk of stream) {
    assert.ok(chunk instanceof Uint8Array, `a stream chunk was ${typeof chunk}, not a Uint8Array`);
    hash.update(chunk);
    length += chunk.byteLength;
    largestChunk = Math.max(largestChunk, chunk.byteLength);
  }
  return { length, sha256: hash.digest('hex'), largestChunk };
}

/** What `digestStream` measures. */
export interface StreamDigest {
  length: number;
  sha256: string;
  largestChunk: number;
}

/** True when `cause` is `error` or sits somewhere on its `cause` chain. */
export function causeChainIncludes(error: unknown, cause: unknown): boolean {
  let current = error;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    if (current === cause) return true;
    current = current instanceof Error ? current.cause : undefined;
  }
  return false;
}
