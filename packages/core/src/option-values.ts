import { ClaimCheckError } from './errors.js';
import type { OptionDescription } from './store-provider.js';

/** Environment variables as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

// The spellings Go's strconv.ParseBool accepts for the common cases, so origin deployments keep working.
const booleans: Readonly<Record<string, boolean>> = { true: true, t: true, '1': true, false: false, f: false, '0': false };

/**
 * Reads each described option that has an environment variable. Unset and empty variables are left
 * out; a malformed value is an `INVALID_CONFIG` error from `backend` naming the variable, never
 * replaced by a default.
 */
export function optionsFromEnv(options: readonly OptionDescription[], env: Environment, backend: string): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const option of options) {
    if (option.env === undefined) continue;
    const text = env[option.env]?.trim();
    if (text === undefined || text === '') continue;
    values[option.name] = parseText(option, option.env, text, backend);
  }
  return values;
}

function parseText(option: OptionDescription, variable: string, text: string, backend: string): unknown {
  // A secret's value is never echoed, not even a malformed one.
  const shown = option.secret === true ? '' : `=${JSON.stringify(text)}`;
  const fail = (what: string) => invalidConfig(backend, `${variable}${shown} is not ${what}`);
  switch (option.type) {
    case 'boolean': {
      const parsed = booleans[text.toLowerCase()];
      if (parsed === undefined) throw fail('a boolean (use true or false)');
      return parsed;
    }
    case 'integer': {
      if (option.octal === true) {
        if (!/^(0o)?[0-7]{1,12}$/i.test(text)) throw fail('an octal number (such as 0755)');
        return Number.parseInt(text.replace(/^0o/i, ''), 8);
      }
      const parsed = Number(text);
      if (!/^\d+$/.test(text) || !Number.isSafeInteger(parsed)) throw fail('a whole number');
      return parsed;
    }
    default: {
      if (option.choices === undefined) return text;
      const choice = text.toLowerCase();
      if (!option.choices.includes(choice)) throw fail(`one of the choices (supported: ${option.choices.join(', ')})`);
      return choice;
    }
  }
}

/**
 * Checks options against their descriptions: every name is described, every value has its type and
 * one of its choices, every required option is there. Returns a copy without `undefined` values;
 * each problem is one `INVALID_CONFIG` error from `backend` naming the options (and their variables).
 */
export function checkOptions(options: readonly OptionDescription[], given: Readonly<Record<string, unknown>>, backend: string): Record<string, unknown> {
  if (typeof given !== 'object' || (given as unknown) === null) throw invalidConfig(backend, 'options must be an object');
  const described = new Map(options.map((option) => [option.name, option]));
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, value] of Object.entries(given)) {
    if (value === undefined) continue;
    const option = described.get(name);
    if (option === undefined) {
      problems.push(`unknown option ${name} (options: ${[...described.keys()].join(', ')})`);
      continue;
    }
    const problem = valueProblem(option, value);
    if (problem === undefined) values[name] = value;
    else problems.push(problem);
  }
  const missing = options.filter((option) => isMissing(option, values)).map(named);
  if (missing.length > 0) problems.unshift(`missing ${missing.join(', ')}`);
  if (problems.length > 0) throw invalidConfig(backend, problems.join('; '));
  return values;
}

function valueProblem(option: OptionDescription, value: unknown): string | undefined {
  const expected = option.type === 'integer' ? 'number' : option.type === 'object' ? 'object' : option.type;
  const integral = option.type !== 'integer' || Number.isSafeInteger(value);
  if (typeof value !== expected || value === null || !integral) {
    return `${named(option)} must be ${option.type === 'integer' ? 'a whole number' : `of type ${option.type}`}`;
  }
  if (option.choices !== undefined && !option.choices.includes(value as string)) {
    const got = option.secret === true ? '' : `, got ${JSON.stringify(value)}`;
    return `${named(option)} must be one of ${option.choices.join(', ')}${got}`;
  }
  return undefined;
}

function isMissing({ name, required }: OptionDescription, values: Record<string, unknown>): boolean {
  if (required === undefined || required === false || values[name] !== undefined) return false;
  return required === true || values[required.unless] === undefined;
}

// `bucket (R2_BUCKET)`: the option as a program sets it and as the environment does.
function named(option: OptionDescription): string {
  return option.env === undefined ? option.name : `${option.name} (${option.env})`;
}

function invalidConfig(backend: string, detail: string): ClaimCheckError {
  return new ClaimCheckError({ code: 'INVALID_CONFIG', operation: 'config', backend, detail });
}
