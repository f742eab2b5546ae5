import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.shared';

// The library builds like every package; the binary is ESM only (it uses top-level await).
export default defineConfig([
  ...packageBuild({ index: 'src/index.ts' }),
  { entry: { bin: 'src/bin.ts' }, format: 'esm', target: 'node22', platform: 'node', sourcemap: true, clean: false },
]);
