import { Readable } from 'node:stream';
import type { PutObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';

/** How much of a body goes to the socket in one write. */
const sliceBytes = 64 * 1024;

type Stack = PutObjectCommand['middlewareStack'];
type Middleware = Parameters<Stack['add']>[0];

/**
 * Makes `command` send a byte body in 64 KiB writes rather than one. The socket's idle timeout
 * (`requestTimeoutMs`) sees progress only when a write completes, and one write of a whole body
 * completes only when all of it has left: a slow upload would look silent from start to end and
 * time out however steadily it moved. The slices are cut afresh for every attempt, from the same
 * bytes, so a retry still sends the whole body; the signature and Content-Length were already
 * computed from it.
 */
export function sendInSlices<C extends PutObjectCommand | UploadPartCommand>(command: C): C {
  const middleware: Middleware = (next) => (args) => {
    const request = args.request as { body?: unknown };
    const { body } = request;
    if (!(body instanceof Uint8Array) || body.byteLength <= sliceBytes) return next(args);
    return next({ ...args, request: { ...request, body: Readable.from(slices(body), { objectMode: false }) } });
  };
  // The deserialize step runs once per attempt, after signing, right before the request is sent.
  // The middleware touches only the request, which both commands build alike.
  (command.middlewareStack as unknown as Stack).add(middleware, { step: 'deserialize', priority: 'low', name: 'claimcheckSlicedBody' });
  return command;
}

function* slices(body: Uint8Array): Generator<Buffer> {
  for (let offset = 0; offset < body.byteLength; offset += sliceBytes) {
    yield Buffer.from(body.buffer, body.byteOffset + offset, Math.min(sliceBytes, body.byteLength - offset));
  }
}
