import { createHash } from 'node:crypto';
import type { StorageDriverTargetInfo } from '@temporalio/common';

/** How the driver names its blobs: under the run that stored them (default), or at the store's root. */
export type KeyLayout = 'by-run' | 'flat';

// Longer ids keep a readable head and end in a hash of the whole value, so they stay distinct.
const maxSegmentLength = 128;
const keptHeadLength = 100;

/**
 * The key prefix for a store context: `ns/<namespace>/wf/<workflow id>/run/<run id>` for a workflow
 * (activities are filed under theirs by the SDK), `ns/<namespace>/act/<activity id>/run/<run id>` for a
 * standalone activity; parts the SDK does not give are left off from there on (a client's start request
 * has no run id yet). `undefined` without a target.
 */
export function keyPrefixFor(target: StorageDriverTargetInfo | undefined): string | undefined {
  if (target === undefined) return undefined;
  const parts: [string, string | undefined][] = [
    ['ns', target.namespace],
    [target.kind === 'activity' ? 'act' : 'wf', target.id],
    ['run', target.runId],
  ];
  const segments: string[] = [];
  for (const [label, value] of parts) {
    if (value === undefined || value === '') break;
    segments.push(label, keySegment(value));
  }
  return segments.length === 0 ? undefined : segments.join('/');
}

/**
 * A value as one key segment: `A–Z a–z 0–9 _ -` and inner `.` kept, every other UTF-8 byte as `%XX`;
 * over 128 characters, the first 100 and `~` and 16 hex digits of the value's SHA-256.
 */
export function keySegment(value: string): string {
  let encoded = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    const kept = /[A-Za-z0-9_-]/.test(char) || (char === '.' && encoded.length > 0);
    encoded += kept ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (encoded.length <= maxSegmentLength) return encoded;
  // Cut before a partial escape, so the head stays decodable.
  const head = encoded.slice(0, keptHeadLength).replace(/%[0-9A-F]?$/, '');
  return `${head}~${createHash('sha256').update(value).digest('hex').slice(0, 16)}`;
}
