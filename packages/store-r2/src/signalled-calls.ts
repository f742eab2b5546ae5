import {
  CompleteMultipartUploadCommand,
  type CompleteMultipartUploadCommandInput,
  type CompleteMultipartUploadCommandOutput,
  CreateMultipartUploadCommand,
  type CreateMultipartUploadCommandInput,
  PutObjectCommand,
  type PutObjectCommandInput,
  type PutObjectCommandOutput,
  type S3Client,
  type ServiceInputTypes,
  type ServiceOutputTypes,
  UploadPartCommand,
  type UploadPartCommandInput,
  type UploadPartCommandOutput,
} from '@aws-sdk/client-s3';
import { InFlight } from '@claimcheck/core/store-helpers';
import { mayHaveWritten } from './s3-error.js';
import { untilBodySent } from './sliced-body.js';
import { type S3Command, sendWithin, type WaitLimit } from './wait-deadline.js';

/**
 * The requests of one streamed upload: bodies go out in slices, each request under the wait
 * deadline, the first failure is kept and reported to `onFailure`, the id of the multipart upload
 * is noted so that it can be aborted, and the requests still running are known. Once `refuseMore()`
 * is called, nothing more is sent. Parts and a single PutObject follow the signal until their body
 * is sent; creating and completing the upload never do.
 */
export class SignalledCalls {
  firstError: unknown = undefined;
  uploadId: string | undefined;
  // The outcome of the request that stores the object (PutObject or CompleteMultipartUpload), once sent.
  #finalWrite: 'sent' | 'stored' | { error: unknown } | undefined;
  readonly #inFlight = new InFlight();
  #refusing = false;
  readonly #client: S3Client;
  readonly #signal: AbortSignal;
  readonly #limit: WaitLimit;
  readonly #onFailure: (error: unknown) => void;

  constructor(client: S3Client, signal: AbortSignal, limit: WaitLimit, onFailure: (error: unknown) => void) {
    this.#client = client;
    this.#signal = signal;
    this.#limit = limit;
    this.#onFailure = onFailure;
  }

  /** PutObject of an object that fits in one part. */
  putObject(input: PutObjectCommandInput): Promise<PutObjectCommandOutput> {
    return this.#call(() => this.#storing(this.#sendBody(new PutObjectCommand(input))));
  }

  /** CreateMultipartUpload, whose id is kept in `uploadId`. */
  createMultipartUpload(input: CreateMultipartUploadCommandInput): Promise<string> {
    return this.#call(async () => {
      const { UploadId } = await sendWithin(this.#client, new CreateMultipartUploadCommand(input), { limit: this.#limit });
      if (UploadId === undefined) throw new Error('CreateMultipartUpload answered without an UploadId');
      this.uploadId = UploadId;
      return UploadId;
    });
  }

  /** UploadPart. */
  uploadPart(input: UploadPartCommandInput): Promise<UploadPartCommandOutput> {
    return this.#call(() => this.#sendBody(new UploadPartCommand(input)));
  }

  /** CompleteMultipartUpload. */
  completeMultipartUpload(input: CompleteMultipartUploadCommandInput): Promise<CompleteMultipartUploadCommandOutput> {
    return this.#call(() => this.#storing(sendWithin(this.#client, new CompleteMultipartUploadCommand(input), { limit: this.#limit })));
  }

  /** From now on, every request fails without being sent. */
  refuseMore(): void {
    this.#refusing = true;
  }

  /** Whether the object may exist: the request that stores it went out and did not meet the server's refusal. */
  mayHaveStored(): boolean {
    const write = this.#finalWrite;
    return typeof write === 'object' ? mayHaveWritten(write.error) : write !== undefined;
  }

  /** Whether CompleteMultipartUpload or PutObject succeeded. */
  completed(): boolean {
    return this.#finalWrite === 'stored';
  }

  /** Resolves once every request sent so far has settled. */
  async settled(): Promise<void> {
    await this.#inFlight.settled();
  }

  #call<T>(send: () => Promise<T>): Promise<T> {
    if (this.#refusing) return Promise.reject(Object.assign(new Error('the upload has stopped'), { name: 'AbortError' }));
    const call = send().catch((error: unknown) => {
      if (this.firstError === undefined) {
        this.firstError = error;
        this.#onFailure(error);
      }
      throw error;
    });
    return this.#inFlight.track(call);
  }

  async #storing<T>(write: Promise<T>): Promise<T> {
    this.#finalWrite = 'sent';
    try {
      const output = await write;
      this.#finalWrite = 'stored';
      return output;
    } catch (error) {
      this.#finalWrite = { error };
      throw error;
    }
  }

  // A request with a body follows the signal until its body is sent, then runs to its answer.
  #sendBody<I extends ServiceInputTypes, O extends ServiceOutputTypes>(command: S3Command<I, O>): Promise<O> {
    const write = untilBodySent(this.#signal);
    return sendWithin(this.#client, command, { signal: write.signal, limit: this.#limit, sliceBody: true, onBodySent: write.sent });
  }
}
