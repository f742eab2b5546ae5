// Runs "are the types wrong?" on the tarball pnpm makes, as users will install it. `attw --pack`
// would pack with npm, which our prepack refuses: npm leaves `workspace:` ranges in the tarball.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const destination = mkdtempSync(join(tmpdir(), 'claimcheck-attw-'));
try {
  execFileSync('pnpm', ['pack', '--pack-destination', destination], { stdio: ['ignore', 'ignore', 'inherit'] });
  const [tarball = ''] = readdirSync(destination);
  execFileSync('attw', [join(destination, tarball), ...process.argv.slice(2)], { stdio: 'inherit' });
} catch {
  process.exitCode = 1;
} finally {
  rmSync(destination, { recursive: true, force: true });
}
