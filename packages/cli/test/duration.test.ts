import { describe, expect, it } from 'vitest';
import { formatAge, formatBytes, parseDuration } from '../src/duration.js';
import { UsageError } from '../src/usage-error.js';

describe('durations and sizes', () => {
  it('parses the units sweep accepts', () => {
    expect(parseDuration('7d', '--older-than')).toBe(7 * 86_400_000);
    expect(parseDuration('12h', '--older-than')).toBe(12 * 3_600_000);
    expect(parseDuration('30m', '--older-than')).toBe(30 * 60_000);
    expect(parseDuration('45s', '--older-than')).toBe(45_000);
    expect(parseDuration('500ms', '--older-than')).toBe(500);
    expect(parseDuration('2w', '--older-than')).toBe(14 * 86_400_000);
  });

  it('rejects anything else as a usage error naming the option', () => {
    for (const bad of ['7', 'd', '-1d', '1.5h', '7 days', '', '99999999999999999w']) {
      expect(() => parseDuration(bad, '--older-than')).toThrow(UsageError);
      expect(() => parseDuration(bad, '--older-than')).toThrow(/--older-than/);
    }
  });

  it('formats ages and sizes for people', () => {
    expect([formatAge(5_000), formatAge(120_000), formatAge(7_200_000), formatAge(3 * 86_400_000)]).toEqual(['5s', '2m', '2h', '3d']);
    expect([formatBytes(512), formatBytes(1536), formatBytes(12 * 1024 * 1024)]).toEqual(['512 B', '1.5 KiB', '12.0 MiB']);
  });
});
