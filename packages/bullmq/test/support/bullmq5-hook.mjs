// Loaded with `node --import` by the bullmq 5.x run (vitest.bullmq5.config.ts) into every process the
// tests start: the cross-process worker, the README examples, sandboxed processors. There `bullmq`
// (and its subpaths) resolves to the `bullmq5` devDependency, as `resolve.alias` does inside vitest.
import { registerHooks } from 'node:module';

const bullmq = /^bullmq(?=\/|$)/;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (!bullmq.test(specifier)) return nextResolve(specifier, context);
    // Resolved from this package, where the alias is installed, whoever imports it.
    return nextResolve(specifier.replace(bullmq, 'bullmq5'), { ...context, parentURL: import.meta.url });
  },
});
