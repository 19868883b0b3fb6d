#!/usr/bin/env node
// The `dte` entry point: registers tsx so the workspaces' TypeScript sources run directly
// (no build step), then hands over to src/main.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
