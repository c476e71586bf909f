import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The repository is self-contained (docs/ESTILO.md, "Logs, comentários, documentos"): whoever clones
 * Ponte finds every document it cites. For every text file git tracks or would track (`git ls-files
 * --cached --others --exclude-standard`: new files count before their first commit, ignored ones
 * never), this fails on
 *
 * - a relative path that climbs out of the repository (the old `../shared/docs/…` links from the
 *   root; the painel's imports of its own `shared/formulario/` stay inside and are fine);
 * - an absolute path into a workspace or home folder (another checkout on someone's machine);
 * - a Markdown link `[…](path)` or image in a `.md` file whose target does not exist;
 * - a mention of `docs/<Arquivo>.md` anywhere that names no existing file.
 *
 * Text only, read once: well under a second.
 */

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

const BINARY_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.gif', '.webp', '.ico', '.svgz', '.woff', '.woff2', '.ttf', '.otf', '.eot', '.pdf', '.zip', '.gz', '.tgz', '.db', '.sqlite', '.wasm', '.node']);

// Each pattern starts with a literal (fast to scan for); what may not come right before a match is
// checked by `tokens()`, so that `a../b`, `x/../y`, `https://host/home/…` and `painel/docs/…` are
// not taken for references.
/** `../` runs followed by a path. */
const RELATIVE_PATH = /(?:\.\.\/)+[\w@.-][\w@./-]*/g;
/** A climb to a system folder is a path-traversal sample in a security test, not a reference. */
const TRAVERSAL_SAMPLE = /^(?:\.\.\/)+(?:etc|proc|sys|dev|var|usr|bin|boot|windows)\//i;
/** Folders that only exist on some machine: workspaces, home folders, Windows profiles, file URLs. */
const MACHINE_PATH = /\/(?:work|workspace|workspaces|home|Users|root|mnt)\/[\w.-]+|[A-Za-z]:\\Users\\|file:\/\/\//g;
/** `[text](target "title")`, images included; the target up to the first space or `)`. */
const MARKDOWN_LINK = /!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
/** A Markdown file under the root `docs/` folder, as written in comments, strings and prose. */
const DOCS_MENTION = /docs\/[\w./-]*?[\w-]+\.md(?![\w-])/g;
const FENCED_BLOCK = /^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm;

export type Problem = { file: string; line: number; problem: string };

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}

/** Matches of `pattern` not glued to what comes before them (a word, a path or a URL). */
function* tokens(text: string, pattern: RegExp): Generator<{ index: number; token: string }> {
  for (const match of text.matchAll(pattern)) {
    const before = match.index > 0 ? text[match.index - 1]! : '';
    if (!/[\w./:-]/.test(before)) yield { index: match.index, token: match[0] };
  }
}

function insideRepo(absolute: string, root: string): boolean {
  const rel = relative(root, absolute);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Every problem of one file. `exists(path)` answers for a path relative to `root` (the caller's file
 * system, or a fixed list in the checks of this file).
 */
export function problemsOf(file: string, text: string, options: { root: string; exists: (repoPath: string) => boolean }): Problem[] {
  const problems: Problem[] = [];
  const report = (index: number, problem: string) => problems.push({ file, line: lineOf(text, index), problem });
  const dir = dirname(resolve(options.root, file));

  for (const { index, token } of tokens(text, RELATIVE_PATH)) {
    if (TRAVERSAL_SAMPLE.test(token)) continue;
    if (!insideRepo(resolve(dir, token), options.root)) report(index, `"${token}" aponta para fora do repositório`);
  }
  for (const { index, token } of tokens(text, MACHINE_PATH)) {
    report(index, `"${token}" é um caminho absoluto de uma máquina, fora do repositório`);
  }
  for (const { index, token } of tokens(text, DOCS_MENTION)) {
    if (!options.exists(token)) report(index, `"${token}" não existe no repositório`);
  }
  if (extname(file).toLowerCase() === '.md') {
    // Links inside code blocks are examples, not links; blank them keeping the offsets (line numbers).
    const prose = text.replace(FENCED_BLOCK, (block) => block.replace(/[^\n]/g, ' '));
    for (const match of prose.matchAll(MARKDOWN_LINK)) {
      const target = match[1]!;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#') || target.startsWith('//')) continue;
      let path = target.replace(/[?#].*$/, '');
      try {
        path = decodeURIComponent(path);
      } catch {
        // Not percent-encoded after all: checked as written.
      }
      const absolute = path.startsWith('/') ? resolve(options.root, `.${path}`) : resolve(dir, path);
      if (!insideRepo(absolute, options.root)) report(match.index, `o link "${target}" aponta para fora do repositório`);
      else if (!options.exists(relative(options.root, absolute) || '.')) report(match.index, `o link "${target}" não leva a um arquivo do repositório`);
    }
  }
  return problems;
}

/** Folders that are never the repository's own text: installed, built or generated. */
const UNTRACKED_DIRS = new Set(['.git', 'node_modules', 'dist', 'data', 'test-results', '.build-lock']);

/** Every file under `dir`, for a copy of the tree without `.git` (CI's Node 24 pass runs in one). */
function walk(dir: string): string[] {
  return readdirSync(resolve(repoRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return UNTRACKED_DIRS.has(entry.name) ? [] : walk(path);
    return entry.isFile() ? [path] : [];
  });
}

/** Files git tracks, or will once added (deleted-but-still-indexed ones skipped); outside a checkout, the tree as it is. */
function repositoryFiles(): string[] {
  if (!existsSync(resolve(repoRoot, '.git'))) return walk('');
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return [...new Set(out.split('\0').filter(Boolean))].filter((file) => existsSync(resolve(repoRoot, file)) && statSync(resolve(repoRoot, file)).isFile());
}

function textOf(file: string): string | undefined {
  if (BINARY_EXTENSIONS.has(extname(file).toLowerCase())) return undefined;
  const bytes = readFileSync(resolve(repoRoot, file));
  if (bytes.includes(0)) return undefined;
  return bytes.toString('utf8');
}

describe('every reference resolves inside the repository', () => {
  it('no tracked text file points outside the repository or to a missing document', () => {
    // This file is left out: its checks below are made of exactly what it refuses.
    const files = repositoryFiles().filter((file) => file !== 'test/docs-links.test.ts');
    const present = new Set(files);
    // Folders count as existing (a link to `docs/` or `painel/`). Ignored files (`data/`, `dist/`) do
    // not: a fresh clone does not have them.
    for (const file of files) for (let dir = dirname(file); dir !== '.' && !present.has(dir); dir = dirname(dir)) present.add(dir);
    present.add('.');
    const exists = (repoPath: string) => present.has(repoPath.replaceAll('\\', '/')) || repoPath === 'test/docs-links.test.ts';

    const problems = files.flatMap((file) => {
      const text = textOf(file);
      return text === undefined ? [] : problemsOf(file, text, { root: repoRoot, exists });
    });
    expect(files.length).toBeGreaterThan(50);
    expect(problems.map((p) => `${p.file}:${p.line}: ${p.problem}`)).toEqual([]);
  });

  it('keeps the documents the code cites', () => {
    for (const doc of ['ESPECIFICACAO', 'CONTRATOS', 'PLATAFORMA', 'DESEMPENHO', 'ESTILO', 'BENCHMARKS']) {
      expect(existsSync(resolve(repoRoot, `docs/${doc}.md`)), `docs/${doc}.md`).toBe(true);
    }
  });
});

describe('the checker', () => {
  const root = resolve('/repo');
  const existing = new Set(['.', 'docs', 'docs/ESPECIFICACAO.md', 'docs/img', 'docs/img/a.png', 'ARCHITECTURE.md', 'painel/src/shared/formulario/Campos.tsx']);
  const check = (file: string, text: string) => problemsOf(file, text, { root, exists: (p) => existing.has(p) }).map((p) => `${p.line}: ${p.problem}`);

  it('flags a path that climbs out of the repository, with its line', () => {
    expect(check('CONTRIBUTING.md', 'Rodar.\nVeja `../shared/docs/PERFORMANCE.md`.')).toEqual(['2: "../shared/docs/PERFORMANCE.md" aponta para fora do repositório']);
    expect(check('src/a/b.ts', "// see '../../../other/STYLE.md'")).toHaveLength(1);
  });

  it('accepts relative imports that stay inside', () => {
    expect(check('painel/src/demo/api.ts', "import type { V } from '../shared/formulario/Campos.tsx';")).toEqual([]);
    expect(check('painel/src/demo/x/y.tsx', "import { C } from '../../shared/formulario/Campos.tsx';")).toEqual([]);
  });

  it("flags absolute paths of someone's machine, not URL paths", () => {
    const machinePath = ['', 'work', 'shared', 'docs', 'SPEC.md'].join('/');
    expect(check('src/x.ts', `// ${machinePath}`)).toHaveLength(1);
    expect(check('src/x.ts', `const home = '${['', 'home', 'ana', 'ponte'].join('/')}';`)).toHaveLength(1);
    expect(check('README.md', 'https://example.com/work/page and /healthz')).toEqual([]);
  });

  it('flags docs/<Arquivo>.md mentions that name no file', () => {
    expect(check('src/x.ts', '// docs/ESPECIFICACAO.md §3.1 and docs/PLATAFORMA.md §2.1.1')).toEqual(['1: "docs/PLATAFORMA.md" não existe no repositório']);
    expect(check('src/x.ts', '// painel/docs/X.md is another folder')).toEqual([]);
  });

  it('leaves path-traversal samples alone', () => {
    expect(check('test/malformed-input.test.ts', "  '../../etc/passwd',")).toEqual([]);
  });

  it('resolves Markdown links from the file, skipping URLs, anchors and code blocks', () => {
    expect(check('docs/ESPECIFICACAO.md', '[a](../ARCHITECTURE.md#x) [b](img/a.png) [c](https://x.y/z) [d](#secao)')).toEqual([]);
    expect(check('README.md', '![p](docs/img/b.png)\n[q](ARCHITECTURE)')).toEqual([
      '1: o link "docs/img/b.png" não leva a um arquivo do repositório',
      '2: o link "ARCHITECTURE" não leva a um arquivo do repositório',
    ]);
    expect(check('README.md', '[fora](../../x.md)')).toEqual(['1: "../../x.md" aponta para fora do repositório', '1: o link "../../x.md" aponta para fora do repositório']);
    expect(check('README.md', '```md\n[exemplo](nao/existe.md)\n```\n')).toEqual([]);
  });
});
