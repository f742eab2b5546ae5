import { Miniflare, type MiniflareOptions, type WorkerOptions } from 'miniflare';
import { bundleWorker } from './worker-bundle.js';

/** The newest date the workerd shipped with miniflare 4.20260730.0 accepts. */
export const compatibilityDate = '2026-07-30';

/** One Worker of a test: its bundled entry under test/workers and its bindings. */
export type TestWorker = Omit<WorkerOptions, 'script' | 'scriptPath' | 'modules' | 'modulesRoot'> & { name: string; entry: string };

/** Starts real workerd with the given Workers, each bundled from its entry, on `nodejs_compat`. */
export async function startWorkers(workers: TestWorker[], shared: Partial<MiniflareOptions> = {}): Promise<Miniflare> {
  const bundled = await Promise.all(
    workers.map(async ({ entry, ...options }) => ({
      ...options,
      // An explicit module list, as wrangler uploads one: Miniflare's module scanner (modules: true) refuses the
      // manager's non-literal import() of a store package by name, which a Worker handed a store never calls.
      modules: [{ type: 'ESModule', path: 'worker.mjs', contents: (await bundleWorker(entry)).code }],
      compatibilityDate,
      compatibilityFlags: ['nodejs_compat'],
    })),
  );
  const miniflare = new Miniflare({ ...shared, workers: bundled } as MiniflareOptions);
  await miniflare.ready;
  return miniflare;
}

/** Waits for `condition` to hold, checking every 50 ms, for at most `attempts` checks. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, attempts = 1200): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}
