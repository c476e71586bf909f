import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The `ponte` command as production runs it: `bin/ponte.js` over the compiled dist/. A test file
 * that spawns it imports this module, which first rebuilds dist/ if a source under src/ is newer
 * than the last build (`scripts/build.mjs server --if-stale`: one build at a time, the others wait
 * and find it done). Tests that import the TypeScript sources directly never pay for it.
 */

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const ponteBin = fileURLToPath(new URL('../../bin/ponte.js', import.meta.url));

const build = spawnSync(process.execPath, ['scripts/build.mjs', 'server', '--if-stale'], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) {
  throw new Error(`scripts/build.mjs server --if-stale failed (exit ${build.status ?? build.signal}): dist/ is not usable by the tests that run bin/ponte.js`);
}
