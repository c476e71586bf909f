import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { SignJWT } from 'jose';
import { operatorMethods, type OperatorMethod } from '../modules/contracts/contract-spec.ts';
import { contracts } from '../modules/contracts/contracts.ts';
import { systemClock, type Clock } from '../platform/clock.ts';
import { safeEqual } from '../platform/crypto.ts';
import { breakContract, contractBreaks, paddedBody, parseFault, withAuthorizationChave, type ContractBreak, type Fault, type ScopedFault } from './faults.ts';
import { identificationBody, loginBody, type SecurityPair } from './responses.ts';
import { seedPeople, type SeedPerson } from './seed-data.ts';
import { serveWebview, type PonteLink } from './webview.ts';
import { listen } from './listen.ts';

/**
 * The operator simulator: an operadora's REST API (docs/ESPECIFICACAO.md §3) for tests, benchmarks and demos. A
 * plain `node:http` server, because misbehaving on purpose (resets, truncated JSON, hangs) needs
 * raw control of the socket. Never imported by Ponte's server.
 *
 * Methods are routed by path suffix, so any prefix works (`/mobilesaude/login`, `/api/v1/login`).
 * Simulator-only control routes, which a real operator would not have:
 * - `GET  /__simulador/chamadas`     — per-method call counts, last headers and body
 * - `POST /__simulador/reset`        — counters to zero, seed passwords and the start fault back
 * - `POST /__simulador/falha`        — `{"modo": "<modo>" | null, "metodos"?: [...]}` changes the run-wide fault
 * - `POST /__simulador/expirar-grupo` — invalidates every grupo token issued so far
 * - `POST /__simulador/permissoes`   — `{"cpf", "permissoes": [...] | null}` changes what login and elegibilidade answer
 * - `POST /__simulador/elegibilidade` — `{"cpf", "elegivel": false}` makes elegibilidade refuse the person (403)
 *
 * And, as an operator's web backend: `GET /webview/boas-vindas`, the sample WebView page that
 * exchanges a chave passe at Ponte (`webview.ts`; needs `ponte`). The operator's portal do
 * beneficiário, which embeds that page through Ponte's SDK, is a server of its own (`portal.ts`):
 * embedding is allowed per origin, so it must not share this one.
 */

/** Request header that makes one request misbehave; Ponte can send it as a configured static header. */
export const FAULT_HEADER = 'x-sim-fault';
export const GRUPO_TOKEN_HEADER = 'x-operadora-token';
export const GRUPO_CLIENTE_HEADER = 'x-operadora-cliente';
export const GRUPO_CLIENTE = 'ponte-demo';
export const SESSAO_HEADER = 'x-sessao-operadora';
export const RECUPERACAO_HEADER = 'x-recuperacao-token';

const MAX_REQUEST_BYTES = 1024 * 1024;
/** Bounds the per-user token stores, so a long benchmark of logins cannot grow memory without end. */
const MAX_STORED_TOKENS = 100_000;

export type OperatorSimulatorOptions = {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Grupo de autorização credentials (`demo`/`demo` by default). */
  usuario?: string;
  senha?: string;
  /** Lifetime of the grupo JWT (its `exp`), default 3600. */
  grupoTtlSeconds?: number;
  /** Lifetime of the `x-sessao-operadora` token returned at login, default 3600. */
  sessaoTtlSeconds?: number;
  /** Lifetime of the `x-recuperacao-token` returned at identification, default 900. */
  recuperacaoTtlSeconds?: number;
  /** When false, methods other than /autorizacao answer without the grupo headers. */
  requireGrupo?: boolean;
  /** Run-wide fault (`status-500`, `latency:200`…), see faults.ts. */
  fault?: string;
  /** Limits the run-wide fault to these methods (all when absent). */
  faultMethods?: readonly OperatorMethod[];
  clock?: Clock;
  people?: readonly SeedPerson[];
  /** Where Ponte is and the token do cliente the WebView page calls it with; `setPonte` changes it later. */
  ponte?: PonteLink;
};

export type MethodCalls = { count: number; lastHeaders: IncomingHttpHeaders | null; lastBody: unknown };
export type SimulatorCalls = Record<OperatorMethod, MethodCalls>;

export type OperatorSimulator = Awaited<ReturnType<typeof createOperatorSimulator>>;

