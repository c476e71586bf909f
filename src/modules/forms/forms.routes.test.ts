import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, openTestDatabase, openTestKv, type TestDatabase } from '../../../test/support/infrastructure.ts';
import { systemClock } from '../../platform/clock.ts';
import { createSecretBox } from '../../platform/crypto.ts';
import { createAttemptLimiter } from '../../platform/http/auth-failure-limiter.ts';
import { registerErrorHandling } from '../../platform/http/error-handler.ts';
import { parseCidrList } from '../../platform/http-client/ssrf-guard.ts';
import type { KeyValueStore } from '../../platform/kv/kv.ts';
import { createAuditService } from '../audit/audit.service.ts';
import { createClientesService } from '../clientes/clientes.service.ts';
import { createIntegracoesService } from '../integracoes/integracoes.service.ts';
import { createPainelGuard } from '../../platform/http/painel-guard.ts';
import type { Role } from '../../platform/http/painel-authz.ts';
import { createPainelUsersService, csrfTokenFor } from '../painel-users/painel-users.service.ts';
import { formsRoutes } from './forms.routes.ts';
import type { CampoInput, FormularioInput } from './forms.schemas.ts';
import { createFormsService } from './forms.service.ts';
import { createRepositories } from '../../repositories.ts';

/**
 * The painel API of the Formbuilder, composed the way `src/app.ts` composes the painel (zod
 * compilers, error handling, cookies, the session guard) until the lead wires it there.
 */

const SENHA_PAINEL = 'senha-do-painel-123';
const actor = { userId: null, label: 'teste' };

const campos: CampoInput[] = [
  { nome: 'matricula', rotulo: 'Matrícula', tipo: 'text', padrao: '\\d{6,8}', mascara: '99999999' },
  { nome: 'cpf', rotulo: 'CPF', tipo: 'cpf' },
  { nome: 'senha', rotulo: 'Senha', tipo: 'senha', min: 8 },
];
const loginForm: FormularioInput = { nome: 'Login por matrícula', finalidade: 'login', campos };

