import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layering the code review asked for (issue 12), kept by a test rather than by memory:
 * capabilities under src/modules depend on each other in one direction only, and a route file —
 * the HTTP edge of a capability — is imported by the server's composition (src/app.ts) alone:
 * the CLI, the painel, the demo app and other modules take shapes from `<cap>.schemas.ts`.
 * Imports are read as text (static `from '…'` and dynamic `import('…')`), tests excluded.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const importPattern = /(?:from\s+|import\()\s*'([^']+)'/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.includes('test-support') ? [path] : [];
  });
}

/** Every relative import of `file`, as a path from the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(importPattern)].map((m) => m[1]!).filter((spec) => spec.startsWith('.')).map((spec) => normalize(join(dirname(file), spec)));
}

const moduleOf = (path: string) => /^src\/modules\/([^/]+)\//.exec(path)?.[1];

describe('module dependencies', () => {
  const files = [...sourceFiles('src'), ...sourceFiles('painel/src'), ...sourceFiles('bench')];

  it('no two capabilities import each other', () => {
    const edges = new Map<string, Set<string>>();
    for (const file of files) {
      const from = moduleOf(file);
      if (!from) continue;
      for (const target of importsOf(file)) {
        const to = moduleOf(target);
        if (to && to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
    }
    const twoWay = [...edges].flatMap(([from, tos]) => [...tos].filter((to) => from < to && edges.get(to)?.has(from)).map((to) => `${from} <-> ${to}`));
    expect(twoWay).toEqual([]);
  });

  it('route files are imported only by the server’s composition (src/app.ts) and by their own module’s routes', () => {
    const offenders = files.flatMap((file) =>
      importsOf(file)
        .filter((target) => target.endsWith('.routes.ts'))
        .filter((target) => file !== 'src/app.ts' && !(file.endsWith('.routes.ts') && dirname(file) === dirname(target)))
        .map((target) => `${file} -> ${relative(root, join(root, target))}`),
    );
    expect(offenders).toEqual([]);
  });

  it('SQL lives in repositories: no file of a capability but its *.repo.ts builds a query', () => {
    const query = /\.(?:selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql(?:<[^>]*>)?`/;
    const offenders = files.filter((file) => moduleOf(file) && !file.endsWith('.repo.ts') && query.test(readFileSync(join(root, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('repositories are made in src/repositories.ts and injected, not built by the services that use them', () => {
    /**
     * Known exceptions, each with its reason. The retention job's tasks are composition too (they
     * run beside the services, not inside one); the log writer's in-thread sink writes over the
     * connection it is given (an in-memory database the writer thread cannot open).
     */
    const allowed = new Set(['src/repositories.ts', 'src/retention-tasks.ts', 'src/modules/log-center/log-center.writer.ts']);
    const construction = /(?<!function )\bcreate\w+Repo\(/;
    const offenders = files.filter((file) => !allowed.has(file) && construction.test(readFileSync(join(root, file), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
