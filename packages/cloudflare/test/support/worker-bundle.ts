import { fileURLToPath } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';

/** A Worker bundled as wrangler bundles it: esbuild, ES module, the `workerd` and `worker` conditions, Node built-ins left to `nodejs_compat`. */
export interface WorkerBundle {
  /** The bundled module. */
  code: string;
  /** What went into it, for size and content checks. */
  metafile: Metafile;
}

/**
 * The manager's backend loader still names `@claimcheck/store-r2` and `@claimcheck/store-fs` in
 * `import()` calls that run only without a `store`; bundled, they pull in the AWS SDK, which does not
 * build for workerd. Until the manager stops naming them (the providers issue), the test Workers leave
 * them out: each is replaced by a module that throws if it is ever loaded. test/worker-bundle.test.ts
 * bundles without this and says whether it is still needed.
 */
export const unusedBackends = ['@claimcheck/store-r2', '@claimcheck/store-fs'];

function replaceModules(names: string[]): Plugin {
  const filter = new RegExp(`^(${names.map((name) => name.replace(/[/.]/g, '\\$&')).join('|')})$`);
  return {
    name: 'replace-unused-backends',
    setup(build) {
      build.onResolve({ filter }, ({ path }) => ({ path, namespace: 'unused-backend' }));
      build.onLoad({ filter: /.*/, namespace: 'unused-backend' }, ({ path }) => ({
        contents: `throw new Error(${JSON.stringify(`${path} is left out of the test Workers`)});`,
      }));
    },
  };
}

/** Bundles `test/workers/<name>.ts` (or an absolute path) into one ES module for workerd; the `replaced` packages become modules that throw, `alias` maps package names to files. */
export async function bundleWorker(name: string, { replaced = unusedBackends, alias = {} }: { replaced?: string[]; alias?: Record<string, string> } = {}): Promise<WorkerBundle> {
  const entry = name.startsWith('/') ? name : fileURLToPath(new URL(`../workers/${name}.ts`, import.meta.url));
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['workerd', 'worker', 'module', 'browser', 'main'],
    external: ['node:*', 'cloudflare:*'],
    plugins: replaced.length > 0 ? [replaceModules(replaced)] : [],
    alias,
    metafile: true,
    logLevel: 'error',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error(`esbuild produced no output for ${entry}`);
  return { code: output.text, metafile: result.metafile };
}
