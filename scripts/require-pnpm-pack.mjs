// `prepack` of every published package: only pnpm rewrites the `workspace:` ranges of our
// dependencies into real versions. An npm-made tarball would fail to install with
// `Unsupported URL Type "workspace:"`, so npm pack and npm publish stop here with what to run instead.
// npm_execpath names the package manager running the script (npm_config_user_agent can be inherited).
import { basename } from 'node:path';

if (!basename(process.env.npm_execpath ?? '').startsWith('pnpm')) {
  console.error('claimcheck packages are packed with pnpm, which turns workspace: dependencies into versions: run `pnpm pack` (or `pnpm publish`) instead.');
  process.exit(1);
}
