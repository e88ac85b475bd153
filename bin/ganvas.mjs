#!/usr/bin/env node
// The command line runs the TypeScript sources directly through tsx: no build step.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/runtime/cli/main.ts');
await run(process.argv.slice(2));
