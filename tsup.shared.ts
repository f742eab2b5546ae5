import { defineConfig } from 'tsup';

interface PackageBuildOptions {
  /** Emit shared chunks, so that several entries share one copy of a module at run time. */
  splitting?: boolean;
}

/**
 * The one build every package shares: ES modules with declarations, for Node 22.15 or later. No
 * CommonJS build: on those versions `require()` loads ES modules, so one build serves both module
 * systems (the decision is recorded in .changeset/README.md).
 */
export function packageBuild(entry: Record<string, string>, { splitting = false }: PackageBuildOptions = {}) {
  // An array, like every tsup config here, so a package can map over it to add its own options.
  return defineConfig([
    {
      entry,
      format: 'esm',
      dts: true,
      sourcemap: true,
      target: 'node22',
      platform: 'node',
      splitting,
      treeshake: true,
      clean: true,
      // Keep `node:` on built-in imports: bundlers for Workers and browsers (--platform=neutral) reject bare `zlib`.
      removeNodeProtocol: false,
    },
  ]);
}
