import { createHash } from 'node:crypto';
import { ClaimCheckError, ClaimCheckWarning } from '@claimcheck/core';
import type { OperationContext } from '@claimcheck/core/store-helpers';
import type { ExtendedSettings } from './extended-options.js';
import { describeLocation, type PayloadBucket } from './payload-bucket.js';
import {
  attributesSize,
  type AttributeValue,
  type PayloadLocation,
  pointerBody,
  RESERVED_ATTRIBUTE_NAMES,
  SHA256_ATTRIBUTE_NAME,
} from './wire-format.js';

type Attributes = Record<string, AttributeValue>;

/** One outgoing message, SQS or SNS. */
export interface OutgoingMessage {
  body: string | undefined;
  attributes: Attributes | undefined;
  /** SNS `MessageStructure: 'json'`: one body per protocol, which cannot be replaced by a pointer. */
  perProtocolBodies?: boolean;
}

/** What goes to the broker instead of an offloaded message. */
export interface OffloadedMessage {
  body: string;
  attributes: Attributes;
  location: PayloadLocation;
}

/** A batch entry's id and its failure, as SQS and SNS both report them. */
interface FailedEntry {
  Id?: string | undefined;
  Message?: string | undefined;
}

// SQS and SNS take at most 10 attributes; the marker, and the digest when enabled, take their slots.
const maxAttributes = 10;

/** Decides which messages go through S3, stores them, and takes them back out when the send fails. */
export class Outgoing {
  readonly #settings: ExtendedSettings;
  readonly #bucket: PayloadBucket;

  constructor(settings: ExtendedSettings, bucket: PayloadBucket) {
    this.#settings = settings;
    this.#bucket = bucket;
  }

  /** Sends one message: `send` gets the pointer message, or nothing when the message stays inline. */
  async single<T>(message: OutgoingMessage, context: OperationContext, send: (offloaded?: OffloadedMessage) => Promise<T>): Promise<T> {
    if (!this.#mustOffload(message, context)) return send();
    const offloaded = await this.#store(message, context);
    try {
      return await send(offloaded);
    } catch (error) {
      throw (await this.#bucket.discard([offloaded.location], error, context)) ?? error;
    }
  }

  /**
   * Sends a batch, each entry decided on its own. `send` gets the pointer messages by entry id; the
   * payloads of entries the broker refused are deleted again, and one that cannot be is named in
   * that entry's failure message.
   */
  async batch<T extends { Failed?: FailedEntry[] | undefined }>(
    entries: readonly { id: string; message: OutgoingMessage }[],
    context: OperationContext,
    send: (offloaded: ReadonlyMap<string, OffloadedMessage>) => Promise<T>,
  ): Promise<T> {
    // Every entry is checked before anything is uploaded, so a bad entry costs no upload.
    const large = entries.filter(({ message }) => this.#mustOffload(message, context));
    if (large.length === 0) return send(new Map());
    const stored = await Promise.allSettled(large.map(({ message }) => this.#store(message, context)));
    const offloaded = new Map<string, OffloadedMessage>();
    stored.forEach((result, index) => {
      if (result.status === 'fulfilled') offloaded.set(large[index]?.id ?? '', result.value);
    });
    const failedUpload = stored.find((result) => result.status === 'rejected');
    if (failedUpload !== undefined) {
      const reason: unknown = failedUpload.reason;
      throw (await this.#bucket.discard(locations(offloaded.values()), reason, context)) ?? reason;
    }
    let response: T;
    try {
      response = await send(offloaded);
    } catch (error) {
      throw (await this.#bucket.discard(locations(offloaded.values()), error, context)) ?? error;
    }
    for (const failed of response.Failed ?? []) {
      const entry = offloaded.get(failed.Id ?? '');
      if (entry === undefined) continue;
      const left = await this.#bucket.discard([entry.location], undefined, context);
      if (left === undefined) continue;
      failed.Message = `${failed.Message ?? ''} (payload ${describeLocation(entry.location)} left behind: ${left.message})`;
      // The batch itself succeeded, so no rejection carries this: the warning is what an operator sees.
      const detail = `payload ${describeLocation(entry.location)} of refused batch entry ${failed.Id ?? ''} left behind, delete it by hand`;
      this.#settings.onWarning(new ClaimCheckWarning({ code: 'CLEANUP_FAILED', backend: context.backend, detail, key: entry.location.key, cause: left }));
    }
    return response;
  }

  /** True when the message goes through S3; throws for a message no extended client could send. */
  #mustOffload({ body, attributes, perProtocolBodies }: OutgoingMessage, context: OperationContext): boolean {
    const invalid = (detail: string) => new ClaimCheckError({ ...context, code: 'INVALID_PAYLOAD', detail });
    if (attributes !== undefined) {
      const reserved = RESERVED_ATTRIBUTE_NAMES.find((name) => Object.hasOwn(attributes, name));
      if (reserved !== undefined) throw invalid(`message attribute name ${reserved} is reserved for the extended client`);
    }
    if (body === undefined) return false;
    const { thresholdBytes, alwaysThroughS3, sha256Attribute } = this.#settings;
    const attributeBytes = attributesSize(attributes);
    // A body has at least as many UTF-8 bytes as UTF-16 units: most small messages skip the count.
    const large = alwaysThroughS3 || (body.length * 3 + attributeBytes > thresholdBytes && Buffer.byteLength(body) + attributeBytes > thresholdBytes);
    if (!large) return false;
    if (perProtocolBodies === true) throw invalid("a message with MessageStructure 'json' cannot be offloaded");
    const slots = maxAttributes - 1 - (sha256Attribute ? 1 : 0);
    const count = Object.keys(attributes ?? {}).length;
    if (count > slots) throw invalid(`an offloaded message may carry at most ${slots} attributes of its own, this one has ${count}`);
    if (attributeBytes > thresholdBytes) {
      throw invalid(`message attributes take ${attributeBytes} bytes, more than the threshold of ${thresholdBytes}; put the data in the body`);
    }
    return true;
  }

  async #store({ body = '', attributes }: OutgoingMessage, context: OperationContext): Promise<OffloadedMessage> {
    const bytes = Buffer.from(body, 'utf8');
    const marked: Attributes = { ...attributes, [this.#settings.sizeAttributeName]: { DataType: 'Number', StringValue: String(bytes.byteLength) } };
    if (this.#settings.sha256Attribute) {
      marked[SHA256_ATTRIBUTE_NAME] = { DataType: 'String', StringValue: createHash('sha256').update(bytes).digest('hex') };
    }
    const location = await this.#bucket.put(bytes, context);
    return { body: pointerBody(location), attributes: marked, location };
  }
}

function locations(messages: Iterable<OffloadedMessage>): PayloadLocation[] {
  return Array.from(messages, ({ location }) => location);
}
