import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { ponteBin, repoRoot } from './support/ponte-bin.ts';

/**
 * The compiled `ponte` as a person meets it at the terminal: commander's messages in Portuguese,
 * `--version`, the e-mail check, tables with headers, `serve --port`, and the server's console —
 * a line per event as it happens (readable in development, JSON in production), read while the
 * server runs, never only at exit.
 */

type Env = Record<string, string>;
const children = new Set<ChildProcess>();
const dirs: string[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function envFor(extra: Env = {}): Env {
  const dataDir = mkdtempSync(join(tmpdir(), 'ponte-cli-console-'));
  dirs.push(dataDir);
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), NODE_ENV: 'development', LOG_LEVEL: 'silent', PONTE_DATA_DIR: dataDir, ...extra };
}

function start(args: string[], env: Env): ChildProcess {
  const child = spawn(process.execPath, [ponteBin, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

function ponte(args: string[], env: Env): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = start(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Collects a running process's stdout and resolves `until(pattern)` as soon as it shows up. */
function watch(child: ChildProcess) {
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (match: RegExpExecArray) => void }[] = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(stdout);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    check();
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    output: () => stdout,
    exited,
    until(pattern: RegExp): Promise<RegExpExecArray> {
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        check();
        void exited.then((code) => reject(new Error(`exited (${code}) before ${pattern}:\n${stdout}\n${stderr}`)));
      });
    },
  };
}

