import { Ajv2020 } from 'ajv/dist/2020.js';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCatalogue } from '../src/platform/errors.ts';
import { createClientToken, createCliente, loginAs } from './support/fixtures.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

/**
 * /docs/json as a reader and a client generator see it: every operation explained, every response
 * described, the seed's required parameters and examples, sane numbers, the public API first — and
 * every status a route really answers declared for it (walked below with the failures any caller
 * can provoke).
 */

type Operation = {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { in: string; name: string; required?: boolean }[];
  requestBody?: { content?: Record<string, { schema?: unknown; example?: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: unknown; example?: unknown }> }>;
};
type Document = { tags: { name: string }[]; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

const SMALL_BODY_LIMIT = 4096;

let t: TestApp;
let document: Document;
const operations = () =>
  Object.entries(document.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })));

beforeAll(async () => {
  t = await createTestApp({ env: { PONTE_BODY_LIMIT_BYTES: String(SMALL_BODY_LIMIT) } });
  const response = await t.app.inject({ url: '/docs/json' });
  expect(response.statusCode).toBe(200);
  document = response.json() as Document;
});
afterAll(async () => {
  await t.close();
});

describe('OpenAPI document', () => {
  it('gives every operation a summary and a description, and every response a description of its own', () => {
    const missing = operations().filter(({ operation }) => !operation.summary?.trim() || !operation.description?.trim()).map(({ method, path }) => `${method} ${path}`);
    expect(missing).toEqual([]);
    expect(JSON.stringify(document)).not.toContain('Default Response');
    for (const { operation } of operations()) for (const response of Object.values(operation.responses)) expect(response.description.length).toBeGreaterThan(5);
  });

  it('shows no ±MAX_SAFE_INTEGER bound (which UIs turn into the example) and gives timestamps realistic epoch-ms examples', () => {
    const text = JSON.stringify(document);
    expect(text).not.toContain(String(Number.MAX_SAFE_INTEGER));
    const temp = document.paths['/clientes/auth/temp-authorization']!.post!.responses['200']!.content!['application/json']!.schema as {
      properties: { timestamp: { examples: number[] }; data: { properties: { expireAt: { examples: number[] } } } };
    };
    for (const example of [temp.properties.timestamp.examples[0]!, temp.properties.data.properties.expireAt.examples[0]!]) {
      expect(Number.isInteger(example)).toBe(true);
      // A date between 2020 and 2040.
      expect(example).toBeGreaterThan(Date.UTC(2020, 0, 1));
      expect(example).toBeLessThan(Date.UTC(2040, 0, 1));
    }
  });

  it('marks instanciaApp, chavePasse and chaveFuncionalidade required on the chave passe data API, as the seed does', () => {
    const dataRoutes = Object.keys(document.paths).filter((path) => path.startsWith('/clientes/chavePasse/'));
    expect(dataRoutes.sort()).toEqual(['/clientes/chavePasse/chavePasse', '/clientes/chavePasse/grupoFamiliar', '/clientes/chavePasse/sistema', '/clientes/chavePasse/usuario']);
    for (const path of dataRoutes) {
      const query = document.paths[path]!.get!.parameters!.filter((p) => p.in === 'query');
      expect(Object.fromEntries(query.map((p) => [p.name, p.required])), path).toEqual({ instanciaApp: true, chavePasse: true, chaveFuncionalidade: true });
    }
  });

  it('carries the seed examples on /clientes: the temp token exactly as documented, the data API success and its failure envelope', () => {
    const temp = document.paths['/clientes/auth/temp-authorization']!.post!.responses;
    const success = temp['200']!.content!['application/json']!.example as Record<string, unknown>;
    expect(Object.keys(success)).toEqual(['status', 'data', 'message', 'statusCode', 'timestamp']);
    expect(success).toMatchObject({ status: true, message: 'Token gerado com sucesso!', statusCode: 200, data: { expireAt: 1689053263462 } });
    expect(temp['401']!.content!['application/json']!.example).toEqual({ success: false, message: 'Invalid token.' });

    const usuario = document.paths['/clientes/chavePasse/usuario']!.get!.responses;
    expect(usuario['200']!.content!['application/json']!.example).toMatchObject({ status: true, data: { chaveUnica: 'teste@teste.com' }, message: 'Dados carregados com sucesso.', critical: [] });
    const refused = usuario['403']!.content!['application/json']!.example as Record<string, unknown>;
    expect(Object.keys(refused).sort()).toEqual(['critical', 'data', 'message', 'status', 'statusCode', 'timestamp']);
    expect(refused).toMatchObject({ status: false, data: [], statusCode: 403, message: errorCatalogue.CHAVE_PASSE_RECUSADA.message });
  });

  it('gives every JSON body, request and response, an example its own schema accepts — with values that read as real ones', () => {
    // The components go in as one schema of their own; each body's references are pointed at it.
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const pointAtComponents = (schema: unknown) => JSON.parse(JSON.stringify(schema ?? {}).replaceAll('"#/components/schemas/', '"https://ponte.example/componentes#/$defs/')) as object;
    ajv.addSchema({ $id: 'https://ponte.example/componentes', $defs: pointAtComponents(document.components.schemas) });
    const problems: string[] = [];
    const check = (where: string, media: { schema?: unknown; example?: unknown }) => {
      if (media.example === undefined) return problems.push(`${where}: sem exemplo`);
      const validate = ajv.compile(pointAtComponents(media.schema));
      if (!validate(media.example)) problems.push(`${where}: ${ajv.errorsText(validate.errors)} — ${JSON.stringify(media.example).slice(0, 200)}`);
    };
    let bodies = 0;
    for (const { method, path, operation } of operations()) {
      const request = operation.requestBody?.content?.['application/json'];
      if (request) {
        bodies += 1;
        check(`${method} ${path} (corpo)`, request);
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        const media = response.content?.['application/json'];
        if (media) check(`${method} ${path} ${status}`, media);
      }
    }
    expect(problems).toEqual([]);
    expect(bodies).toBeGreaterThan(30);

    // The ones the trial found bare, now with examples a developer can send as they are.
    const requestOf = (method: string, path: string) => document.paths[path]![method]!.requestBody!.content!['application/json']!.example;
    expect(requestOf('put', '/painel/api/auth/senha')).toEqual({ senhaAtual: expect.any(String), senhaNova: expect.any(String) });
    expect(requestOf('post', '/painel/api/auth/senha/esqueci')).toEqual({ email: expect.stringMatching(/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/) });
    expect(requestOf('post', '/app/v1/sessoes')).toEqual({ campos: { login: expect.any(String), senha: expect.any(String) } });
    const formularioTeste = requestOf('post', '/painel/api/clientes/{clienteId}/instancias/{instancia}/formularios/testar') as { definicao: { campos: unknown[] } };
    expect(formularioTeste.definicao.campos.length).toBeGreaterThan(0);
    const responseOf = (method: string, path: string, status: string) => document.paths[path]![method]!.responses[status]!.content!['application/json']!.example;
    expect(responseOf('get', '/healthz', '200')).toBeDefined();
    expect(responseOf('get', '/readyz', '200')).toBeDefined();
    // Ids carry their kind's prefix, instants are epoch-ms, errors come in the surface's envelope with the catalogue's words.
    expect(JSON.stringify(responseOf('get', '/painel/api/clientes/{clienteId}/instancias/{instancia}/grupos', '200'))).toMatch(/"id":"grp_[0-9a-f]{24}"|"grp_[0-9a-f]{24}"/);
    expect(responseOf('post', '/painel/api/clientes/{clienteId}/tokens', '403')).toEqual({ error: { code: 'FORBIDDEN', message: errorCatalogue.FORBIDDEN.message, requestId: expect.stringMatching(/^req_/) } });
    expect(responseOf('post', '/clientes/utilitarios/seguranca/chaveAuth', '403')).toMatchObject({ status: false, data: [], statusCode: 403 });
    expect(JSON.stringify(document)).not.toMatch(/"example":\{?"string"|"exemplo de "/);
  });

  it('fills the app’s example bodies with exactly the fields of the default forms a new cliente gets', async () => {
    const cliente = await createCliente(t, 'Cliente dos exemplos');
    const appId = cliente.instancias.find((i: { numero: number }) => i.numero === 1)!.appId as string;
    const config = await t.app.inject({ url: '/app/v1/configuracao', headers: { 'x-app-id': appId } });
    expect(config.statusCode, config.body).toBe(200);
    const formularios = config.json().formularios as Record<string, { campos: { nome: string }[] }>;
    const fieldsOf = (finalidade: string) => formularios[finalidade]!.campos.map((campo) => campo.nome);
    const exampleFields = (path: string) => Object.keys((document.paths[path]!.post!.requestBody!.content!['application/json']!.example as { campos: object }).campos);
    expect(exampleFields('/app/v1/sessoes')).toEqual(fieldsOf('login'));
    expect(exampleFields('/app/v1/senha')).toEqual(fieldsOf('trocarSenha'));
    expect(exampleFields('/app/v1/recuperacao')).toEqual(fieldsOf('recuperarSenhaIdentificacao'));
    expect(exampleFields('/app/v1/recuperacao/{id}/nova-senha')).toEqual(fieldsOf('recuperarSenhaNovaSenha'));
  });

  it('lists the operators’ public API first, then the app API, the painel, and operation last', () => {
    const paths = Object.keys(document.paths);
    const firstOf = (prefix: string) => paths.findIndex((path) => path.startsWith(prefix));
    const lastOf = (prefix: string) => paths.length - 1 - [...paths].reverse().findIndex((path) => path.startsWith(prefix));
    expect(paths[0]).toBe('/clientes/auth/temp-authorization');
    expect(lastOf('/clientes/')).toBeLessThan(firstOf('/app/'));
    expect(lastOf('/app/')).toBeLessThan(firstOf('/painel/api/'));
    expect(lastOf('/painel/api/')).toBeLessThan(firstOf('/healthz'));
    const tags = document.tags.map((tag) => tag.name);
    expect(tags.slice(0, 2)).toEqual(['API do cliente', 'API do cliente — chave passe']);
    expect(tags.at(-1)).toBe('Operação');
    // Every tag an operation uses is listed (Swagger UI orders the sections by this list).
    for (const { operation } of operations()) for (const tag of operation.tags ?? []) expect(tags).toContain(tag);
  });

  it('shares the error envelopes from one place (components), each as envelope.ts defines it', () => {
    expect(Object.keys(document.components.schemas)).toEqual(expect.arrayContaining(['FalhaClientes', 'FalhaTokenTemporario', 'ErroApi']));
    const unauthenticated = document.paths['/painel/api/clientes']!.get!.responses['401']!;
    expect(unauthenticated.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/ErroApi' });
  });

  it('serves the documentation page with Ponte’s name, its mark and the Portuguese labels', async () => {
    const page = await t.app.inject({ url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Ponte — documentação da API</title>');
    expect(page.body).toContain('theme/ponte-pt-br.js');
    const script = await t.app.inject({ url: '/docs/static/theme/ponte-pt-br.js' });
    expect(script.statusCode).toBe(200);
    expect(script.body).toContain("'Try it out': 'Testar'");
    const favicon = await t.app.inject({ url: '/docs/static/theme/favicon.svg' });
    expect(favicon.statusCode).toBe(200);
    expect(favicon.headers['content-type']).toMatch(/^image\/svg\+xml/);
  });
});

describe('every status a route answers is declared for it', () => {
  it('the failures any caller can provoke (no credentials, no CSRF, a leitor, unknown ids, bad bodies) answer only declared statuses', async () => {
    const cliente = await createCliente(t, 'Alvo da documentação');
    const outro = await createCliente(t, 'Outro cliente');
    const admin = await loginAs(t, { platformAdmin: true });
    const leitor = await loginAs(t, { clienteId: cliente.id, role: 'leitor' });
    const { plaintext: chavePasseToken } = await createClientToken(t, cliente.id, ['chavePasse']);
    const { plaintext: semEscopo } = await createClientToken(t, cliente.id, ['seguranca']);
    const appId = cliente.instancias.find((i: { numero: number }) => i.numero === 1)!.appId as string;

    const urlOf = (path: string, clienteId: string) =>
      path
        .replace('{clienteId}', clienteId)
        .replace('{instancia}', '1')
        .replace('{finalidade}', 'login')
        .replace(/\{(\w+)\}/g, (_all, name: string) => `${name}-inexistente`);
    const writes = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

    type Case = { label: string; options: (method: string, path: string) => InjectOptions };
    const json = { 'content-type': 'application/json' };
    const cases: Case[] = [
      { label: 'sem credenciais', options: (method, path) => ({ method: method as InjectOptions['method'], url: urlOf(path, cliente.id), ...(writes.has(method) ? { payload: {} } : {}) }) },
      { label: 'sessão sem CSRF', options: (method, path) => ({ method: method as InjectOptions['method'], url: urlOf(path, cliente.id), headers: { cookie: admin.cookieHeader, ...json }, ...(writes.has(method) ? { payload: '{}' } : {}) }) },
      { label: 'leitor', options: (method, path) => ({ method: method as InjectOptions['method'], url: urlOf(path, cliente.id), headers: { ...leitor.headers, ...json }, ...(writes.has(method) ? { payload: '{}' } : {}) }) },
      { label: 'cliente de outro', options: (method, path) => ({ method: method as InjectOptions['method'], url: urlOf(path, outro.id), headers: { ...leitor.headers, ...json }, ...(writes.has(method) ? { payload: '{}' } : {}) }) },
      { label: 'admin, ids inexistentes, corpo vazio', options: (method, path) => ({ method: method as InjectOptions['method'], url: urlOf(path, cliente.id), headers: { ...admin.headers, ...json, 'x-app-id': appId, authorization: chavePasseToken }, ...(writes.has(method) ? { payload: '{}' } : {}) }) },
      { label: 'JSON malformado', options: (method, path) => ({ method: method as InjectOptions['method'], url: urlOf(path, cliente.id), headers: { ...admin.headers, ...json, 'x-app-id': appId, authorization: chavePasseToken }, payload: '{"a":' }) },
      { label: 'text/plain', options: (method, path) => ({ method: method as InjectOptions['method'], url: urlOf(path, cliente.id), headers: { ...admin.headers, 'content-type': 'text/plain', 'x-app-id': appId, authorization: chavePasseToken }, payload: 'texto' }) },
      { label: 'corpo grande demais', options: (method, path) => ({ method: method as InjectOptions['method'], url: urlOf(path, cliente.id), headers: { ...admin.headers, ...json, 'x-app-id': appId, authorization: chavePasseToken }, payload: JSON.stringify({ x: 'a'.repeat(SMALL_BODY_LIMIT * 2) }) }) },
      { label: 'X-App-Id desconhecido', options: (method, path) => ({ method: method as InjectOptions['method'], url: urlOf(path, cliente.id), headers: { ...json, 'x-app-id': 'app_inexistente' }, ...(writes.has(method) ? { payload: '{}' } : {}) }) },
      { label: 'token sem a API', options: (method, path) => ({ method: method as InjectOptions['method'], url: `${urlOf(path, cliente.id)}?instanciaApp=1&chavePasse=x&chaveFuncionalidade=y`, headers: { ...json, authorization: semEscopo }, ...(writes.has(method) ? { payload: '{}' } : {}) }) },
      { label: 'chave passe desconhecida', options: (method, path) => ({ method: method as InjectOptions['method'], url: `${urlOf(path, cliente.id)}?instanciaApp=1&chavePasse=x&chaveFuncionalidade=y`, headers: { ...json, authorization: chavePasseToken }, ...(writes.has(method) ? { payload: '{}' } : {}) }) },
    ];

    const undeclared: string[] = [];
    const seen = new Set<number>();
    for (const { method, path, operation } of operations()) {
      // Ending the session would turn every later case into a 401.
      if (path === '/painel/api/auth/logout') continue;
      if (method === 'GET' && path === '/metrics') continue;
      for (const { label, options } of cases) {
        if (!writes.has(method) && ['JSON malformado', 'text/plain', 'corpo grande demais'].includes(label)) continue;
        const response = await t.app.inject(options(method, path));
        seen.add(response.statusCode);
        if (!(String(response.statusCode) in operation.responses)) undeclared.push(`${method} ${path} [${label}] → ${response.statusCode} (declarados: ${Object.keys(operation.responses).join(', ')})`);
      }
    }
    expect(undeclared).toEqual([]);
    // The walk reached the failures it is about (a walk that met only 401s would prove little).
    expect([...seen].sort()).toEqual(expect.arrayContaining([400, 401, 403, 404, 413, 415]));
  }, 120_000);
});

describe('pages around the API', () => {
  it('GET / sends the visitor to the painel', async () => {
    const response = await t.app.inject({ url: '/' });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/painel');
  });

  it.each(['/favicon.ico', '/painel/favicon.svg'])('%s is Ponte’s mark as an SVG image', async (url) => {
    const response = await t.app.inject({ url });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(response.body).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(response.body).toMatch(/<linearGradient/);
  });
});
