import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/infrastructure.ts';
import { systemClock } from '../../platform/clock.ts';
import { registerErrorHandling } from '../../platform/http/error-handler.ts';
import { createLogger } from '../../platform/logger.ts';
import { createAuditService } from '../audit/audit.service.ts';
import { createClientesService } from '../clientes/clientes.service.ts';
import type { Violation } from '../contracts/validator.ts';
import { createPainelGuard } from '../../platform/http/painel-guard.ts';
import type { Role } from '../../platform/http/painel-authz.ts';
import { createPainelUsersService } from '../painel-users/painel-users.service.ts';
import { logCenterRoutes } from './log-center.routes.ts';
import { createLogCenterService } from './log-center.service.ts';
import type { OutboundCallRecord } from './log-center.types.ts';
import { createLogCenterWriter } from './log-center.writer.ts';
import { createRepositories } from '../../repositories.ts';

/**
 * The painel routes of the central de logs, composed the way `src/app.ts` composes the painel
 * (zod compilers, error handling, cookies, the session guard) until the lead wires them there.
 */

const silent = createLogger({ logLevel: 'silent', nodeEnv: 'test' });
const hashKey = randomBytes(32);
const SENHA = 'senha-super-secreta-1';
const CPF = '52998224725';
const CPF_FORMATADO = '529.982.247-25';
const GRUPO_TOKEN = 'token-do-grupo-9f8e7d6c';
const T0 = Date.UTC(2026, 2, 1);

const violation: Violation = { caminho: 'usuarioLogado.login', tipo: 'ausente', criterio: 'M', esperado: 'String', recebido: 'atributo ausente', mensagem: 'Envie usuarioLogado.login.' };

function call(clienteId: string, tag: string, at: number, overrides: Partial<OutboundCallRecord> = {}): OutboundCallRecord {
  return {
    clienteId,
    instancia: 1,
    operacao: 'login',
    url: `https://operadora.example/api/login?token=${GRUPO_TOKEN}`,
    requestHeaders: { 'content-type': 'application/json', meutoken: GRUPO_TOKEN },
    requestBody: { login: CPF_FORMATADO, senha: SENHA },
    result: { kind: 'response', status: 200, statusText: 'OK', headers: {}, bodyText: JSON.stringify({ usuarioLogado: { chaveUnica: CPF, nome: 'Maria' } }), latencyMs: 41 },
    violations: [],
    outcome: 'sucesso',
    chaveUsuario: CPF,
    correlationId: tag,
    at,
    ...overrides,
  };
}

