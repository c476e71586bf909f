#!/usr/bin/env node
// Ponte runs compiled: `npm run build` (also run by `npm ci`) turns src/ into dist/. Source maps
// point stack traces back to the TypeScript that was reviewed.
process.setSourceMapsEnabled(true);

const entry = new URL('../dist/cli/main.js', import.meta.url);
let cli;
try {
  cli = await import(entry.href);
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(entry.pathname)) throw error;
  process.stderr.write('A Ponte não está compilada (falta dist/). Rode `npm run build` numa instalação com as dependências de desenvolvimento (o `npm ci` já faz isso) e tente de novo.\n');
  process.exit(1);
}
process.exitCode = await cli.runCli(process.argv.slice(2));
