import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import type { Services } from '../services.ts';
import type { Config } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { clientApis, type ClientApi } from '../modules/client-tokens/client-tokens.repo.ts';
import { operatorMethods } from '../modules/contracts/contract-spec.ts';
import { registerKeysCommands } from './keys.ts';
import { createOutput, formatTable, type Output } from './output.ts';
import { speakPortuguese } from './portugues.ts';
import { operatorSimHelp } from '../simulator/help.ts';
import type { OperatorSimCliOptions } from '../simulator/cli.ts';

const cliActor = { userId: null, label: 'cli' };

// Only what `--help` needs is imported here (commander and a few constants). The rest — the
// configuration (Zod), the services, the server, the database drivers, argon2 — is imported by the
// commands that use it, so `ponte --help`, `validate` and `operator-sim` start in a fraction of a
// second and never load a database driver.

/** Opens the infrastructure, runs `task` with the services, and always closes what it opened. */
/**
 * The environment as a command sees it: with `--dev` (or for `serve --demo`) and no NODE_ENV of its
 * own, development rules — keys generated in the data folder, loopback operators allowed.
 */
function cliEnvironment(development: boolean): NodeJS.ProcessEnv {
  if (!development) return process.env;
  if (process.env.NODE_ENV === 'production') throw new AppError('VALIDATION_FAILED', '--dev e --demo não combinam com NODE_ENV=production.');
  return process.env.NODE_ENV ? process.env : { ...process.env, NODE_ENV: 'development' };
}

let developmentRequested = false;
/** Loaded before any command runs (the `preAction` hook), so reading the configuration stays synchronous. */
let configModule: typeof import('../platform/config.ts') | undefined;
const cliConfig = (development = developmentRequested, overrides: NodeJS.ProcessEnv = {}): Config => {
  if (!configModule) throw new Error('configuration module not loaded before the command');
  return configModule.loadConfig({ ...cliEnvironment(development), ...overrides });
};

/** The version of this installation (package.json beside dist/ and src/). */
function ponteVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** `--port` of `serve`: what PORT accepts, said with the option's name. */
function parsePort(raw: string): string {
  const port = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || port > 65535) throw new AppError('VALIDATION_FAILED', `--port deve ser um inteiro de 0 a 65535 (0 escolhe uma porta livre) (recebido: "${raw}").`);
  return String(port);
}

/** `dd/mm/aaaa hh:mm` in the server's time zone, or "—". */
function dateTime(epochMs: number | null): string {
  if (epochMs === null) return '—';
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getDate())}/${two(d.getMonth() + 1)}/${d.getFullYear()} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

async function withServices<T>(task: (services: Services) => Promise<T>): Promise<T> {
  const config = cliConfig();
  const { openInfrastructure } = await import('../platform/infrastructure.ts');
  const { createServices } = await import('../services.ts');
  const infra = await openInfrastructure({ ...config, logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel });
  const services = await createServices(infra);
  try {
    return await task(services);
  } finally {
    await services.close();
    await infra.close();
  }
}

function parseApis(raw: string): ClientApi[] {
  const apis = raw.split(',').map((api) => api.trim()).filter(Boolean);
  const unknown = apis.filter((api) => !(clientApis as readonly string[]).includes(api));
  if (apis.length === 0 || unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', `--apis deve listar ${clientApis.join(' e/ou ')} separados por vírgula (recebido: "${raw}").`);
  }
  return apis as ClientApi[];
}

