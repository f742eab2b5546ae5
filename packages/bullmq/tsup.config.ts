import type { Options } from 'tsup';
import { packageBuild } from '../../tsup.shared';

// sandbox.js is the file BullMQ's child processes load by path; the CommonJS build finds it next to
// itself through the import.meta.url shim.
export default (packageBuild({ index: 'src/index.ts', sandbox: 'src/sandbox.ts' }) as Options[]).map((options) => ({ ...options, shims: true }));
