import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

/** A Worker bundled as wrangler bundles it: esbuild, ES module, the `workerd` and `worker` conditions, Node built-ins left to `nodejs_compat`. */
export interface WorkerBundle {
  /** The bundled module. */
  code: string;
  /** What went into it, for size and content checks. */
  metafile: Metafile;
}

/** Bundles `test/workers/<name>.ts` (or an absolute path) into one ES module for workerd. */
export async function bundleWorker(name: string): Promise<WorkerBundle> {
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
    metafile: true,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error(`esbuild produced no output for ${entry}`);
  return { code: output.text, metafile: result.metafile };
}
