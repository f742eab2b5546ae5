#!/usr/bin/env node
// Prints the README "Options" table of a store package (or the manager) from its provider's option
// descriptions, so a README is regenerated rather than edited: `node scripts/options-table.mjs store-fs`.
// Each package's tests check that its README holds exactly this table. Reads the built `dist`.
import { optionsTable } from '../packages/core/dist/index.js';

const [name] = process.argv.slice(2);
if (name === undefined) {
  console.error('usage: node scripts/options-table.mjs <store-fs|store-r2|manager|path to a built module>');
  process.exit(2);
}
const module = await import(name.includes('/') ? new URL(name, `file://${process.cwd()}/`).href : new URL(`../packages/${name}/dist/index.js`, import.meta.url).href);
const options = module.storeProvider?.options ?? module.managerOptions;
if (options === undefined) {
  console.error(`${name} exports neither storeProvider nor managerOptions`);
  process.exit(1);
}
console.log(optionsTable(options));
