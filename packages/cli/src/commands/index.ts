import type { Command } from '../Command.ts';
import { chatCommand } from './chat.ts';
import { convertCommand } from './convert.ts';
import { doctorCommand } from './doctor.ts';
import { generateCommand } from './generate.ts';
import { infoCommand } from './info.ts';
import { runCommand } from './run.ts';
import { serveCommand } from './serve.ts';
import { synthCommand } from './synth.ts';
import { tokenizeCommand } from './tokenize.ts';
import { trainCommand } from './train.ts';

/** Every `dte` sub-command, in the order `dte --help` lists them. Add one line per command. */
export const commands: Command[] = [
  runCommand,
  infoCommand,
  convertCommand,
  generateCommand,
  synthCommand,
  tokenizeCommand,
  serveCommand,
  chatCommand,
  trainCommand,
  doctorCommand,
];
