import { createHash } from 'node:crypto';
import { ClaimCheckError, isNotFoundError } from '@claimcheck/core';
import type { OperationContext } from '@claimcheck/core/store-helpers';
import type { ExtendedSettings } from './extended-options.js';
import { describeLocation, type PayloadBucket } from './payload-bucket.js';
import {
  type AttributeValue,
  embedInReceiptHandle,
  LEGACY_RESERVED_ATTRIBUTE_NAME,
  parsePointer,
  type PayloadLocation,
  RESERVED_ATTRIBUTE_NAME,
  RESERVED_ATTRIBUTE_NAMES,
  SHA256_ATTRIBUTE_NAME,
} from './wire-format.js';

/** A received SQS message: the fields the extended client reads or rewrites. */
export interface ReceivedMessage {
  MessageId?: string | undefined;
  ReceiptHandle?: string | undefined;
  Body?: string | undefined;
  MessageAttributes?: Record<string, AttributeValue> | undefined;
}

/** An SNS notification as an SQS subscriber without raw delivery sees it. */
interface SnsEnvelope {
  Type: 'Notification';
  Message: string;
  MessageAttributes?: Record<string, { Type?: string; Value?: string }>;
}

/** What the sender promised about the payload. */
interface PayloadMarks {
  size: string | undefined;
  sha256: string | undefined;
}

/** Resolves received messages whose body is a pointer, raw or inside an SNS envelope. */
export class Incoming {
  readonly #settings: ExtendedSettings;
  readonly #bucket: PayloadBucket;

  constructor(settings: ExtendedSettings, bucket: PayloadBucket) {
    this.#settings = settings;
    this.#bucket = bucket;
  }

  /**
   * The message as the sender wrote it, with the payload location in its receipt handle; the same
   * message when it was not offloaded; `undefined` when its payload is missing and
   * `ignorePayloadNotFound` deleted it (through `deleteMessage`).
   */
  async resolve<M extends ReceivedMessage>(
    message: M,
    context: OperationContext,
    deleteMessage: (receiptHandle: string) => Promise<unknown>,
    signal: AbortSignal | undefined,
  ): Promise<M | undefined> {
    const { Body: body, MessageAttributes: attributes, ReceiptHandle: receiptHandle = '' } = message;
    if (body === undefined) return message;
    const marker = attributes?.[RESERVED_ATTRIBUTE_NAME] ?? attributes?.[LEGACY_RESERVED_ATTRIBUTE_NAME];
    if (marker !== undefined && attributes !== undefined) {
      const location = parsePointer(body, context);
      const marks = { size: marker.StringValue, sha256: attributes[SHA256_ATTRIBUTE_NAME]?.StringValue };
      const payload = await this.#fetch(location, marks, message, context, deleteMessage, signal);
      if (payload === undefined) return undefined;
      const rest = withoutReserved(attributes);
      return { ...message, Body: payload, MessageAttributes: rest, ReceiptHandle: embedInReceiptHandle(location, receiptHandle) };
    }
    const envelope = snsEnvelopeWithPointer(body);
    if (envelope === undefined) return message;
    const envelopeAttributes = envelope.MessageAttributes ?? {};
    const location = parsePointer(envelope.Message, context);
    const envelopeMarker = envelopeAttributes[RESERVED_ATTRIBUTE_NAME] ?? envelopeAttributes[LEGACY_RESERVED_ATTRIBUTE_NAME];
    const marks = { size: envelopeMarker?.Value, sha256: envelopeAttributes[SHA256_ATTRIBUTE_NAME]?.Value };
    const payload = await this.#fetch(location, marks, message, context, deleteMessage, signal);
    if (payload === undefined) return undefined;
    const resolved: Record<string, unknown> = { ...envelope, Message: payload, MessageAttributes: withoutReserved(envelopeAttributes) };
    // SNS leaves MessageAttributes out of an envelope that has none.
    if (resolved.MessageAttributes === undefined) delete resolved.MessageAttributes;
    return { ...message, Body: JSON.stringify(resolved), ReceiptHandle: embedInReceiptHandle(location, receiptHandle) };
  }