describe.each(databaseKinds())('formulários painel API (%s)', (kind) => {
  let database: TestDatabase;
  let kv: KeyValueStore;
  let app: FastifyInstance;
  let users: ReturnType<typeof createPainelUsersService>;
  let forms: ReturnType<typeof createFormsService>;
  let integracoes: ReturnType<typeof createIntegracoesService>;
  let clienteA: string;
  let clienteB: string;
  type Session = { cookie: string; csrf: string; email: string };
  let editorA: Session;
  let leitorA: Session;
  let editorB: Session;

  async function sessionFor(clienteId: string, role: Role): Promise<Session> {
    const email = `pessoa-${randomBytes(4).toString('hex')}@exemplo.com.br`;
    await users.create({ email, nome: 'Pessoa', senha: SENHA_PAINEL, isPlatformAdmin: false, memberships: [{ clienteId, role }] });
    const { sessionToken } = await users.login(email, SENHA_PAINEL);
    return { cookie: `ponte_sessao=${sessionToken}`, csrf: csrfTokenFor(sessionToken), email };
  }

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const { db } = database;
    const clock = systemClock;
    const audit = createAuditService({ repos: createRepositories(db), clock });
    users = createPainelUsersService({ db, repos: createRepositories(db), clock, audit });
    const clientes = createClientesService({ db, repos: createRepositories(db), clock, audit });
    clienteA = (await clientes.create({ nome: 'Operadora A' })).id;
    clienteB = (await clientes.create({ nome: 'Operadora B' })).id;
    const secretBox = createSecretBox([{ version: 'v1', key: randomBytes(32) }]);
    integracoes = createIntegracoesService({ db, repos: createRepositories(db), clock, secretBox, audit, allowlist: parseCidrList('') });
    kv = openTestKv();
    forms = createFormsService({ db, repos: createRepositories(db), clock, audit, integracoes, limiter: createAttemptLimiter(kv) });

    const fastify = Fastify().withTypeProvider<ZodTypeProvider>();
    fastify.setValidatorCompiler(validatorCompiler);
    fastify.setSerializerCompiler(serializerCompiler);
    fastify.decorateRequest('painelActor', null);
    registerErrorHandling(fastify);
    await fastify.register(fastifyCookie);
    await fastify.register(async (painel) => {
      painel.addHook('onRequest', createPainelGuard(users));
      await painel.register(formsRoutes({ forms }));
    });
    await fastify.ready();
    app = fastify;

    editorA = await sessionFor(clienteA, 'editor');
    leitorA = await sessionFor(clienteA, 'leitor');
    editorB = await sessionFor(clienteB, 'editor');
  });
  afterAll(async () => {
    await app?.close();
    await kv?.close();
    await database?.dispose();
  });

  const base = (clienteId: string, instancia = 1) => `/painel/api/clientes/${clienteId}/instancias/${instancia}/formularios`;
  function call(method: InjectOptions['method'], url: string, session?: Session, payload?: unknown, options: { csrf?: boolean } = {}) {
    const headers: Record<string, string> = {};
    if (session) headers.cookie = session.cookie;
    if (session && options.csrf !== false) headers['x-csrf-token'] = session.csrf;
    return app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  }
  const expectError = (response: LightMyRequestResponse, status: number, code: string) => {
    expect({ status: response.statusCode, code: response.json().error?.code }).toEqual({ status, code });
    return response.json().error as { message: string; details?: { field?: string; message: string }[] };
  };
  async function create(session: Session, clienteId: string, form: FormularioInput = loginForm, instancia = 1) {
    const response = await call('POST', base(clienteId, instancia), session, form);
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string; nome: string; emUso: boolean };
  }
  const linkLogin = (clienteId: string, formularioId: string | null) =>
    integracoes.save({ clienteId, instancia: 1, baseUrl: 'https://api.operadora.example/mobile', grupoId: null, metodos: { login: { formularioId } }, headers: [], actor });
  const auditOf = (targetId: string) =>
    database.db.selectFrom('audit_events').selectAll().where('target_id', '=', targetId).orderBy('created_at').orderBy('action').execute();

  it('creates, reads, lists, replaces and removes a form, auditing each change', async () => {
    const created = await call('POST', base(clienteA), editorA, loginForm);
    expect(created.statusCode).toBe(201);
    const form = created.json();
    expect(form).toEqual({
      id: expect.stringMatching(/^frm_[0-9a-f]{24}$/),
      instancia: 1,
      nome: 'Login por matrícula',
      finalidade: 'login',
      campos: [
        { nome: 'matricula', rotulo: 'Matrícula', tipo: 'text', obrigatorio: true, padrao: '\\d{6,8}', mascara: '99999999' },
        { nome: 'cpf', rotulo: 'CPF', tipo: 'cpf', obrigatorio: true },
        { nome: 'senha', rotulo: 'Senha', tipo: 'senha', obrigatorio: true, min: 8 },
      ],
      emUso: false,
      criadoEm: expect.any(Number),
      atualizadoEm: expect.any(Number),
    });

    const read = await call('GET', `${base(clienteA)}/${form.id}`, leitorA);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(form);

    const list = await call('GET', base(clienteA), leitorA);
    expect(list.statusCode).toBe(200);
    expect(list.json().formularios.map((f: { id: string }) => f.id)).toContain(form.id);
    const login = list.json().finalidades.find((f: { finalidade: string }) => f.finalidade === 'login');
    expect(login).toMatchObject({ metodo: 'Login', formularioId: null, usaPadrao: true });
    expect(login.padrao.campos.map((c: { nome: string }) => c.nome)).toEqual(['login', 'senha']);
    expect(list.json().finalidades.map((f: { finalidade: string }) => f.finalidade)).toEqual(['login', 'recuperarSenhaIdentificacao', 'recuperarSenhaNovaSenha', 'trocarSenha']);

    const replaced = await call('PUT', `${base(clienteA)}/${form.id}`, editorA, {
      nome: 'Login por CPF',
      finalidade: 'login',
      campos: [
        { nome: 'cpf', rotulo: 'Seu CPF', tipo: 'cpf' },
        { nome: 'senha', rotulo: 'Senha', tipo: 'senha' },
      ],
    });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ id: form.id, nome: 'Login por CPF', criadoEm: form.criadoEm });
    expect(replaced.json().campos.map((c: { nome: string }) => c.nome)).toEqual(['cpf', 'senha']);
    expect((await call('GET', `${base(clienteA)}/${form.id}`, leitorA)).json().nome).toBe('Login por CPF');

    const removed = await call('DELETE', `${base(clienteA)}/${form.id}`, editorA);
    expect(removed.statusCode).toBe(204);
    expectError(await call('GET', `${base(clienteA)}/${form.id}`, leitorA), 404, 'NOT_FOUND');

    const events = await auditOf(form.id);
    expect(events.map((e) => [e.action, e.cliente_id, e.actor_label])).toEqual([
      ['formulario.criado', clienteA, editorA.email],
      ['formulario.alterado', clienteA, editorA.email],
      ['formulario.removido', clienteA, editorA.email],
    ]);
    const alterado = events[1]!;
    expect(JSON.parse(alterado.before_json!)).toMatchObject({ nome: 'Login por matrícula' });
    expect(JSON.parse(alterado.after_json!)).toMatchObject({ nome: 'Login por CPF' });
  });

  it('is used by the app once the integração links it, and is then protected', async () => {
    const form = await create(editorA, clienteA);
    expect(await forms.formFor(clienteA, 1, 'login')).toMatchObject({ id: null, padrao: true });

    await linkLogin(clienteA, form.id);
    const list = (await call('GET', base(clienteA), leitorA)).json();
    expect(list.finalidades.find((f: { finalidade: string }) => f.finalidade === 'login')).toMatchObject({ formularioId: form.id, usaPadrao: false });
    expect(list.formularios.find((f: { id: string }) => f.id === form.id).emUso).toBe(true);
    expect((await call('GET', `${base(clienteA)}/${form.id}`, leitorA)).json().emUso).toBe(true);

    expect(await forms.formFor(clienteA, 1, 'login')).toMatchObject({ id: form.id, padrao: false, campos: [{ nome: 'matricula' }, { nome: 'cpf' }, { nome: 'senha' }] });
    expect(await forms.validatedSubmission(clienteA, 1, 'login', { matricula: '1234567', cpf: '529.982.247-25', senha: 'segredo-123', login: 'x' })).toEqual({
      matricula: '1234567',
      cpf: '52998224725',
      senha: 'segredo-123',
    });
    await expect(forms.validatedSubmission(clienteA, 1, 'login', { matricula: '12', cpf: '1', senha: 'curta' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      options: { details: [{ field: 'matricula' }, { field: 'cpf' }, { field: 'senha' }] },
    });
    // Other finalidades and the other instância keep their defaults.
    expect(await forms.formFor(clienteA, 1, 'trocarSenha')).toMatchObject({ id: null, padrao: true });
    expect(await forms.formFor(clienteA, 2, 'login')).toMatchObject({ id: null, padrao: true });

    // An edit is applied at once; moving it to another finalidade or removing it is refused.
    const edited = await call('PUT', `${base(clienteA)}/${form.id}`, editorA, { ...loginForm, campos: [{ nome: 'usuario', rotulo: 'Usuário', tipo: 'text' }] });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().emUso).toBe(true);
    expect((await forms.formFor(clienteA, 1, 'login')).campos.map((c) => c.nome)).toEqual(['usuario']);
    expectError(await call('PUT', `${base(clienteA)}/${form.id}`, editorA, { ...loginForm, finalidade: 'trocarSenha' }), 409, 'CONFLICT');
    expectError(await call('DELETE', `${base(clienteA)}/${form.id}`, editorA), 409, 'CONFLICT');
    expect((await call('GET', `${base(clienteA)}/${form.id}`, leitorA)).statusCode).toBe(200);

    // Unlinked, it can go; the app is back on the default.
    await linkLogin(clienteA, null);
    expect((await call('DELETE', `${base(clienteA)}/${form.id}`, editorA)).statusCode).toBe(204);
    expect(await forms.formFor(clienteA, 1, 'login')).toMatchObject({ id: null, padrao: true, campos: [{ nome: 'login' }, { nome: 'senha' }] });
  });

  it('ignores a link to a form of another cliente or of another finalidade', async () => {
    const formB = await create(editorB, clienteB);
    await linkLogin(clienteA, formB.id);
    expect(await forms.formFor(clienteA, 1, 'login')).toMatchObject({ id: null, padrao: true });

    const trocar = await create(editorA, clienteA, { nome: 'Trocar', finalidade: 'trocarSenha', campos: [{ nome: 'nova', rotulo: 'Nova senha', tipo: 'senha' }] });
    await linkLogin(clienteA, trocar.id);
    expect(await forms.formFor(clienteA, 1, 'login')).toMatchObject({ id: null, padrao: true });
    expect((await call('GET', base(clienteA), leitorA)).json().finalidades[0]).toMatchObject({ finalidade: 'login', formularioId: null, usaPadrao: true });
    await linkLogin(clienteA, null);
  });

  it('chooses the form the app uses for a method, keeping the rest of the integração, and goes back to the default', async () => {
    const secreto = 'valor-secreto-do-header';
    await integracoes.save({
      clienteId: clienteA,
      instancia: 1,
      baseUrl: 'https://api.operadora.example/mobile',
      grupoId: null,
      metodos: { trocarSenha: { url: 'https://api.operadora.example/outra/trocarSenha' } },
      headers: [
        { nome: 'X-Canal', valor: 'app', secreto: false },
        { nome: 'X-Api-Key', valor: secreto, secreto: true },
      ],
      actor,
    });
    const form = await create(editorA, clienteA);
    const url = `${base(clienteA)}/em-uso/login`;

    const chosen = await call('PUT', url, editorA, { formularioId: form.id });
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect(chosen.json().finalidades[0]).toMatchObject({ finalidade: 'login', metodo: 'Login', formularioId: form.id, usaPadrao: false });
    expect(chosen.json().formularios.find((f: { id: string }) => f.id === form.id).emUso).toBe(true);
    expect(await forms.formFor(clienteA, 1, 'login')).toMatchObject({ id: form.id, padrao: false });

    const stored = (await integracoes.get(clienteA, 1))!;
    expect(stored).toMatchObject({
      baseUrl: 'https://api.operadora.example/mobile',
      metodos: { login: { formularioId: form.id }, trocarSenha: { url: 'https://api.operadora.example/outra/trocarSenha' } },
    });
    expect(integracoes.openHeaders(stored)).toEqual({ 'X-Canal': 'app', 'X-Api-Key': secreto });
    const [evento] = await database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('target_id', '=', stored.id)
      .where('action', '=', 'integracao.alterada')
      .orderBy('created_at', 'desc')
      .limit(1)
      .execute();
    expect(evento).toMatchObject({ cliente_id: clienteA, actor_label: editorA.email });
    expect(JSON.parse(evento!.after_json!).metodos.login).toEqual({ formularioId: form.id });
    expect(evento!.after_json).not.toContain(secreto);

    // In use, it is protected like one chosen on the Integração screen.
    expectError(await call('DELETE', `${base(clienteA)}/${form.id}`, editorA), 409, 'CONFLICT');

    const padrao = await call('PUT', url, editorA, { formularioId: null });
    expect(padrao.statusCode).toBe(200);
    expect(padrao.json().finalidades[0]).toMatchObject({ formularioId: null, usaPadrao: true });
    expect(await forms.formFor(clienteA, 1, 'login')).toMatchObject({ id: null, padrao: true });
    expect((await integracoes.get(clienteA, 1))!.metodos).toEqual({ trocarSenha: { url: 'https://api.operadora.example/outra/trocarSenha' } });
    expect((await call('DELETE', `${base(clienteA)}/${form.id}`, editorA)).statusCode).toBe(204);
  });

  it('creates the integração when choosing a form in an instância without one', async () => {
    const form = await create(editorA, clienteA, { nome: 'Trocar', finalidade: 'trocarSenha', campos: [{ nome: 'novaSenha', rotulo: 'Nova senha', tipo: 'senha' }] }, 2);
    expect(await integracoes.get(clienteA, 2)).toBeUndefined();
    const chosen = await call('PUT', `${base(clienteA, 2)}/em-uso/trocarSenha`, editorA, { formularioId: form.id });
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect(await integracoes.get(clienteA, 2)).toMatchObject({ baseUrl: null, headers: [], grupoId: null, metodos: { trocarSenha: { formularioId: form.id } } });
    expect(await forms.formFor(clienteA, 2, 'trocarSenha')).toMatchObject({ id: form.id });
    // Leave instância 2 as the other tests expect it.
    expect((await call('PUT', `${base(clienteA, 2)}/em-uso/trocarSenha`, editorA, { formularioId: null })).statusCode).toBe(200);
  });

  it('refuses to choose a form of another finalidade, an unknown finalidade or a missing formularioId', async () => {
    const trocar = await create(editorA, clienteA, { nome: 'Trocar', finalidade: 'trocarSenha', campos: [{ nome: 'novaSenha', rotulo: 'Nova senha', tipo: 'senha' }] });
    const wrong = expectError(await call('PUT', `${base(clienteA)}/em-uso/login`, editorA, { formularioId: trocar.id }), 400, 'VALIDATION_FAILED');
    expect(wrong.details?.map((d) => d.field)).toEqual(['formularioId']);
    expectError(await call('PUT', `${base(clienteA)}/em-uso/buscaBeneficiarios`, editorA, { formularioId: trocar.id }), 400, 'VALIDATION_FAILED');
    const missing = expectError(await call('PUT', `${base(clienteA)}/em-uso/trocarSenha`, editorA, {}), 400, 'VALIDATION_FAILED');
    expect(missing.details?.map((d) => d.field)).toEqual(['formularioId']);
    expect((await forms.formFor(clienteA, 1, 'login')).padrao).toBe(true);
    expect((await forms.formFor(clienteA, 1, 'trocarSenha')).padrao).toBe(true);
  });

  it('tests a sample submission: the body that would be sent, senhas masked, or the field errors', async () => {
    const form = await create(editorA, clienteA);
    const url = `${base(clienteA)}/${form.id}/testar`;

    const ok = await call('POST', url, leitorA, { valores: { matricula: '1234567', cpf: '529.982.247-25', senha: 'segredo-123', extra: 'x' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ valido: true, corpo: { matricula: '1234567', cpf: '52998224725', senha: '***' }, erros: [], ignorados: ['extra'] });
    expect(ok.body).not.toContain('segredo-123');

    const bad = await call('POST', url, editorA, { valores: { matricula: 'abc', cpf: '529.982.247-24', senha: 'curta' } });
    expect(bad.statusCode).toBe(200);
    expect(bad.json()).toMatchObject({ valido: false, corpo: null, ignorados: [] });
    expect(bad.json().erros.map((e: { field: string }) => e.field)).toEqual(['matricula', 'cpf', 'senha']);
    expect(bad.body).not.toContain('curta');

    expectError(await call('POST', url, editorA, { valores: 'matricula=1' }), 400, 'VALIDATION_FAILED');
  });

  it('tests a sample submission against a definition not saved yet, and names the definition’s problems', async () => {
    const url = `${base(clienteA)}/testar`;
    const before = (await call('GET', base(clienteA), leitorA)).json().formularios.length;

    const ok = await call('POST', url, leitorA, { definicao: loginForm, valores: { matricula: '1234567', cpf: '529.982.247-25', senha: 'segredo-123' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ valido: true, corpo: { matricula: '1234567', cpf: '52998224725', senha: '***' }, erros: [], ignorados: [] });

    const bad = await call('POST', url, editorA, { definicao: loginForm, valores: { matricula: '12', cpf: '', senha: 'curta' } });
    expect(bad.statusCode).toBe(200);
    expect(bad.json()).toMatchObject({ valido: false, corpo: null });
    expect(bad.json().erros.map((e: { field: string }) => e.field)).toEqual(['matricula', 'cpf', 'senha']);

    const invalidDefinition = { ...loginForm, campos: [...campos, { nome: 'cpf', rotulo: 'De novo', tipo: 'cpf', min: 2 }] };
    const error = expectError(await call('POST', url, editorA, { definicao: invalidDefinition, valores: {} }), 400, 'VALIDATION_FAILED');
    expect(error.details?.map((d) => d.field).sort()).toEqual(['definicao.campos.3.min', 'definicao.campos.3.nome']);

    // Nothing is stored.
    expect((await call('GET', base(clienteA), leitorA)).json().formularios.length).toBe(before);
  });

  const invalid: { name: string; form: unknown; fields: string[] }[] = [
    {
      name: 'duplicate field names (case-insensitive)',
      form: { ...loginForm, campos: [...campos, { nome: 'CPF', rotulo: 'Outro', tipo: 'text' }] },
      fields: ['campos.3.nome'],
    },
    { name: 'a pattern that does not compile', form: { ...loginForm, campos: [{ nome: 'a', rotulo: 'A', tipo: 'text', padrao: '([a-z' }] }, fields: ['campos.0.padrao'] },
    { name: 'a nested quantifier', form: { ...loginForm, campos: [{ nome: 'a', rotulo: 'A', tipo: 'text', padrao: '(a+)+$' }] }, fields: ['campos.0.padrao'] },
    { name: 'a pattern on a cpf field', form: { ...loginForm, campos: [{ nome: 'a', rotulo: 'A', tipo: 'cpf', padrao: '\\d+' }] }, fields: ['campos.0.padrao'] },
    { name: 'a select without options', form: { ...loginForm, campos: [{ nome: 'plano', rotulo: 'Plano', tipo: 'select' }] }, fields: ['campos.0.opcoes'] },
    {
      name: 'a select with a repeated option',
      form: {
        ...loginForm,
        campos: [
          {
            nome: 'plano',
            rotulo: 'Plano',
            tipo: 'select',
            opcoes: [
              { valor: 'a', rotulo: 'A' },
              { valor: 'a', rotulo: 'B' },
            ],
          },
        ],
      },
      fields: ['campos.0.opcoes.1.valor'],
    },
    { name: 'options on a text field', form: { ...loginForm, campos: [{ nome: 'a', rotulo: 'A', tipo: 'text', opcoes: [{ valor: 'x', rotulo: 'X' }] }] }, fields: ['campos.0.opcoes'] },
    { name: 'a field name that is not an identifier', form: { ...loginForm, campos: [{ nome: 'data-nascimento', rotulo: 'A', tipo: 'data' }] }, fields: ['campos.0.nome'] },
    { name: 'a field named __proto__', form: { ...loginForm, campos: [{ nome: '__proto__', rotulo: 'A', tipo: 'text' }] }, fields: ['campos.0.nome'] },
    {
      name: 'a field shadowing what Ponte sends itself',
      form: { nome: 'Trocar', finalidade: 'trocarSenha', campos: [{ nome: 'chaveUnica', rotulo: 'A', tipo: 'text' }] },
      fields: ['campos.0.nome'],
    },
    { name: 'an unknown type', form: { ...loginForm, campos: [{ nome: 'a', rotulo: 'A', tipo: 'checkbox' }] }, fields: ['campos.0.tipo'] },
    { name: 'min on a cpf field', form: { ...loginForm, campos: [{ nome: 'a', rotulo: 'A', tipo: 'cpf', min: 3 }] }, fields: ['campos.0.min'] },
    { name: 'min above max', form: { ...loginForm, campos: [{ nome: 'a', rotulo: 'A', tipo: 'text', min: 10, max: 5 }] }, fields: ['campos.0.max'] },
    { name: 'a fractional length', form: { ...loginForm, campos: [{ nome: 'a', rotulo: 'A', tipo: 'senha', min: 2.5 }] }, fields: ['campos.0.min'] },
    { name: 'a label over 120 characters', form: { ...loginForm, campos: [{ nome: 'a', rotulo: 'A'.repeat(121), tipo: 'text' }] }, fields: ['campos.0.rotulo'] },
    { name: 'no fields', form: { ...loginForm, campos: [] }, fields: ['campos'] },
    {
      name: 'more than 30 fields',
      form: { ...loginForm, campos: Array.from({ length: 31 }, (_, i) => ({ nome: `c${i}`, rotulo: `C${i}`, tipo: 'text' })) },
      fields: ['campos'],
    },
    { name: 'an unknown finalidade', form: { ...loginForm, finalidade: 'buscaBeneficiarios' }, fields: ['finalidade'] },
    { name: 'a blank form name', form: { ...loginForm, nome: '   ' }, fields: ['nome'] },
  ];

  it.each(invalid)('refuses $name, naming the field', async ({ form, fields }) => {
    const before = (await call('GET', base(clienteA), leitorA)).json().formularios.length;
    const error = expectError(await call('POST', base(clienteA), editorA, form), 400, 'VALIDATION_FAILED');
    expect(error.details?.map((d) => d.field)).toEqual(fields);
    expect((await call('GET', base(clienteA), leitorA)).json().formularios.length).toBe(before);
  });

  it('refuses an invalid replacement and keeps the stored form', async () => {
    const form = await create(editorA, clienteA);
    const error = expectError(
      await call('PUT', `${base(clienteA)}/${form.id}`, editorA, { ...loginForm, campos: [...campos, { nome: 'senha', rotulo: 'De novo', tipo: 'senha' }] }),
      400,
      'VALIDATION_FAILED',
    );
    expect(error.details?.map((d) => d.field)).toEqual(['campos.3.nome']);
    expect((await call('GET', `${base(clienteA)}/${form.id}`, leitorA)).json().campos).toHaveLength(3);
  });

  it('caps the number of forms per instância', async () => {
    const clientes = createClientesService({ db: database.db, repos: createRepositories(database.db), clock: systemClock, audit: createAuditService({ repos: createRepositories(database.db), clock: systemClock }) });
    const clienteC = (await clientes.create({ nome: 'Operadora C' })).id;
    const editorC = await sessionFor(clienteC, 'editor');
    for (let i = 0; i < 50; i++) await forms.create({ clienteId: clienteC, instancia: 2, definicao: { ...loginForm, nome: `F${i}` }, actor });
    expectError(await call('POST', base(clienteC, 2), editorC, loginForm), 409, 'CONFLICT');
    expect((await call('POST', base(clienteC, 1), editorC, loginForm)).statusCode).toBe(201);
  });

  describe('security', () => {
    it('requires a painel session on every route', async () => {
      const form = await create(editorA, clienteA);
      const urls: [InjectOptions['method'], string, unknown?][] = [
        ['GET', base(clienteA)],
        ['POST', base(clienteA), loginForm],
        ['GET', `${base(clienteA)}/${form.id}`],
        ['PUT', `${base(clienteA)}/${form.id}`, loginForm],
        ['DELETE', `${base(clienteA)}/${form.id}`],
        ['POST', `${base(clienteA)}/${form.id}/testar`, { valores: {} }],
        ['PUT', `${base(clienteA)}/em-uso/login`, { formularioId: form.id }],
        ['POST', `${base(clienteA)}/testar`, { definicao: loginForm, valores: {} }],
      ];
      for (const [method, url, payload] of urls) expectError(await call(method, url, undefined, payload), 401, 'UNAUTHENTICATED');
      const forged = { cookie: 'ponte_sessao=sessao-inventada', csrf: 'x', email: '' };
      expectError(await call('GET', base(clienteA), forged), 401, 'UNAUTHENTICATED');
    });

    it('requires the CSRF token on every change', async () => {
      const form = await create(editorA, clienteA);
      const changes: [InjectOptions['method'], string, unknown?][] = [
        ['POST', base(clienteA), loginForm],
        ['PUT', `${base(clienteA)}/${form.id}`, loginForm],
        ['DELETE', `${base(clienteA)}/${form.id}`],
        ['POST', `${base(clienteA)}/${form.id}/testar`, { valores: {} }],
        ['PUT', `${base(clienteA)}/em-uso/login`, { formularioId: form.id }],
        ['POST', `${base(clienteA)}/testar`, { definicao: loginForm, valores: {} }],
      ];
      for (const [method, url, payload] of changes) expectError(await call(method, url, editorA, payload, { csrf: false }), 403, 'CSRF_REJECTED');
      const wrongToken = { ...editorA, csrf: leitorA.csrf };
      expectError(await call('POST', base(clienteA), wrongToken, loginForm), 403, 'CSRF_REJECTED');
      expect((await call('GET', `${base(clienteA)}/${form.id}`, editorA)).json().nome).toBe(loginForm.nome);
    });

    it('lets a leitor read and test but not change', async () => {
      const form = await create(editorA, clienteA);
      expect((await call('GET', base(clienteA), leitorA)).statusCode).toBe(200);
      expect((await call('GET', `${base(clienteA)}/${form.id}`, leitorA)).statusCode).toBe(200);
      expect((await call('POST', `${base(clienteA)}/${form.id}/testar`, leitorA, { valores: {} })).statusCode).toBe(200);
      expectError(await call('POST', base(clienteA), leitorA, loginForm), 403, 'FORBIDDEN');
      expectError(await call('PUT', `${base(clienteA)}/${form.id}`, leitorA, { ...loginForm, nome: 'Mudado' }), 403, 'FORBIDDEN');
      expectError(await call('DELETE', `${base(clienteA)}/${form.id}`, leitorA), 403, 'FORBIDDEN');
      expectError(await call('PUT', `${base(clienteA)}/em-uso/login`, leitorA, { formularioId: form.id }), 403, 'FORBIDDEN');
      expect((await call('GET', `${base(clienteA)}/${form.id}`, leitorA)).json().nome).toBe(loginForm.nome);
      expect((await forms.formFor(clienteA, 1, 'login')).padrao).toBe(true);
    });

    it('answers 404 for another cliente, another cliente’s form and another instância’s form', async () => {
      const formA = await create(editorA, clienteA);
      const formB = await create(editorB, clienteB);
      const formA2 = await create(editorA, clienteA, loginForm, 2);

      // A user of cliente B does not see cliente A at all.
      expectError(await call('GET', base(clienteA), editorB), 404, 'NOT_FOUND');
      expectError(await call('GET', `${base(clienteA)}/${formA.id}`, editorB), 404, 'NOT_FOUND');
      expectError(await call('POST', base(clienteA), editorB, loginForm), 404, 'NOT_FOUND');
      expectError(await call('DELETE', `${base(clienteA)}/${formA.id}`, editorB), 404, 'NOT_FOUND');
      expectError(await call('PUT', `${base(clienteA)}/em-uso/login`, editorB, { formularioId: formA.id }), 404, 'NOT_FOUND');
      expectError(await call('POST', `${base(clienteA)}/testar`, editorB, { definicao: loginForm, valores: {} }), 404, 'NOT_FOUND');

      // Cliente B's form id (or instância 2's) through cliente A's instância 1 paths.
      for (const id of [formB.id, formA2.id, 'frm_inexistente']) {
        expectError(await call('GET', `${base(clienteA)}/${id}`, editorA), 404, 'NOT_FOUND');
        expectError(await call('PUT', `${base(clienteA)}/${id}`, editorA, loginForm), 404, 'NOT_FOUND');
        expectError(await call('POST', `${base(clienteA)}/${id}/testar`, editorA, { valores: {} }), 404, 'NOT_FOUND');
        expectError(await call('DELETE', `${base(clienteA)}/${id}`, editorA), 404, 'NOT_FOUND');
        expectError(await call('PUT', `${base(clienteA)}/em-uso/login`, editorA, { formularioId: id }), 404, 'NOT_FOUND');
      }
      expect((await forms.formFor(clienteA, 1, 'login')).padrao).toBe(true);
      expect((await call('GET', `${base(clienteB)}/${formB.id}`, editorB)).json().nome).toBe(loginForm.nome);
      expect((await call('GET', `${base(clienteA, 2)}/${formA2.id}`, editorA)).statusCode).toBe(200);
      expect((await call('GET', base(clienteA), editorA)).json().formularios.map((f: { id: string }) => f.id)).not.toContain(formB.id);
    });

    it('refuses an instância other than 1 or 2', async () => {
      expectError(await call('GET', base(clienteA, 3), editorA), 400, 'VALIDATION_FAILED');
    });
  });
});
