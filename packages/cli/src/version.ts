import manifest from '../package.json' with { type: 'json' };

/** The version of @claimcheck/cli, as `claimcheck --version` prints it. */
export const version: string = manifest.version;