export function buildCli(output: Output): Command {
  const program = speakPortuguese(new Command('ponte'), { writeErr: (text) => output.error(text.replace(/\n$/, '')), version: ponteVersion() })
    .description('Ponte — integração entre apps de planos de saúde e as APIs das operadoras')
    .addOption(new Option('--json', 'saída em JSON, para automação'))
    .addOption(new Option('--dev', 'regras de desenvolvimento quando NODE_ENV não está definido (chaves geradas em PONTE_DATA_DIR); sem ele, valem as de produção'))
    .hook('preAction', async () => {
      developmentRequested = Boolean(program.opts().dev);
      configModule ??= await import('../platform/config.ts');
    });
  const json = () => Boolean(program.opts().json);

  program
    .command('serve')
    .description('inicia o servidor HTTP (aplica as migrações antes)')
    .option('--demo', 'sobe também o simulador de operadora e prepara dados de demonstração (uma vez)')
    .option('--workers <n>', 'processos que atendem na mesma porta: um número ou "auto" (um por núcleo); mais de 1 exige REDIS_URL', '1')
    .option('--port <porta>', 'porta HTTP; sem ela, a variável PORT (ou 3000); 0 escolhe uma livre')
    .option('--host <endereco>', 'endereço de escuta; sem ele, a variável HOST (ou 0.0.0.0)')
    .action(async (options: { demo?: boolean; workers: string; port?: string; host?: string }) => {
      const { parseWorkers, serve } = await import('./serve.ts');
      const overrides = { ...(options.port !== undefined ? { PORT: parsePort(options.port) } : {}), ...(options.host !== undefined ? { HOST: options.host } : {}) };
      // The demo is for development: it brings its own keys and a loopback operator simulator.
      await serve(cliConfig(developmentRequested || Boolean(options.demo), overrides), { demo: options.demo ?? false, workers: parseWorkers(options.workers) });
    });

  program
    .command('migrate')
    .description('aplica as migrações pendentes do banco configurado')
    .action(async () => {
      const config = cliConfig();
      const { databaseFromConfig } = await import('../platform/infrastructure.ts');
      const { migrateToLatest } = await import('../platform/db/database.ts');
      const database = databaseFromConfig(config);
      try {
        const applied = await migrateToLatest(database.db);
        output.result(json(), { banco: database.kind, aplicadas: applied }, () =>
          applied.length > 0 ? `Migrações aplicadas (${database.kind}): ${applied.join(', ')}` : `Banco ${database.kind} já está na versão mais recente.`,
        );
      } finally {
        await database.close();
      }
    });

  const admin = program.command('admin').description('administradores da plataforma');
  admin
    .command('create')
    .description('cria um administrador da plataforma; sem --senha, gera uma e a mostra uma única vez')
    .requiredOption('--email <email>', 'e-mail de acesso ao painel')
    .option('--nome <nome>', 'nome exibido', 'Administrador')
    .option('--senha <senha>', 'senha (mínimo de 10 caracteres)')
    .action(async (options: { email: string; nome: string; senha?: string }) => {
      const email = await validEmail(options.email);
      const senha = options.senha ?? randomBytes(12).toString('base64url');
      if (senha.length < 10) throw new AppError('VALIDATION_FAILED', 'A senha deve ter ao menos 10 caracteres.');
      const user = await withServices((s) => s.users.create({ email, nome: options.nome, senha, isPlatformAdmin: true, actor: cliActor }));
      const generated = options.senha === undefined;
      output.result(json(), { id: user.id, email: user.email, ...(generated ? { senha } : {}) }, () =>
        [`Administrador criado: ${user.email} (${user.id})`, ...(generated ? [`Senha (exibida só agora): ${senha}`] : [])].join('\n'),
      );
    });

  admin
    .command('senha')
    .description('define uma nova senha para uma conta do painel (senha esquecida, sem e-mail configurado); encerra as sessões abertas dela. Sem --senha, gera uma e a mostra uma única vez')
    .requiredOption('--email <email>', 'e-mail da conta')
    .option('--senha <senha>', 'nova senha (mínimo de 10 caracteres)')
    .action(async (options: { email: string; senha?: string }) => {
      const email = await validEmail(options.email);
      const senha = options.senha ?? randomBytes(12).toString('base64url');
      if (senha.length < 10) throw new AppError('VALIDATION_FAILED', 'A senha deve ter ao menos 10 caracteres.');
      const user = await withServices((s) => s.users.senhas.definirPeloTerminal({ email, senhaNova: senha, actor: cliActor }));
      const generated = options.senha === undefined;
      output.result(json(), { id: user.id, email: user.email, ativo: user.ativo, ...(generated ? { senha } : {}) }, () =>
        [
          `Senha redefinida: ${user.email} (${user.id}); as sessões abertas dessa conta foram encerradas.`,
          ...(generated ? [`Nova senha (exibida só agora): ${senha}`] : []),
          ...(user.ativo ? [] : ['Atenção: esta conta está desativada; reative-a no painel (Usuários) para que ela possa entrar.']),
        ].join('\n'),
      );
    });

  const cliente = program.command('cliente').description('clientes (operadoras)');
  cliente
    .command('create')
    .description('cria um cliente com as instâncias 1 (Sandbox) e 2 (Produção)')
    .requiredOption('--nome <nome>', 'nome da operadora')
    .action(async (options: { nome: string }) => {
      const nome = options.nome.trim();
      if (nome.length === 0 || nome.length > 120) throw new AppError('VALIDATION_FAILED', 'O nome do cliente deve ter entre 1 e 120 caracteres.');
      const created = await withServices((s) => s.clientes.create({ nome }));
      const { toClienteDto } = await import('../modules/clientes/clientes.schemas.ts');
      output.result(json(), toClienteDto(created), () => `Cliente criado: ${created.nome} (${created.id}, código ${created.codigo})`);
    });
  cliente
    .command('list')
    .description('lista os clientes')
    .action(async () => {
      const clientes = await withServices((s) => s.clientes.list());
      const { toClienteDto } = await import('../modules/clientes/clientes.schemas.ts');
      output.result(json(), { clientes: clientes.map(toClienteDto) }, () =>
        clientes.length === 0 ? 'Nenhum cliente cadastrado.' : formatTable(['ID', 'CÓDIGO', 'NOME'], clientes.map((c) => [c.id, String(c.codigo), c.nome])),
      );
    });

  const token = program.command('token').description('tokens do cliente (seção APIs do painel)');
  token
    .command('create')
    .description('cria um token do cliente; o token completo é exibido uma única vez')
    .requiredOption('--cliente <id>', 'id do cliente (cli_…)')
    .requiredOption('--apis <lista>', `APIs do token, separadas por vírgula: ${clientApis.join(', ')}`)
    .option('--descricao <texto>', 'para que serve o token', '')
    .action(async (options: { cliente: string; apis: string; descricao: string }) => {
      const apis = parseApis(options.apis);
      const created = await withServices(async (s) => {
        if (!(await s.clientes.get(options.cliente))) throw new AppError('NOT_FOUND', `Cliente "${options.cliente}" não encontrado.`);
        return s.tokens.create({ clienteId: options.cliente, apis, descricao: options.descricao, actor: cliActor });
      });
      const { toTokenDto } = await import('../modules/client-tokens/client-tokens.schemas.ts');
      output.result(json(), { ...toTokenDto(created.token), token: created.plaintext }, () =>
        `Token criado: ${created.token.id} (APIs: ${apis.join(', ')})\nToken (exibido só agora): ${created.plaintext}`,
      );
    });
  token
    .command('list')
    .description('lista os tokens de um cliente (sem o segredo)')
    .requiredOption('--cliente <id>', 'id do cliente (cli_…)')
    .action(async (options: { cliente: string }) => {
      const { toTokenDto } = await import('../modules/client-tokens/client-tokens.schemas.ts');
      const tokens = (await withServices((s) => s.tokens.list(options.cliente))).map(toTokenDto);
      output.result(json(), { tokens }, () =>
        tokens.length === 0
          ? 'Nenhum token.'
          : formatTable(
              ['ID', 'INÍCIO', 'APIS', 'SITUAÇÃO', 'CRIADO EM', 'ÚLTIMO USO', 'DESCRIÇÃO'],
              tokens.map((t) => [t.id, `${t.prefixo}…`, t.apis.join(','), t.revogadoEm ? 'revogado' : 'ativo', dateTime(t.criadoEm), dateTime(t.ultimoUsoEm), t.descricao]),
            ),
      );
    });
  token
    .command('revoke')
    .description('revoga um token do cliente (e os tokens temporários gerados com ele)')
    .argument('<tokenId>', 'id do token (tok_…)')
    .action(async (tokenId: string) => {
      const revoked = await withServices((s) => s.tokens.revoke({ tokenId, actor: cliActor }));
      const { toTokenDto } = await import('../modules/client-tokens/client-tokens.schemas.ts');
      output.result(json(), toTokenDto(revoked), () => `Token revogado: ${revoked.id}`);
    });

  program
    .command('operator-sim')
    .description('simulador de API de operadora (testes, benchmarks e demonstrações); nunca carregado pelo servidor')
    .option('--port <n>', 'porta (0 escolhe uma livre)', '4010')
    .option('--host <host>', 'endereço de escuta', '127.0.0.1')
    .option('--usuario <usuario>', 'usuário do grupo de autorização', 'demo')
    .option('--senha <senha>', 'senha do grupo de autorização', 'demo')
    .option('--fault <modo>', 'falha em todas as chamadas (modos abaixo)')
    .option('--fault-methods <lista>', 'limita --fault a estes métodos, separados por vírgula (ex.: login,trocarSenha)')
    .option('--grupo-ttl <segundos>', 'validade do token do grupo de autorização (exp do JWT)', '3600')
    .option('--list-users', 'imprime os usuários de teste (CPF, senha, nascimento, contatos) em JSON e sai')
    .option('--ponte-url <url>', 'Ponte que a página de exemplo /webview/boas-vindas consulta (com o token do cliente em PONTE_TOKEN)')
    // A secret: the variable keeps it out of the process list; commander reads it (shown in --help).
    .addOption(new Option('--ponte-token <token>', 'token do cliente (API chavePasse) da página de exemplo; prefira a variável').env('PONTE_TOKEN'))
    .addHelpText('after', `\n${operatorSimHelp()}`)
    .action(async (options: OperatorSimCliOptions) => {
      // Imported on use, so `serve` never loads the simulator.
      const { runOperatorSim } = await import('../simulator/cli.ts');
      await runOperatorSim(options, { json: json(), output });
    });

  program
    .command('validate')
    .description('valida o endpoint de uma operadora contra o contrato do método; sai com código 1 se houver violação ou falha')
    .requiredOption('--url <url>', 'URL completa do endpoint (deve terminar com o sufixo do método)')
    .requiredOption('--method <metodo>', `método, pelo sufixo: ${operatorMethods.join(', ')}`)
    .option('--input <json>', 'corpo JSON enviado', '{}')
    .option('--header <header>', 'header "Nome: valor" (repita para vários)', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--timeout <ms>', 'tempo limite em milissegundos', '10000')
    .option('--grupo-url <url>', 'endpoint /autorizacao de um grupo de autorização: chamado antes, e os pares que ele devolve vão como headers (como na integração)')
    .option('--grupo-usuario <usuario>', 'usuário do grupo de autorização')
    // A secret: the variable keeps it out of the process list; commander reads it (shown in --help).
    .addOption(new Option('--grupo-senha <senha>', 'senha do grupo de autorização; prefira a variável').env('PONTE_GRUPO_SENHA'))
    .action(async (options: { url: string; method: string; input: string; header: string[]; timeout: string; grupoUrl?: string; grupoUsuario?: string; grupoSenha?: string }) => {
      const timeoutMs = Number(options.timeout);
      if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 60_000) {
        throw new AppError('VALIDATION_FAILED', `--timeout deve ser um inteiro entre 100 e 60000 (recebido: "${options.timeout}").`);
      }
      const { formatReport, runValidateCommand } = await import('../modules/validador/validate-command.ts');
      const grupo = { url: options.grupoUrl, usuario: options.grupoUsuario, senha: options.grupoSenha };
      const report = await runValidateCommand({ url: options.url, method: options.method, input: options.input, headers: options.header, timeoutMs, grupo });
      output.result(json(), report, () => formatReport(report));
      if (!report.aprovado) throw new ValidationFailed();
    });

  registerKeysCommands(program, { output, json, config: cliConfig });

  return program;
}

/** The e-mail the painel would accept (trimmed, lowercase), or a Portuguese refusal quoting what was given. */
async function validEmail(raw: string): Promise<string> {
  const { emailSchema } = await import('../modules/painel-users/painel-users.schemas.ts');
  const parsed = emailSchema.safeParse(raw);
  if (!parsed.success) throw new AppError('VALIDATION_FAILED', `--email deve ser um e-mail válido, como pessoa@operadora.com.br (recebido: "${raw}").`);
  return parsed.data;
}

/** `ponte validate` found violations or could not complete the call: already reported, exit 1. */
class ValidationFailed extends Error {}

export async function runCli(argv: string[], output: Output = createOutput()): Promise<number> {
  const program = buildCli(output).exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (configModule && error instanceof configModule.ConfigError) {
      output.error(error.message);
      return 2;
    }
    if (error instanceof AppError) {
      output.error(error.message);
      return 1;
    }
    if (error instanceof ValidationFailed) return 1;
    const commanderError = error as { code?: string; exitCode?: number };
    if (commanderError.code?.startsWith('commander.')) return commanderError.exitCode ?? 1;
    output.error(`Erro inesperado: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
