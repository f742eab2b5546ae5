import { defineConfig } from 'tsup';

// Bin-only: one ES module with the command (it uses top-level await); no library entry, no declarations.
// `node:` prefixes kept, as in tsup.shared.ts.
export default defineConfig({ entry: { bin: 'src/bin.ts' }, format: 'esm', target: 'node22', platform: 'node', sourcemap: true, clean: true, removeNodeProtocol: false });
