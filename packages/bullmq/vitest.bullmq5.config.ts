import { mergeConfig } from 'vitest/config';
import bullmq6 from './vitest.config.ts';

// The whole suite again, against bullmq 5.x (the `bullmq5` devDependency, an npm alias): vitest's own
// resolver maps `bullmq` to it for the sources and tests, and a resolve hook, passed on through
// NODE_OPTIONS, does the same in the processes the tests start.
const hook = new URL('test/support/bullmq5-hook.mjs', import.meta.url).href;

export default mergeConfig(bullmq6, {
  resolve: { alias: [{ find: /^bullmq(?=\/|$)/, replacement: 'bullmq5' }] },
  test: {
    provide: { bullmqMajor: 5 },
    env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${hook}`.trim() },
    outputFile: { json: 'test-results/vitest-bullmq5.json' },
  },
});
