import type { Command } from '../command.js';
import { getCommand } from './get.js';
import { healthCommand } from './health.js';
import { lsCommand } from './ls.js';
import { putCommand } from './put.js';
import { rmCommand } from './rm.js';
import { statsCommand } from './stats.js';
import { sweepCommand } from './sweep.js';

/** Every subcommand, in the order `--help` lists them. */
export const commands: readonly Command[] = [putCommand, getCommand, rmCommand, lsCommand, healthCommand, sweepCommand, statsCommand];
