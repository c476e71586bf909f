// Builds what `bin/ponte.js` runs: the server and the CLI (src/ → dist/, tsc with source maps) and
// the painel (painel/ → painel/dist, Vite).
//
//   node scripts/build.mjs                    both (`npm run build`)
//   node scripts/build.mjs server             only dist/ (`npm run build:server`)
//   node scripts/build.mjs server --if-stale  only when a source changed since the last build (`npm start`,
//                                             the tests that run bin/ponte.js, the bench)
//   node scripts/build.mjs --prepare          `npm ci` / `npm install`: both when the compilers are
//                                             installed; in a production install (--omit=dev) it keeps
//                                             the build that is already there
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
/** Written after each server build; its mtime is what `--if-stale` compares the sources with. */
const stamp = join(dist, '.build-stamp');
const args = process.argv.slice(2);
const prepare = args.includes('--prepare');
const ifStale = args.includes('--if-stale');
const serverOnly = args.includes('server');

const require = createRequire(import.meta.url);
const installed = (name) => {
  try {
    require.resolve(`${name}/package.json`, { paths: [root] });
    return true;
  } catch {
    return false;
  }
};

/** The newest mtime among the server's inputs; directories count too, so a deleted file is a change. */
function newestSourceMtimeMs() {
  let newest = 0;
  // A file deleted while the tree is walked (an editor's save) is simply skipped.
  const mtimeOf = (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const walk = (dir) => {
    newest = Math.max(newest, mtimeOf(dir));
    let entries = [];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, mtimeOf(path));
    }
  };
  walk(join(root, 'src'));
  for (const file of ['tsconfig.json', 'tsconfig.build.json']) newest = Math.max(newest, statSync(join(root, file)).mtimeMs);
  return newest;
}

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' });
  return result.status ?? 1;
}

/** Compiles src/ into dist/; returns the exit status to end with (0: built). */
function buildServer() {
  const startedAt = Date.now();
  // A full build starts clean, so nothing of a deleted source survives in dist/; a rebuild for the
  // tests writes over what is there (another test run may be executing it).
  if (!ifStale) rmSync(dist, { recursive: true, force: true });
  const status = run(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', 'tsconfig.build.json']);
  // tsc exits 2 when it found type errors but wrote the output anyway: `npm test` and the
  // typecheck report those; a build for the tests goes on, any other build fails.
  if (status !== 0 && !(ifStale && status === 2)) return status;
  mkdirSync(dist, { recursive: true });
  writeFileSync(stamp, `${new Date(startedAt).toISOString()}\n`);
  // Dated when the build started: a source saved while tsc ran is newer, and rebuilt next time.
  utimesSync(stamp, startedAt / 1000, startedAt / 1000);
  return 0;
}

const isStale = () => {
  const built = existsSync(stamp) && existsSync(join(dist, 'cli', 'main.js')) ? statSync(stamp).mtimeMs : 0;
  return built === 0 || newestSourceMtimeMs() >= built;
};

/**
 * One build at a time in this tree: test files (and test runs) that find dist/ stale together
 * wait for the first one's build instead of writing the same files at once.
 */
function withBuildLock(task) {
  const lock = join(root, '.build-lock');
  const waitUntil = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      // A lock older than five minutes belongs to a build that died.
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 5 * 60_000) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > waitUntil) throw new Error(`${lock} is held for more than 10 minutes; remove it if no build is running`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    return task();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

if (prepare && !installed('typescript')) {
  // `npm ci --omit=dev` on a tree built elsewhere: nothing to compile with, and nothing to do.
  if (existsSync(join(dist, 'cli', 'main.js')) && existsSync(join(root, 'painel', 'dist', 'index.html'))) {
    console.log('ponte: instalação sem devDependencies; usando a compilação que já está em dist/ e painel/dist.');
  } else {
    console.warn(
      'ponte: instalação sem devDependencies e sem compilação (dist/ ou painel/dist faltando): `ponte` não vai rodar. ' +
        'Compile antes com `npm ci && npm run build` e copie a árvore compilada; só então rode `npm ci --omit=dev`.',
    );
  }
  process.exit(0);
}

if (ifStale) {
  // A production install has no compiler, and a copied tree may have any mtimes: it runs what it has.
  if (!isStale() || !installed('typescript')) process.exit(0);
  process.exit(
    withBuildLock(() => {
      // Another process may have built it while this one waited for the lock.
      if (!isStale()) return 0;
      console.log('ponte: fontes mais novas que dist/; compilando o servidor (tsc)…');
      return buildServer();
    }),
  );
}

const status = withBuildLock(buildServer);
if (status !== 0) process.exit(status);
if (!serverOnly) process.exit(run('npm', ['run', 'build:painel']));
