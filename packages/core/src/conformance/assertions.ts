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
