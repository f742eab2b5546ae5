import { packageBuild } from '../../tsup.shared';

// Split, so that every entry shares one copy of the errors and the base at run time.
export default packageBuild(
  { index: 'src/index.ts', conformance: 'src/conformance/index.ts', 'store-helpers': 'src/store-helpers.ts' },
  { splitting: true },
);