type Answer = { status: number; body: unknown; headers?: Record<string, string> };
type Json = Record<string, unknown>;

const json = (status: number, body: unknown, headers?: Record<string, string>): Answer => ({ status, body, ...(headers ? { headers } : {}) });
const message = (status: number, mensagem: string): Answer => json(status, { mensagem });
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const headerOf = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** A token → owner map with expiry, bounded by dropping the oldest entries. */
function tokenStore<T>(clock: Clock) {
  const entries = new Map<string, { owner: T; expiresAtMs: number }>();
  return {
    issue(token: string, owner: T, expiresAtMs: number) {
      if (entries.size >= MAX_STORED_TOKENS) entries.delete(entries.keys().next().value!);
      entries.set(token, { owner, expiresAtMs });
    },
    /** The owner while the token is known and unexpired. */
    ownerOf(token: string | undefined): T | undefined {
      const entry = token === undefined ? undefined : entries.get(token);
      if (!entry) return undefined;
      if (clock.now() >= entry.expiresAtMs) {
        entries.delete(token!);
        return undefined;
      }
      return entry.owner;
    },
    revoke(token: string) {
      entries.delete(token);
    },
    clear() {
      entries.clear();
    },
  };
}

export async function createOperatorSimulator(options: OperatorSimulatorOptions = {}) {
  const clock = options.clock ?? systemClock;
  const people = options.people ?? seedPeople;
  const grupoUsuario = options.usuario ?? 'demo';
  const grupoSenha = options.senha ?? 'demo';
  const grupoTtlSeconds = options.grupoTtlSeconds ?? 3600;
  const sessaoTtlMs = (options.sessaoTtlSeconds ?? 3600) * 1000;
  const recuperacaoTtlMs = (options.recuperacaoTtlSeconds ?? 900) * 1000;
  const requireGrupo = options.requireGrupo ?? true;
  const jwtSecret = randomBytes(32);
  // Ponte usually starts after the simulator (it is seeded with the simulator's URL): settable later.
  let ponte = options.ponte;

  const scoped = (mode: string | null | undefined, methods?: readonly OperatorMethod[]): ScopedFault | undefined =>
    mode ? { fault: parseFault(mode), ...(methods && methods.length > 0 ? { methods: new Set(methods) } : {}) } : undefined;
  const initialFault = scoped(options.fault, options.faultMethods);
  let runFault = initialFault;

  const passwords = new Map<string, string>();
  const restorePasswords = () => {
    passwords.clear();
    for (const person of people) passwords.set(person.cpf, person.senha);
  };
  restorePasswords();

  // Simulator-only switches for known-beneficiary flows: permissões changed since the login, and
  // people the operator no longer recognises as eligible (elegibilidade answers 403).
  const permissoesOverride = new Map<string, unknown[]>();
  const inelegiveis = new Set<string>();
  const withOverrides = (body: ReturnType<typeof loginBody>, person: SeedPerson) => {
    const override = permissoesOverride.get(person.cpf);
    if (!override) return body;
    return { ...body, contratos: body.contratos.map((c) => ((c as { tipo?: string }).tipo === 'beneficiario' ? { ...(c as Json), permissoes: override } : c)) };
  };

  const grupoTokens = tokenStore<true>(clock);
  const sessions = tokenStore<string>(clock);
  const recoveries = tokenStore<string>(clock);

  const emptyCalls = (): SimulatorCalls =>
    Object.fromEntries(operatorMethods.map((m) => [m, { count: 0, lastHeaders: null, lastBody: null }])) as SimulatorCalls;
  let counters = emptyCalls();

  const findPerson = (cpf: unknown) => {
    const digits = typeof cpf === 'string' ? cpf.replace(/[.\-\s]/g, '') : undefined;
    return digits ? people.find((p) => p.cpf === digits) : undefined;
  };

  async function issueGrupoToken(): Promise<string> {
    const nowSeconds = Math.floor(clock.now() / 1000);
    const expSeconds = Math.ceil((clock.now() + grupoTtlSeconds * 1000) / 1000);
    const token = await new SignJWT({ cliente: GRUPO_CLIENTE })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(grupoUsuario)
      .setJti(randomUUID())
      .setIssuedAt(nowSeconds)
      .setExpirationTime(expSeconds)
      .sign(jwtSecret);
    // The simulator checks what it issued (and when it said it expires), not a signature.
    grupoTokens.issue(token, true, expSeconds * 1000);
    return token;
  }

  const securityPair = (chave: string, ttlMs: number): SecurityPair => ({
    chave,
    token: randomBytes(24).toString('base64url'),
    expiracao: clock.now() + ttlMs,
  });

  const methods: Record<OperatorMethod, (body: Json, headers: IncomingHttpHeaders) => Promise<Answer> | Answer> = {
    async autorizacao(body) {
      const usuario = text(body.usuario);
      const senha = text(body.senha);
      if (usuario === undefined || senha === undefined || !safeEqual(usuario, grupoUsuario) || !safeEqual(senha, grupoSenha)) {
        return json(401, { status: 401, mensagem: 'Usuário/senha não encontrados' });
      }
      return json(200, { auth: [{ chave: GRUPO_TOKEN_HEADER, token: await issueGrupoToken() }, { chave: GRUPO_CLIENTE_HEADER, token: GRUPO_CLIENTE }] });
    },
    login(body) {
      const person = findPerson(body.login);
      const senha = text(body.senha);
      if (!person || senha === undefined || !safeEqual(senha, passwords.get(person.cpf) ?? '')) return message(401, 'Login ou senha inválidos');
      const sessao = securityPair(SESSAO_HEADER, sessaoTtlMs);
      sessions.issue(sessao.token, person.cpf, sessao.expiracao);
      return json(200, withOverrides(loginBody(person, people, sessao), person));
    },
    elegibilidade(body) {
      // No password: the operator answers for a person it knows by chave única (relogin, chaveAuth).
      const person = findPerson(body.chaveUnica);
      if (!person) return message(404, 'Beneficiário não encontrado');
      if (inelegiveis.has(person.cpf)) return message(403, 'Beneficiário sem elegibilidade ativa. Procure a operadora.');
      const sessao = securityPair(SESSAO_HEADER, sessaoTtlMs);
      sessions.issue(sessao.token, person.cpf, sessao.expiracao);
      return json(200, withOverrides(loginBody(person, people, sessao), person));
    },
    recuperarSenhaIdentificacao(body) {
      const person = findPerson(body.cpf);
      if (!person || text(body.dataNascimento) !== person.dataNascimento) return message(404, 'Beneficiário não encontrado');
      const recuperacao = securityPair(RECUPERACAO_HEADER, recuperacaoTtlMs);
      recoveries.issue(recuperacao.token, person.cpf, recuperacao.expiracao);
      return json(200, identificationBody(person, recuperacao));
    },
    recuperarSenhaNovaSenha(body, headers) {
      const token = headerOf(headers, RECUPERACAO_HEADER);
      const chaveUnica = text(body.chaveUnica);
      if (chaveUnica === undefined || recoveries.ownerOf(token) !== chaveUnica) return message(401, 'Token de recuperação inválido ou expirado');
      const novaSenha = text(body.novaSenha);
      if (novaSenha === undefined || novaSenha.trim() === '') return message(400, 'Informe a nova senha');
      passwords.set(chaveUnica, novaSenha);
      // Consumed: a recovery proves identity for one password change only.
      recoveries.revoke(token!);
      return message(200, 'Senha alterada com sucesso');
    },
    trocarSenha(body, headers) {
      const chaveUnica = text(body.chaveUnica);
      if (chaveUnica === undefined || sessions.ownerOf(headerOf(headers, SESSAO_HEADER)) !== chaveUnica) return message(401, 'Sessão inválida ou expirada');
      const senhaAtual = text(body.senhaAtual);
      if (senhaAtual === undefined || !safeEqual(senhaAtual, passwords.get(chaveUnica) ?? '')) return message(400, 'Senha atual incorreta');
      const novaSenha = text(body.novaSenha);
      if (novaSenha === undefined || novaSenha.trim() === '') return message(400, 'Informe a nova senha');
      passwords.set(chaveUnica, novaSenha);
      return message(200, 'Senha alterada com sucesso');
    },
  };

  const grupoAccepted = (headers: IncomingHttpHeaders) =>
    grupoTokens.ownerOf(headerOf(headers, GRUPO_TOKEN_HEADER)) === true && headerOf(headers, GRUPO_CLIENTE_HEADER) === GRUPO_CLIENTE;

  const timers = new Set<NodeJS.Timeout>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  function faultFor(method: OperatorMethod, headers: IncomingHttpHeaders): Fault | undefined {
    const requested = headerOf(headers, FAULT_HEADER);
    if (requested !== undefined && requested.trim() !== '') return parseFault(requested);
    if (runFault && (!runFault.methods || runFault.methods.has(method))) return runFault.fault;
    return undefined;
  }

  async function handleMethod(method: OperatorMethod, req: IncomingMessage, res: ServerResponse, body: Json | undefined): Promise<void> {
    let fault: Fault | undefined;
    try {
      fault = faultFor(method, req.headers);
    } catch (error) {
      return send(res, message(400, (error as Error).message));
    }
    const faultHeaders: Record<string, string> = fault ? { 'x-sim-fault-applied': fault.kind } : {};
    switch (fault?.kind) {
      case 'latency':
        await sleep(fault.ms);
        break;
      case 'status-500':
        return send(res, json(500, { mensagem: 'Erro interno simulado' }, faultHeaders));
      case 'status-503':
        return send(res, json(503, { mensagem: 'Serviço indisponível (simulado)' }, { ...faultHeaders, 'retry-after': '1' }));
      case 'redirect':
        return send(res, json(302, { mensagem: 'Redirecionado (simulado)' }, { ...faultHeaders, location: fault.url }));
      case 'connection-reset':
        req.socket.resetAndDestroy();
        return;
      case 'hang':
        return; // closed by close(), or by the caller's timeout
    }

    let answer: Answer;
    if (body === undefined) answer = message(400, 'O corpo da requisição deve ser um objeto JSON');
    else if (method !== 'autorizacao' && requireGrupo && !grupoAccepted(req.headers)) answer = message(401, 'Token de autorização inválido ou expirado');
    else answer = await methods[method](body, req.headers);

    if (!fault) return send(res, answer);
    const headers = { ...answer.headers, ...faultHeaders };
    if (fault.kind === 'latency') return send(res, { ...answer, headers });
    const spec = answer.status >= 200 && answer.status < 300 ? contracts[method].response : contracts[method].failure;
    if (contractBreaks.has(fault.kind)) {
      const broken = breakContract(fault.kind as ContractBreak, spec, answer.body);
      return sendText(res, answer.status, broken.text, { ...headers, 'x-sim-fault-path': broken.caminho });
    }
    if (fault.kind === 'invalid-json') return sendText(res, answer.status, JSON.stringify(answer.body).slice(0, -1), headers);
    if (fault.kind === 'huge-body') return sendText(res, answer.status, paddedBody(answer.body, fault.bytes), headers);
    if (fault.kind === 'authorization-chave' && method === 'autorizacao' && answer.status === 200) {
      return send(res, { ...answer, body: withAuthorizationChave(answer.body), headers });
    }
    return send(res, { ...answer, headers });
  }

  function control(req: IncomingMessage, res: ServerResponse, path: string, raw: string): void {
    const route = `${req.method} ${path}`;
    if (route === 'GET /__simulador/chamadas') return send(res, json(200, calls()));
    if (route === 'POST /__simulador/reset') {
      reset();
      return send(res, message(200, 'Simulador reiniciado'));
    }
    if (route === 'POST /__simulador/permissoes') {
      const body = parseBody(raw);
      const cpf = text(body?.cpf);
      if (!cpf || !(body?.permissoes === null || Array.isArray(body?.permissoes))) return send(res, message(400, 'Envie {"cpf": "...", "permissoes": [...] | null}'));
      setPermissoes(cpf, body.permissoes as unknown[] | null);
      return send(res, message(200, 'Permissões alteradas'));
    }
    if (route === 'POST /__simulador/elegibilidade') {
      const body = parseBody(raw);
      const cpf = text(body?.cpf);
      if (!cpf || typeof body?.elegivel !== 'boolean') return send(res, message(400, 'Envie {"cpf": "...", "elegivel": true | false}'));
      setElegivel(cpf, body.elegivel);
      return send(res, message(200, body.elegivel ? 'Beneficiário elegível' : 'Beneficiário inelegível'));
    }
    if (route === 'POST /__simulador/expirar-grupo') {
      expireGrupoTokens();
      return send(res, message(200, 'Tokens do grupo de autorização invalidados'));
    }
    if (route === 'POST /__simulador/falha') {
      const body = parseBody(raw);
      const metodos = Array.isArray(body?.metodos) ? body.metodos.filter((m): m is OperatorMethod => (operatorMethods as readonly unknown[]).includes(m)) : undefined;
      try {
        setFault(typeof body?.modo === 'string' ? body.modo : null, metodos ? { methods: metodos } : {});
      } catch (error) {
        return send(res, message(400, (error as Error).message));
      }
      return send(res, json(200, { modo: typeof body?.modo === 'string' ? body.modo : null }));
    }
    return send(res, message(404, `Rota de controle desconhecida: ${route}`));
  }

  const server = createServer((req, res) => {
    void route(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, message(500, `Falha inesperada no simulador: ${(error as Error).message}`));
      else res.destroy();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulador');
    const path = url.pathname;
    const raw = await readBody(req, res);
    if (raw === undefined) return;
    if (path.startsWith('/__simulador/')) return control(req, res, path, raw);
    if (path.startsWith('/webview/')) return serveWebview(req, res, url, ponte);
    const method = operatorMethods.find((m) => path.endsWith(`/${m}`));
    if (!method) return send(res, message(404, `Método desconhecido: ${path}. Use um caminho terminado em ${operatorMethods.map((m) => `/${m}`).join(', ')}.`));
    if (req.method !== 'POST') return send(res, json(405, { mensagem: `Use POST em ${path}.` }, { allow: 'POST' }));
    const calls = counters[method];
    calls.count += 1;
    calls.lastHeaders = { ...req.headers };
    const parsed = parseJson(raw);
    calls.lastBody = parsed ?? raw;
    return handleMethod(method, req, res, isRecord(parsed) ? parsed : undefined);
  }

  function calls(): SimulatorCalls {
    return structuredClone(counters);
  }

  function setFault(mode: string | null | undefined, scope: { methods?: readonly OperatorMethod[] } = {}): void {
    runFault = scoped(mode, scope.methods);
  }

  /** The permissões the operator answers for `cpf` from now on (login and elegibilidade); null: the seed's. */
  function setPermissoes(cpf: string, permissoes: unknown[] | null): void {
    if (permissoes === null) permissoesOverride.delete(cpf);
    else permissoesOverride.set(cpf, permissoes);
  }

  /** Whether elegibilidade recognises `cpf` (false: 403 with a mensagem, the operator's refusal). */
  function setElegivel(cpf: string, elegivel: boolean): void {
    if (elegivel) inelegiveis.delete(cpf);
    else inelegiveis.add(cpf);
  }

  /** Counters to zero, passwords back to the seed, the start fault back. Issued tokens stay valid. */
  function reset(): void {
    counters = emptyCalls();
    restorePasswords();
    permissoesOverride.clear();
    inelegiveis.clear();
    runFault = initialFault;
  }

  /** Every grupo token issued so far stops being accepted (forces Ponte's 401-refresh-retry path). */
  function expireGrupoTokens(): void {
    grupoTokens.clear();
  }

  const bound = await listen(server, options);

  return {
    url: bound.url,
    port: bound.port,
    host: bound.address,
    people,
    calls,
    setFault,
    setPermissoes,
    setElegivel,
    reset,
    expireGrupoTokens,
    /** Points the WebView page at Ponte (or, with undefined, makes it say it does not know where Ponte is). */
    setPonte(link: PonteLink | undefined): void {
      ponte = link;
    },
    /** Stops listening and drops every open connection, hung requests included. */
    async close(): Promise<void> {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

function parseBody(raw: string): Json | undefined {
  const value = parseJson(raw);
  return isRecord(value) ? value : undefined;
}

/** The whole request body as text, or undefined after answering 413 when it is too large. */
async function readBody(req: IncomingMessage, res: ServerResponse): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even when too large: answering mid-upload would reset the connection instead.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
  }
  if (size > MAX_REQUEST_BYTES) {
    send(res, message(413, `Corpo da requisição maior que ${MAX_REQUEST_BYTES} bytes`));
    return undefined;
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, answer: Answer): void {
  sendText(res, answer.status, JSON.stringify(answer.body), answer.headers);
}

function sendText(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}