  async #fetch(
    location: PayloadLocation,
    marks: PayloadMarks,
    message: ReceivedMessage,
    context: OperationContext,
    deleteMessage: (receiptHandle: string) => Promise<unknown>,
    signal: AbortSignal | undefined,
  ): Promise<string | undefined> {
    const messageName = `message ${message.MessageId ?? '(no id)'}`;
    const integrity = (detail: string) =>
      new ClaimCheckError({ ...context, code: 'INTEGRITY', detail: `payload of ${messageName} at ${describeLocation(location)} ${detail}` });
    // The promised size bounds the read: an object of any other size is refused before its body is read.
    const expectedBytes = marks.size !== undefined && /^\d{1,15}$/.test(marks.size) ? Number(marks.size) : undefined;
    if (expectedBytes === undefined) throw integrity(`cannot be checked: the message promises a size of ${String(marks.size)}`);
    let bytes: Uint8Array;
    try {
      bytes = await this.#bucket.get(location, context, { expectedBytes, signal });
    } catch (error) {
      if (!isNotFoundError(error)) throw error;
      if (this.#settings.ignorePayloadNotFound) {
        await deleteMessage(message.ReceiptHandle ?? '');
        return undefined;
      }
      const detail = `payload of ${messageName} not found at ${describeLocation(location)}`;
      throw new ClaimCheckError({ ...context, code: 'NOT_FOUND', detail, cause: error });
    }
    if (marks.sha256 !== undefined && createHash('sha256').update(bytes).digest('hex') !== marks.sha256.toLowerCase()) {
      throw integrity('does not match its SHA-256 attribute');
    }
    return new TextDecoder().decode(bytes);
  }
}

/**
 * False for a message that certainly holds no pointer: no marker attribute, and a body that cannot be
 * an SNS envelope with one. Cheap, so that a receive of inline messages skips the payload machinery.
 */
export function mayHoldPointer({ Body: body, MessageAttributes: attributes }: ReceivedMessage): boolean {
  if (body === undefined) return false;
  if (attributes?.[RESERVED_ATTRIBUTE_NAME] !== undefined || attributes?.[LEGACY_RESERVED_ATTRIBUTE_NAME] !== undefined) return true;
  return mayBeSnsEnvelopeWithPointer(body);
}

/** The attributes without the extended client's own; `undefined` when none are left, as the SDK reports no attributes. */
function withoutReserved<V>(attributes: Record<string, V>): Record<string, V> | undefined {
  const rest = Object.fromEntries(Object.entries(attributes).filter(([name]) => !RESERVED_ATTRIBUTE_NAMES.includes(name)));
  return Object.keys(rest).length === 0 ? undefined : rest;
}

/** False for a body that cannot be an SNS envelope around a pointer: most bodies, told apart without parsing them. */
function mayBeSnsEnvelopeWithPointer(body: string): boolean {
  return body.startsWith('{') && (body.includes(RESERVED_ATTRIBUTE_NAME) || body.includes(LEGACY_RESERVED_ATTRIBUTE_NAME));
}

/** The SNS envelope around a pointer, or `undefined` for any other body (checked cheaply first: most bodies are not one). */
function snsEnvelopeWithPointer(body: string): SnsEnvelope | undefined {
  if (!mayBeSnsEnvelopeWithPointer(body)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const candidate = parsed as Partial<SnsEnvelope>;
  const attributes = candidate.MessageAttributes;
  if (candidate.Type !== 'Notification' || typeof candidate.Message !== 'string' || typeof attributes !== 'object') return undefined;
  const marked = [RESERVED_ATTRIBUTE_NAME, LEGACY_RESERVED_ATTRIBUTE_NAME].some((name) => typeof attributes[name]?.Value === 'string');
  return marked ? (candidate as SnsEnvelope) : undefined;
}
