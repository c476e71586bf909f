// Preloaded with `node --import` by test/cli-startup.test.ts: lists every module the process
// loads, one per line, in the file named by PONTE_TEST_LOADED_MODULES — ES modules as the loader
// hook sees them (written by the hook before the module is loaded, so none is lost at exit), and
// at exit the CommonJS ones from require's cache.
import { appendFileSync, writeFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const file = process.env.PONTE_TEST_LOADED_MODULES;
writeFileSync(file, '');
const hooks = `
import { appendFileSync } from 'node:fs';
let file;
export function initialize(data) { file = data.file; }
export async function load(url, context, nextLoad) {
  appendFileSync(file, url + '\\n');
  return nextLoad(url, context);
}
`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`, { parentURL: import.meta.url, data: { file } });

const require = createRequire(import.meta.url);
process.on('exit', () => appendFileSync(file, Object.keys(require.cache).join('\n')));
