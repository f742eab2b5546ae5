import { packageTestConfig } from '../../vitest.shared.ts';

// Every test drives real workerd through Miniflare; one file at a time keeps the 2-core machine responsive.
export default packageTestConfig({ fileParallelism: false });
