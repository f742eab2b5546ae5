import { defineConfig, type Options } from 'tsup';

interface PackageBuildOptions {
  /** ESM-only dependencies to inline into the CommonJS build, so `require()` never has to load ESM. */
  inlineForCommonJs?: string[];
  /** Emit shared chunks, so that several entries share one copy of a module at run time. */
  splitting?: boolean;
}

/** The one build every package shares: ESM and CJS, each with its own declaration file. */
export function packageBuild(entry: Record<string, string>, { inlineForCommonJs = [], splitting = false }: PackageBuildOptions = {}) {
  const shared: Options = {
    entry,
    dts: true,
    sourcemap: true,
    target: 'node22',
    platform: 'node',
    splitting,
    treeshake: true,
  };
  return defineConfig([
    // Each format cleans only its own files: the two builds run in parallel in one dist/.
    { ...shared, format: 'esm', clean: ['**/*.js', '**/*.d.ts', '**/*.js.map'] },
    { ...shared, format: 'cjs', clean: ['**/*.cjs', '**/*.d.cts', '**/*.cjs.map'], noExternal: inlineForCommonJs },
  ]);
}
