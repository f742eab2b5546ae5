import { describe, expect, it } from 'vitest';
import {
  ClaimCheckError,
  ErrorCodes,
  hasErrorCode,
  isClaimCheckError,
  isInvalidKeyError,
  isNotFoundError,
} from '../src/index.js';

describe('ClaimCheckError', () => {
  it('carries code, operation, backend and cause, with a message in the origin’s form', () => {
    const cause = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    const error = new ClaimCheckError({ code: 'STORE_FAILURE', operation: 'put', backend: 'filesystem', detail: cause.message, cause });
    expect(error.message).toBe('filesystem put failed: ENOSPC: no space left on device');
    expect(error).toMatchObject({ name: 'ClaimCheckError', code: 'STORE_FAILURE', operation: 'put', backend: 'filesystem' });
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
  });

  it('every code is its own name, so codes can be compared as strings', () => {
    for (const [name, code] of Object.entries(ErrorCodes)) expect(code).toBe(name);
  });

  it('guards recognise the code and reject everything else', () => {
    const notFound = new ClaimCheckError({ code: 'NOT_FOUND', operation: 'get', backend: 'memory', detail: 'x' });
    expect(isNotFoundError(notFound)).toBe(true);
    expect(isInvalidKeyError(notFound)).toBe(false);
    expect(hasErrorCode(notFound, 'NOT_FOUND')).toBe(true);
    for (const other of [new Error('NOT_FOUND'), { code: 'NOT_FOUND' }, null, 'NOT_FOUND', Object.assign(new Error(), { code: 'NOT_FOUND' })]) {
      expect(isClaimCheckError(other)).toBe(false);
      expect(isNotFoundError(other)).toBe(false);
    }
  });

  it('guards recognise errors from another copy of the package', async () => {
    // The built file is a separate copy of the class, as a duplicated dependency would be.
    const built = '../dist/index.js';
    const otherCopy = (await import(built)) as typeof import('../src/index.js');
    expect(otherCopy.ClaimCheckError).not.toBe(ClaimCheckError);
    const foreign = new otherCopy.ClaimCheckError({ code: 'NOT_FOUND', operation: 'get', backend: 'memory', detail: 'x' });
    expect(foreign instanceof ClaimCheckError).toBe(false);
    expect(isClaimCheckError(foreign)).toBe(true);
    expect(isNotFoundError(foreign)).toBe(true);
    expect(otherCopy.isNotFoundError(new ClaimCheckError({ code: 'NOT_FOUND', operation: 'get', backend: 'memory', detail: 'x' }))).toBe(true);
  });
});
