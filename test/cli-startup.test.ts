import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ponteBin, repoRoot } from './support/ponte-bin.ts';

/**
 * The compiled CLI loads only what each command needs: `--help`, `validate` and `operator-sim`
 * (an operator's CI, a demo) start without the database drivers, argon2, Redis or the HTTP server.
 * Each run is the real `bin/ponte.js` with a preloaded module that lists, at exit, every module
 * the process loaded. How long a start takes is measured in docs/BENCHMARKS.md, not here.
 */

const dir = mkdtempSync(join(tmpdir(), 'ponte-cli-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Packages that belong to the server and the storage commands only. */
const heavy = ['better-sqlite3', 'pg', 'kysely', '@node-rs/argon2', 'ioredis', 'fastify', 'nodemailer', 're2'];
const heavyIn = (modules: string[]) => heavy.filter((name) => modules.some((file) => file.includes(`/node_modules/${name}/`)));

let runs = 0;
/** Runs `ponte <args>` and returns its exit code and every module (file path or URL) it loaded. */
function loadedBy(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; modules: string[]; stderr: string }> {
  const list = join(dir, `modules-${(runs += 1)}.txt`);
  const child = spawn(process.execPath, ['--import', './test/support/record-loaded-modules.mjs', ponteBin, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), NODE_ENV: 'development', LOG_LEVEL: 'silent', PONTE_DATA_DIR: dir, PONTE_TEST_LOADED_MODULES: list, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, modules: readFileSync(list, 'utf8').split('\n'), stderr }));
  });
}

describe('what each CLI command loads', { timeout: 60_000 }, () => {
  it('`ponte --help` and `ponte validate --help` load commander and the CLI, nothing of the server', async () => {
    for (const args of [['--help'], ['validate', '--help']]) {
      const run = await loadedBy(args);
      expect(run.code, run.stderr).toBe(0);
      expect(heavyIn(run.modules), args.join(' ')).toEqual([]);
      expect(run.modules.some((file) => file.includes('/node_modules/zod/')), args.join(' ')).toBe(false);
      // The compiled CLI, not the sources through a TypeScript loader.
      expect(run.modules.some((file) => file.includes('/dist/cli/main.js'))).toBe(true);
      expect(run.modules.some((file) => file.endsWith('.ts') || file.includes('/node_modules/tsx/'))).toBe(false);
    }
  });

  it('`ponte validate` (a call that fails: nobody listens) loads no database driver, argon2, Redis or server', async () => {
    const run = await loadedBy(['validate', '--url', 'http://127.0.0.1:9/login', '--method', 'login', '--input', '{"login":"1","senha":"2"}', '--timeout', '1000']);
    expect(run.code).toBe(1);
    expect(run.modules.some((file) => file.includes('/dist/modules/validador/validate-command.js'))).toBe(true);
    expect(heavyIn(run.modules)).toEqual([]);
  });

  it('`ponte operator-sim --list-users` loads no database driver, argon2, Redis or server', async () => {
    const run = await loadedBy(['operator-sim', '--list-users']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.modules.some((file) => file.includes('/dist/simulator/cli.js'))).toBe(true);
    expect(heavyIn(run.modules)).toEqual([]);
  });

  it('a storage command does load them (the list above would see a driver if one were loaded)', async () => {
    const run = await loadedBy(['--dev', 'cliente', 'list']);
    expect(run.code, run.stderr).toBe(0);
    expect(heavyIn(run.modules)).toEqual(expect.arrayContaining(['better-sqlite3', 'kysely', '@node-rs/argon2']));
  });
});
