import { ClaimCheckError } from '@claimcheck/core';
import { parseReference, type Reference } from '@claimcheck/manager';
import type { StorageDriverTargetInfo } from '@temporalio/common';

/** The claim format version this package writes and reads (`claimData.version`). */
export const claimVersion = '1';

/** Where a stored payload came from, as the SDK's store context names it. */
export interface ClaimOrigin {
  namespace?: string;
  workflowId?: string;
  runId?: string;
  workflowType?: string;
  /** For a standalone activity (not run by a workflow): its id and type. */
  activityId?: string;
  activityType?: string;
}

/** What a claim says: the manager's reference to the blob, and the run it was stored for. */
export interface ParsedClaim {
  /** The reference's exact text, as the manager reads it back. */
  referenceText: string;
  /** The parsed, validated reference. */
  reference: Reference;
  /** The run the payload was stored for, as recorded at store time (informational, not checked). */
  origin: ClaimOrigin;
}

const originFields = ['namespace', 'workflowId', 'runId', 'workflowType', 'activityId', 'activityType'] as const;

/**
 * The run a store context names: a workflow's (activities run by a workflow are filed under it by the
 * SDK already), or a standalone activity's.
 */
export function originOf(target: StorageDriverTargetInfo | undefined): ClaimOrigin {
  if (target === undefined) return {};
  const origin: ClaimOrigin = { namespace: target.namespace };
  const standalone = target.kind === 'activity';
  if (target.id !== undefined) origin[standalone ? 'activityId' : 'workflowId'] = target.id;
  if (target.runId !== undefined) origin.runId = target.runId;
  if (target.type !== undefined) origin[standalone ? 'activityType' : 'workflowType'] = target.type;
  return origin;
}

/**
 * The `claimData` for a stored payload: the format version, the manager's reference (key, sizes,
 * encoding, SHA-256) and the run it belongs to. Only strings, as Temporal requires.
 */
export function claimData(referenceText: string, origin: ClaimOrigin): Record<string, string> {
  const data: Record<string, string> = { version: claimVersion, reference: referenceText };
  for (const field of originFields) {
    const value = origin[field];
    if (value !== undefined) data[field] = value;
  }
  return data;
}

/**
 * Reads a claim this package wrote. A claim of another version, without a reference, or with a
 * reference the manager refuses is `INVALID_REFERENCE`.
 */
export function parseClaim(claimData: unknown): ParsedClaim {
  if (typeof claimData !== 'object' || claimData === null) throw invalidClaim('the claim has no claimData');
  const data = claimData as Record<string, unknown>;
  const { version, reference } = data;
  if (version !== claimVersion) {
    throw invalidClaim(
      `claim version ${JSON.stringify(version)} is not supported (this package reads version ${claimVersion}; upgrade @claimcheck/temporal)`,
    );
  }
  if (typeof reference !== 'string') throw invalidClaim('the claim has no reference');
  const origin: ClaimOrigin = {};
  for (const field of originFields) {
    const value = data[field];
    if (typeof value === 'string') origin[field] = value;
  }
  return { referenceText: reference, reference: parseReference(reference), origin };
}

/** True when `data` looks like a claim this package wrote, whatever its version. */
export function isClaimCheckClaim(claimData: unknown): boolean {
  if (typeof claimData !== 'object' || claimData === null) return false;
  const { version, reference } = claimData as Record<string, unknown>;
  return typeof version === 'string' && typeof reference === 'string';
}

function invalidClaim(detail: string): ClaimCheckError {
  return new ClaimCheckError({ code: 'INVALID_REFERENCE', operation: 'parseClaim', backend: 'temporal', detail });
}
