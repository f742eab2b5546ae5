import { chmod, stat } from 'node:fs/promises';

/**
 * Gives new blob files exactly `mode`, whatever the process umask, without paying a `chmod` on
 * every write: the first file shows whether the umask changes the mode at all, and while it does
 * not, no later file needs one. (A umask changed after the store's first write is not noticed.)
 */
export class FileMode {
  /** The mode every blob file gets. */
  readonly mode: number;
  #umaskChangesMode: boolean | undefined;

  constructor(mode: number) {
    this.mode = mode;
  }

  /** Makes the mode of the just-created file at `path` exactly the configured one. */
  async apply(path: string): Promise<void> {
    if (this.#umaskChangesMode === false) return;
    if (this.#umaskChangesMode === undefined) {
      this.#umaskChangesMode = ((await stat(path)).mode & 0o777) !== this.mode;
      if (!this.#umaskChangesMode) return;
    }
    await chmod(path, this.mode);
  }
}
