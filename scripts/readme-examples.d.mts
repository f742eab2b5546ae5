/** One runnable code block of a README. */
export interface ReadmeExample {
  line: number;
  language: 'ts' | 'js';
  code: string;
  /** Why a `type-checked, not run` example is not run; absent on runnable ones. */
  notRun?: string;
}
export function readmeExamples(readmePath: string): Promise<ReadmeExample[]>;
export function readmeCodeBlocks(readmePath: string): Promise<ReadmeExample[]>;
export function runExample(
  packageDir: string,
  example: ReadmeExample,
  options?: { env?: Record<string, string>; timeoutMs?: number },
): Promise<{ stdout: string; stderr: string }>;
export function readmeTests(
  packageDir: string,
  options?: { minimumExamples?: number; env?: Record<string, string> },
): Promise<void>;
