// The same suite under node:test, against the built package, as a third party would run it.
import { describe, it } from 'node:test';
import { objectStoreConformance } from '@claimcheck/core/conformance';
import { MemoryStore } from '@claimcheck/core';

objectStoreConformance({ describe, it, name: 'memory', create: () => new MemoryStore() });
