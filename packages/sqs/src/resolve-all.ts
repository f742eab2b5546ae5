/**
 * Resolves every message of a receive side by side, under the caller's `signal`. The first failure
 * stops the reads still running (they would fetch payloads no one receives), and is what the
 * receive rejects with once all of them have stopped: nothing keeps reading after the receive settles.
 */
export async function resolveAll<M, R>(
  messages: readonly M[],
  resolve: (message: M, signal: AbortSignal) => Promise<R>,
  signal: AbortSignal | undefined,
): Promise<R[]> {
  const stop = new AbortController();
  const readSignal = signal === undefined ? stop.signal : AbortSignal.any([signal, stop.signal]);
  let firstFailure: { reason: unknown } | undefined;
  const settled = await Promise.allSettled(
    messages.map((message) =>
      resolve(message, readSignal).catch((reason: unknown) => {
        firstFailure ??= { reason };
        stop.abort(reason);
        throw reason;
      }),
    ),
  );
  if (firstFailure !== undefined) throw firstFailure.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<R>).value);
}
