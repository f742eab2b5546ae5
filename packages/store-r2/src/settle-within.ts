/** Waits until every promise in `running` has settled, or `timeoutMs` has passed, whichever comes first. */
export async function settleWithin(running: Iterable<Promise<unknown>>, timeoutMs: number): Promise<void> {
  const all = Promise.allSettled(running);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([all, timedOut]);
  clearTimeout(timer);
}
