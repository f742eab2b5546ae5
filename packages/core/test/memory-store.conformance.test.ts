import { describe, it } from 'vitest';
import { objectStoreConformance } from '../src/conformance/index.js';
import { MemoryStore } from '../src/index.js';

objectStoreConformance({ describe, it, name: 'memory', create: () => new MemoryStore() });