describe('central de logs painel API', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let users: ReturnType<typeof createPainelUsersService>;
  let clienteA: string;
  let clienteB: string;
  const ids: Record<string, string> = {};

  async function sessionCookie(access: { clienteId: string; role: Role } | { platformAdmin: true } | { none: true }) {
    const email = `pessoa-${randomBytes(4).toString('hex')}@exemplo.com.br`;
    await users.create({
      email,
      nome: 'Pessoa',
      senha: SENHA,
      isPlatformAdmin: 'platformAdmin' in access,
      memberships: 'role' in access ? [{ clienteId: access.clienteId, role: access.role }] : [],
    });
    const { sessionToken } = await users.login(email, SENHA);
    return `ponte_sessao=${sessionToken}`;
  }

  let leitorA: string;
  let semAcesso: string;
  let admin: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    const { db } = database;
    const clock = systemClock;
    users = createPainelUsersService({ db, repos: createRepositories(db), clock, audit: createAuditService({ repos: createRepositories(db), clock }) });
    const clientes = createClientesService({ db, repos: createRepositories(db), clock, audit: createAuditService({ repos: createRepositories(db), clock }) });
    clienteA = (await clientes.create({ nome: 'Operadora A' })).id;
    clienteB = (await clientes.create({ nome: 'Operadora B' })).id;

    const writer = createLogCenterWriter({ db, clock, logger: silent, hashKey });
    writer.record(call(clienteA, 'a1', T0));
    writer.record(call(clienteA, 'a2', T0 + 1000, { operacao: 'recuperarSenhaIdentificacao', violations: [violation], outcome: 'violacao_contrato', chaveUsuario: '11144477735' }));
    writer.record(call(clienteA, 'a3', T0 + 2000, { result: { kind: 'response', status: 401, statusText: 'Unauthorized', headers: {}, bodyText: '{"mensagem":"Senha inválida"}', latencyMs: 9 }, outcome: 'recusado_pela_operadora' }));
    writer.record(call(clienteA, 'a4', T0 + 3000, { instancia: 2 }));
    writer.record(call(clienteB, 'b1', T0 + 500));
    await writer.close();
    for (const row of await db.selectFrom('outbound_logs').select(['id', 'correlation_id']).execute()) ids[row.correlation_id!] = row.id;

    const logCenter = createLogCenterService({ repos: createRepositories(db), hashKey });
    const fastify = Fastify().withTypeProvider<ZodTypeProvider>();
    fastify.setValidatorCompiler(validatorCompiler);
    fastify.setSerializerCompiler(serializerCompiler);
    fastify.decorateRequest('painelActor', null);
    registerErrorHandling(fastify);
    await fastify.register(fastifyCookie);
    await fastify.register(async (painel) => {
      painel.addHook('onRequest', createPainelGuard(users));
      await painel.register(logCenterRoutes({ logCenter }));
    });
    await fastify.ready();
    app = fastify;

    leitorA = await sessionCookie({ clienteId: clienteA, role: 'leitor' });
    semAcesso = await sessionCookie({ none: true });
    admin = await sessionCookie({ platformAdmin: true });
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  const get = (url: string, cookie?: string) => app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
  const logsOf = (clienteId: string, query = 'instancia=1') => `/painel/api/clientes/${clienteId}/logs?${query}`;
  const expectError = (response: LightMyRequestResponse, status: number, code: string) =>
    expect({ status: response.statusCode, code: response.json().error?.code }).toEqual({ status, code });

  it('lists a cliente’s calls, newest first, as masked summaries', async () => {
    const response = await get(logsOf(clienteA), leitorA);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect({ pagina: body.pagina, porPagina: body.porPagina, total: body.total }).toEqual({ pagina: 1, porPagina: 20, total: 3 });
    expect(body.itens.map((i: { correlationId: string }) => i.correlationId)).toEqual(['a3', 'a2', 'a1']);
    expect(body.itens[1]).toEqual({
      id: ids.a2,
      criadoEm: T0 + 1000,
      operacao: 'recuperarSenhaIdentificacao',
      url: 'https://operadora.example/api/login',
      status: 200,
      statusText: 'OK',
      resultado: 'violacao_contrato',
      latenciaMs: 41,
      chaveUsuario: '111***',
      correlationId: 'a2',
      quantidadeViolacoes: 1,
      direcao: 'saida',
      motivo: null,
      motivoTexto: null,
      tokenId: null,
    });
    for (const secret of [CPF, CPF_FORMATADO, SENHA, GRUPO_TOKEN]) expect(response.body).not.toContain(secret);
  });

  it('applies every filter from the query string', async () => {
    const tags = async (query: string) => {
      const response = await get(logsOf(clienteA, query), leitorA);
      expect(response.statusCode).toBe(200);
      return response.json().itens.map((i: { correlationId: string }) => i.correlationId);
    };
    expect(await tags(`instancia=1&chaveUsuario=${encodeURIComponent(CPF_FORMATADO)}`)).toEqual(['a3', 'a1']);
    expect(await tags('instancia=1&operacao=login&status=401')).toEqual(['a3']);
    expect(await tags('instancia=1&resultado=violacao_contrato')).toEqual(['a2']);
    expect(await tags(`instancia=1&de=${T0}&ate=${T0 + 1000}`)).toEqual(['a2', 'a1']);
    expect(await tags('instancia=2')).toEqual(['a4']);
    const page = (await get(logsOf(clienteA, 'instancia=1&pagina=2&porPagina=2'), leitorA)).json();
    expect({ tags: page.itens.map((i: { correlationId: string }) => i.correlationId), total: page.total, pagina: page.pagina }).toEqual({ tags: ['a1'], total: 3, pagina: 2 });
  });

  it('shows one call in full: header names with masked values, masked bodies, status, violations', async () => {
    const response = await get(`/painel/api/clientes/${clienteA}/logs/${ids.a2}`, leitorA);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      id: ids.a2,
      criadoEm: T0 + 1000,
      instancia: 1,
      operacao: 'recuperarSenhaIdentificacao',
      url: 'https://operadora.example/api/login',
      resultado: 'violacao_contrato',
      latenciaMs: 41,
      chaveUsuario: '111***',
      correlationId: 'a2',
      requisicao: { headers: { 'content-type': 'application/json', meutoken: '***' }, corpo: JSON.stringify({ login: '***.***.***-**', senha: '***' }) },
      resposta: { status: 200, statusText: 'OK', corpo: JSON.stringify({ usuarioLogado: { chaveUnica: '***********', nome: '*** (5)' } }) },
      violacoes: [violation],
      direcao: 'saida',
      motivo: null,
      motivoTexto: null,
      tokenId: null,
    });
    for (const secret of [CPF, CPF_FORMATADO, SENHA, GRUPO_TOKEN]) expect(response.body).not.toContain(secret);
  });

  it('a platform admin reads any cliente', async () => {
    const response = await get(logsOf(clienteB), admin);
    expect(response.statusCode).toBe(200);
    expect(response.json().itens.map((i: { id: string }) => i.id)).toEqual([ids.b1]);
  });

  describe('security', () => {
    it('without a session: 401', async () => {
      expectError(await get(logsOf(clienteA)), 401, 'UNAUTHENTICATED');
      expectError(await get(`/painel/api/clientes/${clienteA}/logs/${ids.a1}`), 401, 'UNAUTHENTICATED');
      expectError(await get(logsOf(clienteA), 'ponte_sessao=psess_invalida'), 401, 'UNAUTHENTICATED');
    });

    it('another cliente’s logs are not found, by list or by id', async () => {
      expectError(await get(logsOf(clienteB), leitorA), 404, 'NOT_FOUND');
      expectError(await get(`/painel/api/clientes/${clienteB}/logs/${ids.b1}`, leitorA), 404, 'NOT_FOUND');
      // Its own cliente's path with another cliente's entry id: still nothing.
      expectError(await get(`/painel/api/clientes/${clienteA}/logs/${ids.b1}`, leitorA), 404, 'NOT_FOUND');
      expectError(await get(logsOf(clienteA), semAcesso), 404, 'NOT_FOUND');
      expectError(await get(`/painel/api/clientes/${clienteA}/logs/log_inexistente`, leitorA), 404, 'NOT_FOUND');
    });
  });

  describe('validation', () => {
    it.each([
      ['porPagina above 100', 'instancia=1&porPagina=101'],
      ['pagina 0', 'instancia=1&pagina=0'],
      ['an instância other than 1 or 2', 'instancia=3'],
      ['an unknown resultado', 'instancia=1&resultado=talvez'],
      ['an unknown operação', 'instancia=1&operacao=deletarTudo'],
      ['a status that is not a number', 'instancia=1&status=abc'],
      ['a period that ends before it starts', `instancia=1&de=${T0 + 1}&ate=${T0}`],
      ['a user key longer than 200 characters', `instancia=1&chaveUsuario=${'x'.repeat(201)}`],
    ])('rejects %s with 400 VALIDATION_FAILED', async (_label, query) => {
      expectError(await get(logsOf(clienteA, query), leitorA), 400, 'VALIDATION_FAILED');
    });

    it('requires the instância', async () => {
      const response = await get(logsOf(clienteA, ''), leitorA);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.details.map((d: { field?: string }) => d.field)).toEqual(['instancia']);
    });
  });
});
