import { open } from 'node:fs/promises';

/** An open directory, as far as syncing it goes. */
export interface DirectoryHandle {
  sync: () => Promise<void>;
  close: () => Promise<void>;
}

/** Opens a directory to sync it; on Windows a handle whose sync does nothing. */
export async function openDirectory(directory: string): Promise<DirectoryHandle> {
  if (process.platform === 'win32') return { sync: nothing, close: nothing };
  return open(directory, 'r');
}

// The puts waiting for one fsync of their directory, and how that fsync ended.
interface Batch {
  readonly done: Promise<void>;
  settle: (failure: { error: unknown } | undefined) => void;
}

// One directory's group commit: whether a sync runs, the batch waiting for the next one, and the
// directory's handle, kept open from one sync to the next while puts keep coming.
interface DirectoryQueue {
  running: boolean;
  next: Batch | undefined;
  handle: Promise<DirectoryHandle> | undefined;
}

/**
 * Group commit of directory fsyncs: the puts that renamed a blob into the same directory while a
 * sync of it was running share the next sync, which starts the moment the running one ends. A
 * caller is never answered by a sync that started before it asked, so its rename is covered.
 */
export class DirectorySyncs {
  readonly #open: (directory: string) => Promise<DirectoryHandle>;
  readonly #queues = new Map<string, DirectoryQueue>();

  /** `open` opens a directory to sync it: `openDirectory` unless a test counts the syncs. */
  constructor(open: (directory: string) => Promise<DirectoryHandle> = openDirectory) {
    this.#open = open;
  }

  /**
   * Resolves once a sync of `directory` that started after this call has completed, and rejects
   * with its error when that sync fails: every caller of a batch sees the same outcome.
   */
  commit(directory: string): Promise<void> {
    let queue = this.#queues.get(directory);
    if (queue === undefined) {
      queue = { running: false, next: undefined, handle: undefined };
      this.#queues.set(directory, queue);
    }
    queue.next ??= newBatch();
    const { done } = queue.next;
    if (!queue.running) this.#start(directory, queue);
    return done;
  }

  #start(directory: string, queue: DirectoryQueue): void {
    const batch = queue.next;
    if (batch === undefined) {
      // Nobody is waiting: close the directory and forget it, so only directories in use are held.
      this.#close(queue);
      this.#queues.delete(directory);
      return;
    }
    queue.next = undefined;
    queue.running = true;
    const handle = (queue.handle ??= this.#open(directory));
    // Every caller of this batch asked before this point, after its rename: the sync covers them all.
    void syncWith(handle).then((failure) => {
      queue.running = false;
      // After a failure the next batch syncs through a freshly opened handle.
      if (failure !== undefined) this.#close(queue);
      batch.settle(failure);
      this.#start(directory, queue);
    });
  }

  #close(queue: DirectoryQueue): void {
    // Closing a directory opened read-only loses nothing, so a failure to close has nothing to report.
    void queue.handle?.then((handle) => handle.close()).catch(nothing);
    queue.handle = undefined;
  }
}

// Never rejects: a failure to open or to sync fails the batch.
async function syncWith(handle: Promise<DirectoryHandle>): Promise<{ error: unknown } | undefined> {
  try {
    await (await handle).sync();
    return undefined;
  } catch (error) {
    return { error };
  }
}

function newBatch(): Batch {
  let settle!: Batch['settle'];
  const done = new Promise<void>((resolve, reject) => {
    settle = (failure) => {
      if (failure === undefined) resolve();
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the sync's own error, passed on as it came
      else reject(failure.error);
    };
  });
  return { done, settle };
}

async function nothing(): Promise<void> {
  // nothing to do
}

/** The process's directory group commit, shared by every durable store in it. */
export const directorySyncs = new DirectorySyncs();
