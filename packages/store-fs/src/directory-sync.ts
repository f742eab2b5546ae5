import { open } from 'node:fs/promises';

/**
 * fsyncs a directory, so that the entries just created in it (a renamed blob, a new shard) survive
 * a power loss. Node cannot open a directory on Windows, so there it does nothing (the README says so).
 */
export async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

// The puts waiting for one fsync of their directory, and how that fsync ended.
interface Batch {
  readonly done: Promise<void>;
  settle: (failure: { error: unknown } | undefined) => void;
}

// One directory's group commit: the sync running now, if any, and the batch that waits for the next.
interface DirectoryQueue {
  running: boolean;
  next: Batch | undefined;
}

/**
 * Group commit of directory fsyncs: the puts that renamed a blob into the same directory while a
 * sync of it was running share the next sync, which starts the moment the running one ends. A
 * caller is never answered by a sync that started before it asked, so its rename is covered.
 */
export class DirectorySyncs {
  readonly #sync: (directory: string) => Promise<void>;
  readonly #queues = new Map<string, DirectoryQueue>();

  /** `sync` makes one directory's entries durable; `syncDirectory` unless a test counts the calls. */
  constructor(sync: (directory: string) => Promise<void> = syncDirectory) {
    this.#sync = sync;
  }

  /**
   * Resolves once a sync of `directory` that started after this call has completed, and rejects
   * with its error when that sync fails: every caller of a batch sees the same outcome.
   */
  commit(directory: string): Promise<void> {
    let queue = this.#queues.get(directory);
    if (queue === undefined) {
      queue = { running: false, next: undefined };
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
      // Nobody is waiting: forget the directory, so the map holds only directories being written.
      this.#queues.delete(directory);
      return;
    }
    queue.next = undefined;
    queue.running = true;
    // The sync is called here and now: after every rename of this batch, which asked before this point.
    void runSync(this.#sync, directory).then((failure) => {
      queue.running = false;
      batch.settle(failure);
      this.#start(directory, queue);
    });
  }
}

// Never rejects: a sync that throws, synchronously or not, fails its batch.
async function runSync(sync: (directory: string) => Promise<void>, directory: string): Promise<{ error: unknown } | undefined> {
  try {
    await sync(directory);
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
      else reject(failure.error);
    };
  });
  return { done, settle };
}

/** The process's directory group commit, shared by every durable store in it. */
export const directorySyncs = new DirectorySyncs();
