import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { FirstFailure } from '../src/first-failure.js';

// A full collection, without starting vitest with --expose-gc: the flag set now reaches a new context.
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('FirstFailure', () => {
  it('rejects the races still waiting with the first error at once, runs onStop once, and keeps the first error', async () => {
    let stops = 0;
    const failure = new FirstFailure(() => (stops += 1));
    const pending = failure.race(new Promise<never>(() => undefined));
    const first = new Error('first');
    failure.stop(first);
    failure.stop(new Error('second'));
    await expect(pending).rejects.toBe(first);
    expect(stops).toBe(1);
    expect(failure.reason).toBe(first);
  });

  it('gives work’s result or error before a stop, and the first error for work that settles after one', async () => {
    const failure = new FirstFailure(() => undefined);
    await expect(failure.race(Promise.resolve(1))).resolves.toBe(1);
    const broken = new Error('broken');
    await expect(failure.race(Promise.reject(broken))).rejects.toBe(broken);
    const first = new Error('first');
    failure.stop(first);
    await expect(failure.race(Promise.resolve(2))).rejects.toBe(first);
    await expect(failure.race(Promise.reject(broken))).rejects.toBe(first);
  });

  it('holds nothing of a race once it settled: its result can be collected while the upload runs', async () => {
    const failure = new FirstFailure(() => undefined);
    const collected = await (async () => {
      const chunk = new Uint8Array(1024);
      await failure.race(Promise.resolve(chunk));
      return new WeakRef(chunk);
    })();
    // A reaction left on a promise that settles only at a stop would still reach the result.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(collected.deref()).toBeUndefined();
  });
});