describe('ponte CLI in Portuguese', { timeout: 90_000 }, () => {
  it('--version prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const run = await ponte([flag], envFor());
      expect(run).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  it('--help speaks Portuguese: titles, placeholders and the help option', async () => {
    const run = await ponte(['--help'], envFor());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Uso: ponte \[opções\] \[comando\]$/m);
    for (const text of ['Opções:', 'Comandos:', '-h, --help', 'exibe a ajuda do comando', '-v, --version', 'mostra a versão da Ponte']) expect(run.stdout).toContain(text);
    for (const english of ['Usage:', 'Options:', 'Commands:', 'display help', 'output the version']) expect(run.stdout).not.toContain(english);
    const serve = await ponte(['serve', '--help'], envFor());
    expect(serve.stdout).toMatch(/--port <porta>/);
    expect(serve.stdout).toContain('(padrão: "1")');
  });

  it('an unknown option, an unknown command and a missing argument are refused in Portuguese, with a suggestion', async () => {
    const option = await ponte(['serve', '--porta', '3000'], envFor());
    expect(option.code).toBe(1);
    expect(option.stdout).toBe('');
    expect(option.stderr).toContain("erro: opção desconhecida '--porta'");
    expect(option.stderr).toContain('(Quis dizer --port?)');
    expect(option.stderr).toContain('(use --help para ver as opções)');

    const command = await ponte(['token', 'lista'], envFor());
    expect(command.code).toBe(1);
    expect(command.stderr).toContain("erro: comando desconhecido 'lista'");
    expect(command.stderr).toContain('(Quis dizer list?)');

    const argument = await ponte(['token', 'revoke'], envFor());
    expect(argument.code).toBe(1);
    expect(argument.stderr).toContain("erro: falta o argumento obrigatório 'tokenId'");

    const required = await ponte(['admin', 'create'], envFor());
    expect(required.code).toBe(1);
    expect(required.stderr).toContain("erro: a opção obrigatória '--email <email>' não foi informada");

    for (const run of [option, command, argument, required]) expect(run.stderr).not.toMatch(/\berror:|display help|Did you mean/);
  });

  it('admin create refuses what is not an e-mail, quoting it, before touching the database', async () => {
    const env = envFor();
    const run = await ponte(['admin', 'create', '--email', 'x'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('--email deve ser um e-mail válido, como pessoa@operadora.com.br (recebido: "x").\n');
    const ok = await ponte(['--json', 'admin', 'create', '--email', '  Pessoa@Exemplo.com.br '], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ email: 'pessoa@exemplo.com.br' });
  });

  it('admin senha sets a new password for an existing account (shown once) and names the command for an unknown e-mail', async () => {
    const env = envFor();
    await ponte(['admin', 'create', '--email', 'dona@exemplo.com.br', '--senha', 'senha-antiga-123'], env);
    const reset = await ponte(['--json', 'admin', 'senha', '--email', 'dona@exemplo.com.br'], env);
    expect(reset.code, reset.stderr).toBe(0);
    const answer = JSON.parse(reset.stdout) as { email: string; senha: string; ativo: boolean };
    expect(answer).toMatchObject({ email: 'dona@exemplo.com.br', ativo: true });
    expect(answer.senha.length).toBeGreaterThanOrEqual(10);

    const unknown = await ponte(['admin', 'senha', '--email', 'ninguem@exemplo.com.br'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('ponte admin create --email ninguem@exemplo.com.br');
  });

  it('token list prints a header row over the rows, columns aligned', async () => {
    const env = envFor();
    const cliente = JSON.parse((await ponte(['--json', 'cliente', 'create', '--nome', 'Operadora Tabela'], env)).stdout) as { id: string };
    const token = JSON.parse((await ponte(['--json', 'token', 'create', '--cliente', cliente.id, '--apis', 'chavePasse', '--descricao', 'Backend do portal'], env)).stdout) as { id: string; prefixo: string };
    const list = await ponte(['token', 'list', '--cliente', cliente.id], env);
    expect(list.code, list.stderr).toBe(0);
    const [header, row, ...rest] = list.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID +INÍCIO +APIS +SITUAÇÃO +CRIADO EM +ÚLTIMO USO +DESCRIÇÃO$/);
    expect(row).toMatch(new RegExp(`^${token.id} +${token.prefixo}… +chavePasse +ativo +\\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2} +— +Backend do portal$`));
    expect(rest).toEqual([]);
    // Columns line up: each header starts where its values start.
    expect(row!.indexOf('chavePasse')).toBe(header!.indexOf('APIS'));
  });
});

describe('ponte serve: the console', { timeout: 120_000 }, () => {
  it('development: the banner (with --port and the admin recovery hint), then a readable pt-BR line per request while it runs', async () => {
    const server = start(['serve', '--port', '0', '--host', '127.0.0.1'], envFor({ LOG_LEVEL: 'info', PORT: '1' }));
    const console_ = watch(server);
    try {
      const [, port] = await console_.until(/Ponte no ar em http:\/\/localhost:(\d+)/);
      // --port 0 won over PORT=1.
      expect(Number(port)).toBeGreaterThan(1);
      await console_.until(/Acesso: .*\n/);
      expect(console_.output()).toContain('npx ponte --dev admin create --email <e-mail>');
      expect(console_.output()).toContain('npx ponte --dev admin senha --email <e-mail>');

      const health = await request(`http://127.0.0.1:${port}/healthz`);
      expect(health.statusCode).toBe(200);
      await health.body.dump();
      // Read while the server is still up: the line left the process when the request finished.
      const [line] = await console_.until(/^.*requisição GET \/healthz → 200.*$/m);
      expect(line).toMatch(/^\[\d{2}:\d{2}:\d{2}\] INFO: requisição GET \/healthz → 200 \(\d+ ms\)/);
      expect(console_.output()).toMatch(/INFO: Servidor escutando em http:\/\/127\.0\.0\.1:\d+/);
      expect(console_.output()).not.toMatch(/^\{"level"/m);
    } finally {
      server.kill('SIGTERM');
      expect(await console_.exited).toBe(0);
    }
  });

  it('production: JSON lines, each written as it happens', async () => {
    const keys = { PONTE_MASTER_KEYS: `v1:${randomBytes(32).toString('base64')}`, PONTE_JWT_KEYS: `k1:${randomBytes(32).toString('base64')}` };
    const server = start(['serve', '--port', '0', '--host', '127.0.0.1'], envFor({ NODE_ENV: 'production', LOG_LEVEL: 'debug', ...keys }));
    const console_ = watch(server);
    try {
      const [, port] = await console_.until(/Ponte no ar em http:\/\/localhost:(\d+)/);
      expect(console_.output()).toContain('npx ponte admin senha --email <e-mail>');
      const health = await request(`http://127.0.0.1:${port}/healthz`);
      await health.body.dump();
      const [line] = await console_.until(/^\{.*"msg":"requisição".*\}$/m);
      expect(JSON.parse(line)).toMatchObject({ level: 20, service: 'ponte', method: 'GET', route: '/healthz', status: 200 });
    } finally {
      server.kill('SIGTERM');
      expect(await console_.exited).toBe(0);
    }
  });
});
