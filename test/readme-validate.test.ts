import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperatorSimulator, type OperatorSimulator } from '../src/simulator/simulator.ts';

/**
 * The README's `ponte validate` example, run as printed — parsed out of README.md — against the
 * operator simulator as `npm start` brings it up (`serve --demo`: default options, so it demands the
 * grupo de autorização headers it issued, for usuário/senha `demo`, on 127.0.0.1 at
 * PONTE_SIMULATOR_PORT's default 3001). The real CLI runs in its own process, with nothing in its
 * environment but PATH and HOME, as on a newcomer's machine.
 */

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const README_SIMULATOR = 'http://127.0.0.1:3001';

/** Words of a POSIX shell command line: single and double quotes, backslash-newline continuations. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let current: string | undefined;
  const text = line.replace(/\\\n/g, ' ');
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (char === "'" || char === '"') {
      const end = text.indexOf(char, i + 1);
      if (end < 0) throw new Error(`unterminated ${char} in: ${line}`);
      current = (current ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (/\s/.test(char)) {
      if (current !== undefined) words.push(current);
      current = undefined;
    } else {
      current = (current ?? '') + char;
    }
  }
  if (current !== undefined) words.push(current);
  return words;
}

/** The `npx ponte validate …` command of README.md's code block, as words. */
function readmeValidateCommand(): string[] {
  const readme = readFileSync(`${repoRoot}README.md`, 'utf8');
  const blocks = [...readme.matchAll(/```(?:bash|sh)\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const commands = blocks.flatMap((block) => block.replace(/\\\n/g, ' ').split('\n')).filter((line) => line.trim().startsWith('npx ponte validate'));
  expect(commands, 'README.md has exactly one `npx ponte validate` example in a bash block').toHaveLength(1);
  return shellWords(commands[0]!);
}

type Run = { code: number | null; stdout: string; stderr: string };

function ponte(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise<Run>((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/ponte.js', ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('shellWords', () => {
  it('reads quotes and continuations as a shell does', () => {
    expect(shellWords(`npx ponte validate --input '{"a":"b c"}' \\\n  --header "X-Y: z"`)).toEqual(['npx', 'ponte', 'validate', '--input', '{"a":"b c"}', '--header', 'X-Y: z']);
  });
});

describe("README's ponte validate example", { timeout: 120_000 }, () => {
  let sim: OperatorSimulator;
  let command: string[];
  /** The README's words, with the simulator's origin substituted only when port 3001 was taken on this machine. */
  let args: string[];

  beforeAll(async () => {
    command = readmeValidateCommand();
    expect(command.slice(0, 3)).toEqual(['npx', 'ponte', 'validate']);
    try {
      // What `npm start` does (src/cli/serve.ts): default options, PONTE_SIMULATOR_PORT (3001).
      sim = await createOperatorSimulator({ port: 3001, host: '127.0.0.1' });
    } catch (error) {
      if ((error as { code?: string }).code !== 'EADDRINUSE') throw error;
      // Another process (a running demo, another suite) holds 3001: same simulator on a free port.
      sim = await createOperatorSimulator({ port: 0, host: '127.0.0.1' });
    }
    args = command.slice(2).map((word) => word.replaceAll(README_SIMULATOR, sim.url));
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('works as printed: exit 0, the login validated with the grupo headers the simulator demands', async () => {
    const run = await ponte(args);
    expect(run.stderr).toBe('');
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('✔ A resposta segue o contrato.');
    const calls = sim.calls();
    expect(calls.autorizacao.count).toBe(1);
    expect(calls.autorizacao.lastBody).toEqual({ usuario: 'demo', senha: 'demo' });
    expect(calls.login.count).toBe(1);
    expect(calls.login.lastBody).toEqual(JSON.parse(args[args.indexOf('--input') + 1]!));
  });

  it('without the grupo options the same command is refused by the simulator (401), which is why the README has them', async () => {
    const withoutGrupo = args.slice(0, args.indexOf('--grupo-url'));
    const run = await ponte(['--json', ...withoutGrupo]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { aprovado: boolean; resposta: { status: number } | null };
    expect(report).toMatchObject({ aprovado: false, resposta: { status: 401 } });
  });

  it('a grupo that refuses its credentials is what the report shows, and the method is not called', async () => {
    const before = sim.calls().login.count;
    const wrong = args.map((word, i) => (args[i - 1] === '--grupo-senha' ? 'senha-errada' : word));
    const run = await ponte(['--json', ...wrong]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { metodo: string; aprovado: boolean; resultado: string; mensagem: string; resposta: { status: number } | null };
    expect(report).toMatchObject({ metodo: 'autorizacao', aprovado: false, resultado: 'recusado_pela_operadora', resposta: { status: 401 } });
    expect(report.mensagem).toContain('O método login não foi chamado.');
    expect(run.stdout).not.toContain('senha-errada');
    expect(sim.calls().login.count).toBe(before);
  });

  it('takes the grupo senha from PONTE_GRUPO_SENHA, and refuses the grupo options one without the others', async () => {
    const withoutSenha = args.filter((word, i) => word !== '--grupo-senha' && args[i - 1] !== '--grupo-senha');
    const fromEnv = await ponte(withoutSenha, { PONTE_GRUPO_SENHA: 'demo' });
    expect(fromEnv.code, fromEnv.stdout + fromEnv.stderr).toBe(0);
    const incomplete = await ponte(withoutSenha);
    expect(incomplete.code).toBe(1);
    expect(incomplete.stderr).toContain('--grupo-url, --grupo-usuario e --grupo-senha vão juntos');
  });
});
