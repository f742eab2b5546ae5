// The ready-to-paste `claimcheck get` command for one reference the demo produced.

// Single quotes keep a reference's JSON intact in a POSIX shell.
const quote = (text) => `'${String(text).replaceAll("'", "'\\''")}'`;

/**
 * A command that prints the byte count of the payload behind `reference`, run from anywhere in the
 * repository. In filesystem mode it names the store's directory; in R2 mode it relies on the same R2_*
 * variables the demo ran with (secrets are never printed).
 */
export function tryItCommand(reference, storage, filesystemPath) {
  const settings = storage === 'filesystem' ? `BLOB_STORAGE_TYPE=filesystem BLOB_STORAGE_PATH=${quote(filesystemPath)} ` : '';
  return `${settings}pnpm exec claimcheck get ${quote(reference)} | wc -c`;
}
