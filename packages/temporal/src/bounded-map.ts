import { throwIfAborted } from '@claimcheck/core/store-helpers';

/** What `mapBounded` ends with: each item's result where its task succeeded, and the first failure. */
export interface BoundedOutcome<R> {
  /** The result of every task that succeeded, at its item's index; `undefined` where none ran or one failed. */
  results: (R | undefined)[];
  /** The first failure (an abort included), or `undefined` when every task succeeded. */
  error: unknown;
  /** True when a task failed or the caller's signal fired. */
  failed: boolean;
}

/**
 * Runs `task` over `items`, at most `limit` at a time. The first failure, or the caller's signal,
 * aborts the signal every task gets and stops new ones from starting; it resolves once every
 * started task has settled, so the caller can undo what the successful ones did.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  outer: AbortSignal | undefined,
  task: (item: T, signal: AbortSignal) => Promise<R>,
): Promise<BoundedOutcome<R>> {
  const controller = new AbortController();
  const signal = outer === undefined ? controller.signal : AbortSignal.any([controller.signal, outer]);
  const outcome: BoundedOutcome<R> = { results: new Array<R | undefined>(items.length), error: undefined, failed: false };
  const fail = (error: unknown) => {
    if (outcome.failed) return;
    outcome.failed = true;
    outcome.error = error;
    controller.abort(error);
  };
  let next = 0;
  const lane = async () => {
    while (next < items.length && !outcome.failed) {
      const index = next++;
      try {
        throwIfAborted(signal, { operation: 'batch', backend: 'temporal' });
        outcome.results[index] = await task(items[index] as T, signal);
      } catch (error) {
        fail(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return outcome;
}
