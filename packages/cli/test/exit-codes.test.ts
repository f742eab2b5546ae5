import { ErrorCodes } from '@claimcheck/core';
import { describe, expect, it } from 'vitest';
import { ExitCode, exitCodeFor } from '../src/exit-codes.js';

describe('exit codes', () => {
  it('a payload over the configured bound is bad input (6), like the other input errors', () => {
    expect(exitCodeFor(ErrorCodes.PAYLOAD_TOO_LARGE)).toBe(ExitCode.badInput);
  });
});
