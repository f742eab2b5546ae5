// A large source that is never held whole: fresh 1 MiB chunks, each a copy of one random template
// stamped with its index. Fresh, because a layer that kept references to chunks it had passed on
// would grow by them, which a single reused buffer would hide; copied, so that producing them costs
// every side the same.
import { randomBytes } from 'node:crypto';

const MiB = 1024 * 1024;
const template = randomBytes(MiB);

/** `totalBytes` (a whole number of MiB) in fresh 1 MiB chunks. */
export async function* generatedChunks(totalBytes) {
  for (let index = 0; index < totalBytes / MiB; index++) {
    const chunk = Buffer.from(template);
    chunk.writeUInt32BE(index, 0);
    yield chunk;
  }
}
