#!/usr/bin/env node
// Ponte runs its TypeScript sources through tsx's loader: no build step between a clone and a
// running server, and the code that runs is the code that was reviewed.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
