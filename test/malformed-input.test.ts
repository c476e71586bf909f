import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { systemClock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import { MAX_JSON_DEPTH } from '../src/platform/json-depth.ts';
import { randomKeyring } from '../src/platform/keyring.ts';
import { createLogger } from '../src/platform/logger.ts';
import { seedPeople } from '../src/simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../src/simulator/simulator.ts';
import { validLogin } from './support/contract-samples.ts';
import { createClientToken, createCliente, loginAs } from './support/fixtures.ts';
import { openTestDatabase, openTestKv } from './support/infrastructure.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

/**
 * Malformed input never becomes a 5xx (issue 9). Thousands of generated requests over every route
 * of `/clientes`, `/app/v1` and `/painel/api` — found in the app's own OpenAPI document, so a new
 * route is covered the day it is added — with and without valid credentials (so validation behind
 * authentication is reached): random JSON, NUL bytes and lone surrogates in path, query, body and
 * keys, broken percent-encoding, huge headers, deep nesting, wrong content types, empty and
 * truncated bodies, invalid UTF-8; absolute-form targets and broken framing over a raw socket.
 *
 * Generation is seeded: the seed is printed, and `MALFORMED_INPUT_SEED=<seed>` replays a run;
 * `MALFORMED_INPUT_LOG_LEVEL=error` shows the server's side of a failure.
 */

const SEED = Number(process.env.MALFORMED_INPUT_SEED ?? randomBytes(4).readUInt32BE(0) >>> 1);
const INJECTED_REQUESTS = 10_000;
const RAW_SOCKET_REQUESTS = 400;
const CONCURRENCY = 8;
/** No timed assertion: generous, for a run sharing two cores with the rest of `npm test`. */
const GENERATED_RUN_TIMEOUT_MS = 240_000;
const SURFACES = ['/clientes/', '/app/v1/', '/painel/api/'];
const ana = seedPeople[0]!;

type Route = { method: string; path: string; query: string[]; bodyKeys: string[] };
type Generated = { method: string; url: string; headers: Record<string, string>; payload?: string | Buffer; remoteAddress: string };
type Credentials = 'valid' | 'none' | 'garbage';

/** Requests that would end the fixtures' own sessions: sent with broken credentials instead. */
const SESSION_ENDERS = new Set(['POST /painel/api/auth/logout', 'DELETE /app/v1/sessoes/atual']);

// ── Encoding ────────────────────────────────────────────────────────────────────────────────────

/**
 * Percent-encodes every UTF-16 code unit sequence as UTF-8, lone surrogates included (as the
 * 3-byte sequence a careless client would send): `encodeURIComponent` throws on those.
 */
function percentEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (/[A-Za-z0-9\-._~]/.test(text[i]!)) {
      out += text[i];
      continue;
    }
    let codePoint = unit;
    const next = text.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      codePoint = 0x10000 + ((unit - 0xd800) << 10) + (next - 0xdc00);
      i += 1;
    }
    const bytes =
      codePoint < 0x80
        ? [codePoint]
        : codePoint < 0x800
          ? [0xc0 | (codePoint >> 6), 0x80 | (codePoint & 0x3f)]
          : codePoint < 0x10000
            ? [0xe0 | (codePoint >> 12), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)]
            : [0xf0 | (codePoint >> 18), 0x80 | ((codePoint >> 12) & 0x3f), 0x80 | ((codePoint >> 6) & 0x3f), 0x80 | (codePoint & 0x3f)];
    for (const byte of bytes) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Escapes a URL cannot decode, or that decode to something no column should receive. */
const RAW_URL_TOKENS = ['%00', '%ZZ', '%', '%0', '%C0%80', '%ED%A0%80', '%ED%B0%80', '%F4%90%80%80', '%FF', '%2F', '%2e%2e', '%25', '%u0000', '+'];

const NASTY_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\udc00y',
  '\ud83d',
  '😀',
  '',
  ' ',
  '\t\n',
  'null',
  '__proto__',
  'constructor',
  "' or 1=1 --",
  '<script>alert(1)</script>',
  '\\',
  '"',
  'ç',
  '\u202e',
  '\ufeff',
  '../../etc/passwd',
  '%00',
  'x'.repeat(300),
  '9'.repeat(40),
  '529.982.247-25',
  'https://127.0.0.1:1/x',
];

/** Nested JSON built once: generating 400 000 levels per request would dominate the run. */
const DEEP_BODIES = [63, 64, 65, 1_000, 400_000].flatMap((depth) => ['['.repeat(depth) + ']'.repeat(depth), '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)]);
const HUGE_STRING_BODIES = [JSON.stringify({ email: 'a'.repeat(200_000), senha: 'b' }), JSON.stringify({ campos: { login: 'x'.repeat(500_000) } })];
const BROKEN_JSON = [
  '',
  ' ',
  '\n\t',
  'null',
  '0',
  '"texto"',
  '{',
  '[',
  '{"a":',
  '"',
  '{"a":"\\u0000"}',
  '{"\\u0000":1}',
  '"\\ud800"',
  '{"email":"\\udc00@x.com","senha":"x"}',
  '{"__proto__":{"x":1}}',
  '{"constructor":{"prototype":{"x":1}}}',
  '1e999',
  '-',
  'tru',
  '\ufeff{}',
  '{}lixo',
  '[1,2,]',
  "{'a':1}",
  'NaN',
  '{"a":"\\x41"}',
  '{"a":"\\uZZZZ"}',
];

// ── Generation ──────────────────────────────────────────────────────────────────────────────────

type Fixtures = {
  clienteId: string;
  appId: string;
  appIdProducao: string;
  clientToken: string;
  appSession: string;
  chavePasse: string;
  chaveFuncionalidade: string;
  grupoId: string;
  formularioId: string;
  funcionalidadeId: string;
  painel: { cookieHeader: string; csrfToken: string };
};

/** `arbitrary`'s value about once in `oneIn` draws, else null. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });

/** Any code point, surrogate halves included (fast-check's 'binary' unit takes seconds to set up). */
const codePoint = fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c));

const printable = (maxLength: number) => fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength });

const textArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: codePoint, maxLength: 12 }) },
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom('\u0000', '\ud800', '\udbff', '\udc00'), fc.string({ maxLength: 8 })).map(([a, b, c]) => a + b + c),
  },
);

const { value: jsonValueArb } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    textArb,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(textArb, tie('value')), { maxLength: 4 }).map((entries) => Object.fromEntries(entries)),
  ),
}));

/** Objects whose keys are mostly the route's own body fields, so validation gets past "unknown field". */
function objectFor(route: Route): fc.Arbitrary<Record<string, unknown>> {
  const keyArb = route.bodyKeys.length > 0 ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...route.bodyKeys) }, { weight: 1, arbitrary: textArb }) : textArb;
  return fc.array(fc.tuple(keyArb, jsonValueArb), { maxLength: 6 }).map((entries) => Object.fromEntries(entries));
}

function bodyFor(route: Route): fc.Arbitrary<string | Buffer | undefined> {
  const object = objectFor(route);
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 8, arbitrary: object.map((o) => JSON.stringify(o)) },
    { weight: 3, arbitrary: jsonValueArb.map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 2, arbitrary: fc.constantFrom(...BROKEN_JSON) },
    { weight: 1, arbitrary: object.chain((o) => fc.nat(JSON.stringify(o).length).map((n) => JSON.stringify(o).slice(0, n))) },
    { weight: 1, arbitrary: fc.constantFrom(...DEEP_BODIES) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)) },
    { weight: 1, arbitrary: fc.constantFrom(...HUGE_STRING_BODIES) },
  );
}

const contentTypeArb: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 10, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/json;charset=latin1',
      'application/json; charset="utf-8"',
      'application/json, text/plain',
      'text/plain',
      'text/plain; charset=utf-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=xyz',
      'application/xml',
      'application/octet-stream',
      'application/vnd.api+json',
      '*/*',
      ';',
      'application/',
      '',
    ),
  },
  { weight: 1, arbitrary: printable(40) },
  { weight: 2, arbitrary: fc.constant(undefined) },
);

/** A path parameter or query value, percent-encoded — sometimes with an escape spliced in raw. */
function urlValue(real: readonly string[]): fc.Arbitrary<string> {
  const text = real.length > 0 ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...real) }, { weight: 3, arbitrary: textArb }) : textArb;
  return fc.oneof(
    { weight: 4, arbitrary: text.map(percentEncode) },
    { weight: 1, arbitrary: fc.tuple(text.map(percentEncode), fc.constantFrom(...RAW_URL_TOKENS)).map(([a, b]) => a + b) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_URL_TOKENS) },
  );
}

function requestArb(routes: Route[], fx: Fixtures): fc.Arbitrary<Generated> {
  const realParams: Record<string, string[]> = {
    clienteId: [fx.clienteId],
    instancia: ['1', '2'],
    chaveFuncionalidade: [fx.chaveFuncionalidade],
    grupoId: [fx.grupoId],
    formularioId: [fx.formularioId],
    funcionalidadeId: [fx.funcionalidadeId],
    finalidade: ['login'],
  };
  const realQuery: Record<string, string[]> = {
    chavePasse: [fx.chavePasse],
    chaveFuncionalidade: [fx.chaveFuncionalidade],
    instanciaApp: ['1', '2'],
    instancia: ['1', '2'],
    pagina: ['1', '0', '-1', '999999999999'],
    porPagina: ['1', '100', '101', '0'],
    limite: ['1', '1000'],
    periodo: ['1h', '24h', '7d', '30d'],
  };
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

  const routeAndMethod = fc
    .constantFrom(...routes)
    .chain((route) => fc.tuple(fc.constant(route), fc.oneof({ weight: 9, arbitrary: fc.constant(route.method) }, { weight: 1, arbitrary: fc.constantFrom(...methods) })));
  return routeAndMethod.chain(([route, method]) => {
    const paramNames = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
    // Only reads get real ids: a write or DELETE with them could remove the fixtures this run relies on.
    const realFor = (name: string) => (Object.hasOwn(realParams, name) && (method === 'GET' || name === 'clienteId' || name === 'instancia') ? realParams[name]! : []);
    const paramArbs = paramNames.map((name) => urlValue(realFor(name)));
    const queryArb = fc.array(
      fc.tuple(
        fc.oneof({ weight: 3, arbitrary: route.query.length > 0 ? fc.constantFrom(...route.query) : printable(8) }, { weight: 1, arbitrary: urlValue([]) }),
        rarely(fc.constant(true), 8),
      ),
      { maxLength: 5 },
    ).chain((keys) => fc.tuple(...keys.map(([name, noValue]) => (noValue === true ? fc.constant(name) : urlValue(Object.hasOwn(realQuery, name) ? realQuery[name]! : []).map((v) => `${name}=${v}`)))));
    return fc
      .record({
        params: paramArbs.length > 0 ? fc.tuple(...paramArbs) : fc.constant([] as string[]),
        query: queryArb,
        credentials: fc.constantFrom<Credentials>('valid', 'valid', 'valid', 'none', 'garbage', 'garbage'),
        garbage: fc.record({
          cookie: fc.oneof(printable(60), urlValue([]).map((v) => `ponte_sessao=${v}`)),
          csrf: printable(60),
          authorization: fc.oneof(printable(80), urlValue([]).map((v) => `Bearer ${v}`), fc.constant(`Bearer ${'a'.repeat(100_000)}`)),
          appId: fc.oneof(printable(40), fc.constant(fx.appIdProducao), fc.constant('x'.repeat(10_000))),
          origin: fc.oneof(printable(40), fc.constant('https://evil.example')),
        }),
        body: bodyFor(route),
        contentType: contentTypeArb,
        hugeHeader: rarely(fc.constantFrom(1_000, 100_000), 10),
        wrongLength: rarely(fc.integer({ min: 0, max: 100 }), 30),
        bearer: fc.boolean(),
        remoteAddress: fc.oneof({ weight: 9, arbitrary: fc.ipV4() }, { weight: 1, arbitrary: fc.constant('127.0.0.1') }),
      })
      .map((r) => {
        let i = 0;
        const path = route.path.replace(/\{\w+\}/g, () => r.params[i++] ?? '');
        const url = r.query.length > 0 ? `${path}?${r.query.join('&')}` : path;
        const credentials: Credentials = r.credentials === 'valid' && SESSION_ENDERS.has(`${method} ${route.path}`) ? 'garbage' : r.credentials;
        const headers: Record<string, string> = {};
        if (credentials === 'valid') {
          if (path.startsWith('/painel/')) {
            headers.cookie = fx.painel.cookieHeader;
            headers['x-csrf-token'] = fx.painel.csrfToken;
          } else if (path.startsWith('/app/')) {
            headers['x-app-id'] = fx.appId;
            headers.authorization = `Bearer ${fx.appSession}`;
          } else {
            headers.authorization = !r.bearer ? fx.clientToken : `Bearer ${fx.clientToken}`;
          }
        } else if (credentials === 'garbage') {
          headers.cookie = r.garbage.cookie;
          headers['x-csrf-token'] = r.garbage.csrf;
          headers.authorization = r.garbage.authorization;
          headers['x-app-id'] = r.garbage.appId;
          headers.origin = r.garbage.origin;
        }
        if (r.contentType !== undefined) headers['content-type'] = r.contentType;
        if (r.hugeHeader !== null) headers['x-preenchimento'] = 'a'.repeat(r.hugeHeader);
        if (r.wrongLength !== null && r.body !== undefined) headers['content-length'] = String(r.wrongLength);
        return { method, url, headers, ...(r.body !== undefined ? { payload: r.body } : {}), remoteAddress: r.remoteAddress };
      });
  });
}

// ── Running ─────────────────────────────────────────────────────────────────────────────────────

const preview = (text: string | Buffer | undefined, max = 300) => {
  if (text === undefined) return '(sem corpo)';
  const s = typeof text === 'string' ? text : `<${text.length} bytes: ${text.subarray(0, 40).toString('hex')}>`;
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}… (${s.length} caracteres)` : s);
};

function describeRequest(request: Generated): string {
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, v.length > 120 ? `${v.slice(0, 120)}… (${v.length})` : v]));
  return `${request.method} ${preview(request.url, 500)}\n  headers: ${JSON.stringify(headers)}\n  corpo: ${preview(request.payload)}`;
}

/** Runs `items` through `task` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        await task(items[index]!, index);
      }
    }),
  );
}

type Failure = { index: number; request: string; status: number | string; body: string };

function firstFailure(failures: Failure[], total: number): string {
  failures.sort((a, b) => a.index - b.index);
  const first = failures[0]!;
  return [
    `${failures.length} de ${total} requisições responderam 5xx (seed ${SEED}; repita com MALFORMED_INPUT_SEED=${SEED}).`,
    `Primeira (#${first.index}): ${first.request}`,
    `  → ${first.status} ${first.body}`,
  ].join('\n');
}

/** One raw HTTP/1.1 exchange; the status code, or null when the server closed without answering. */
function rawExchange(port: number, request: Buffer): Promise<{ status: number | null; head: string; body: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const finish = () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: match ? Number(match[1]) : null, head: text.slice(0, 600), body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    };
    socket.setTimeout(15_000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', finish);
    socket.on('error', () => undefined);
    socket.on('connect', () => socket.write(request));
  });
}

function toRaw(request: Generated, target: string): Buffer {
  const body = request.payload === undefined ? Buffer.alloc(0) : Buffer.isBuffer(request.payload) ? request.payload : Buffer.from(request.payload, 'utf8');
  const lines = [`${request.method} ${target} HTTP/1.1`, 'host: ponte.test', 'connection: close'];
  for (const [name, value] of Object.entries(request.headers)) if (name !== 'content-length') lines.push(`${name}: ${value}`);
  if (body.length > 0 || request.method !== 'GET') lines.push(`content-length: ${body.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

// ── The suite ───────────────────────────────────────────────────────────────────────────────────

describe('malformed input never becomes a 5xx', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  let routes: Route[];
  let fx: Fixtures;
  let port: number;

  beforeAll(async () => {
    console.log(`malformed-input: seed ${SEED} (repita com MALFORMED_INPUT_SEED=${SEED})`);
    sim = await createOperatorSimulator({ port: 0 });
    t = await createTestApp({ env: { LOG_LEVEL: process.env.MALFORMED_INPUT_LOG_LEVEL ?? 'silent' } });

    const document = t.app.swagger() as {
      paths: Record<string, Record<string, { parameters?: { in: string; name: string }[]; requestBody?: { content?: Record<string, { schema?: { properties?: object } }> } }>>;
    };
    routes = Object.entries(document.paths)
      .filter(([path]) => SURFACES.some((prefix) => path.startsWith(prefix)))
      .flatMap(([path, operations]) =>
        Object.entries(operations).map(([method, operation]) => ({
          method: method.toUpperCase(),
          path,
          query: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
          bodyKeys: Object.keys(operation.requestBody?.content?.['application/json']?.schema?.properties ?? {}),
        })),
      )
      .filter((route) => route.method !== 'HEAD');

    // A cliente configured as an operator would (grupo, login form, integração, funcionalidade),
    // then every credential a caller can hold: painel session + CSRF, token do cliente, app
    // session, chave passe.
    const cliente = await createCliente(t, 'Alvo dos testes de entrada');
    const admin = await loginAs(t, { platformAdmin: true });
    const base = `/painel/api/clientes/${cliente.id}/instancias/1`;
    const ok = (response: LightMyRequestResponse, status: number) => {
      expect(response.statusCode, response.body).toBe(status);
      return response.json();
    };
    const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url: `${base}${url}`, headers: admin.headers, payload });
    const grupo = ok(await post('/grupos', { nome: 'Grupo', url: `${sim.url}/autorizacao`, usuario: 'demo', senha: 'demo' }), 201);
    const form = ok(
      await post('/formularios', {
        nome: 'Login por CPF',
        finalidade: 'login',
        campos: [
          { nome: 'login', rotulo: 'CPF', tipo: 'cpf' },
          { nome: 'senha', rotulo: 'Senha', tipo: 'senha' },
        ],
      }),
      201,
    );
    ok(
      await t.app.inject({
        method: 'PUT',
        url: `${base}/integracao`,
        headers: admin.headers,
        payload: { baseUrl: sim.url, grupoId: grupo.id, metodos: { login: { formularioId: form.id } }, headers: [] },
      }),
      200,
    );
    const funcionalidade = ok(await post('/funcionalidades', { nome: 'Carteirinha', url: 'https://webview.operadora.example/carteirinha' }), 201);
    const appId = cliente.instancias.find((i) => i.numero === 1)!.appId;
    const session = ok(await t.app.inject({ method: 'POST', url: '/app/v1/sessoes', headers: { 'x-app-id': appId }, payload: { campos: { login: ana.cpf, senha: ana.senha } } }), 201);
    const aberta = ok(
      await t.app.inject({
        method: 'POST',
        url: `/app/v1/funcionalidades/${funcionalidade.chaveFuncionalidade}/abrir`,
        headers: { 'x-app-id': appId, authorization: `Bearer ${session.token}` },
        payload: { sistema: { plataforma: 'android', versaoApp: '3.2.1', dispositivo: 'Pixel 8', idioma: 'pt-BR' } },
      }),
      200,
    );
    fx = {
      clienteId: cliente.id,
      appId,
      appIdProducao: cliente.instancias.find((i) => i.numero === 2)!.appId,
      clientToken: (await createClientToken(t, cliente.id, ['chavePasse', 'seguranca'])).plaintext,
      appSession: session.token,
      chavePasse: new URL(aberta.url).searchParams.get('chavePasse')!,
      chaveFuncionalidade: funcionalidade.chaveFuncionalidade,
      grupoId: grupo.id,
      formularioId: form.id,
      funcionalidadeId: funcionalidade.id,
      painel: { cookieHeader: admin.cookieHeader, csrfToken: admin.csrfToken },
    };

    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('covers every surface, read from the OpenAPI document', () => {
    for (const prefix of SURFACES) expect(routes.some((r) => r.path.startsWith(prefix)), prefix).toBe(true);
  });

  it('refuses the NUL and lone surrogate examples of the issue as 400, before any query', async () => {
    const cases: InjectOptions[] = [
      { method: 'POST', url: '/painel/api/auth/login', payload: { email: 'a\u0000@exemplo.com.br', senha: 'x' } },
      { method: 'POST', url: '/painel/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email":"a\\ud800@exemplo.com.br","senha":"x"}' },
      { method: 'POST', url: '/app/v1/recuperacao/%00/verificacao', headers: { 'x-app-id': fx.appId }, payload: { codigo: '123456' } },
      { method: 'GET', url: `/painel/api/clientes/${fx.clienteId}/logs?instancia=1&chaveUsuario=%00`, headers: { cookie: fx.painel.cookieHeader } },
      { method: 'GET', url: `/clientes/chavePasse/usuario?instanciaApp=1&chavePasse=%00&chaveFuncionalidade=x`, headers: { authorization: fx.clientToken } },
    ];
    for (const request of cases) {
      const response = await t.app.inject(request);
      expect(response.statusCode, `${request.url} → ${response.body}`).toBe(400);
    }
  });

  it(`bounds JSON nesting at ${MAX_JSON_DEPTH} levels before parsing`, async () => {
    const post = (payload: string) =>
      t.app.inject({ method: 'POST', url: '/painel/api/auth/login', headers: { 'content-type': 'application/json' }, payload, remoteAddress: '10.9.9.9' });
    const codeAt = async (depth: number) => (await post('['.repeat(depth) + ']'.repeat(depth))).json().error.code;
    expect(await codeAt(MAX_JSON_DEPTH)).toBe('VALIDATION_FAILED');
    expect(await codeAt(MAX_JSON_DEPTH + 1)).toBe('MALFORMED_REQUEST');
    expect(await codeAt(400_000)).toBe('MALFORMED_REQUEST');
    const inString = await post(JSON.stringify({ email: '['.repeat(10_000), senha: 'x' }));
    expect(inString.json().error.code, inString.body).toBe('VALIDATION_FAILED');
  });

  it('decides the error shape from the route, not from an absolute-form target', async () => {
    const tempAuth = await rawExchange(
      port,
      Buffer.from('POST http://ponte.test/clientes/auth/temp-authorization HTTP/1.1\r\nhost: ponte.test\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}'),
    );
    expect(tempAuth.status, tempAuth.head).toBe(401);
    expect(JSON.parse(tempAuth.body)).toEqual({ success: false, message: 'Invalid token.' });
    const dados = await rawExchange(
      port,
      Buffer.from('GET http://ponte.test/clientes/chavePasse/usuario?instanciaApp=1&chavePasse=x&chaveFuncionalidade=y HTTP/1.1\r\nhost: ponte.test\r\nauthorization: errado\r\nconnection: close\r\n\r\n'),
    );
    expect(dados.status, dados.head).toBe(401);
    expect(JSON.parse(dados.body)).toMatchObject({ status: false, statusCode: 401, data: [] });
  });

  it(`answers ${INJECTED_REQUESTS} generated requests without a 5xx`, async () => {
    const requests = fc.sample(requestArb(routes, fx), { seed: SEED, numRuns: INJECTED_REQUESTS });
    const failures: Failure[] = [];
    const statuses = new Map<number, number>();
    await pool(requests, CONCURRENCY, async (request, index) => {
      let response: LightMyRequestResponse;
      try {
        response = await t.app.inject({
          method: request.method as InjectOptions['method'],
          url: request.url,
          headers: request.headers,
          remoteAddress: request.remoteAddress,
          ...(request.payload !== undefined ? { payload: request.payload } : {}),
        });
      } catch (error) {
        failures.push({ index, request: describeRequest(request), status: 'exceção', body: String(error) });
        return;
      }
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
      if (response.statusCode >= 500) failures.push({ index, request: describeRequest(request), status: response.statusCode, body: response.body.slice(0, 500) });
    });
    console.log(`malformed-input: respostas por status ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
    expect(failures.length, failures.length > 0 ? firstFailure(failures, requests.length) : '').toBe(0);
    // Validation behind authentication was reached, not only the auth refusals.
    expect(statuses.get(400) ?? 0).toBeGreaterThan(INJECTED_REQUESTS / 10);
  }, GENERATED_RUN_TIMEOUT_MS);

  it('answers absolute-form targets and broken framing over a raw socket without a 5xx', async () => {
    const generated = fc.sample(requestArb(routes, fx), { seed: SEED + 1, numRuns: RAW_SOCKET_REQUESTS });
    const raw: { description: string; bytes: Buffer }[] = generated.map((request, index) => {
      const target = index % 4 === 3 ? request.url : `${index % 2 === 0 ? 'http' : 'https'}://ponte.test${index % 3 === 0 ? ':8080' : ''}${request.url}`;
      return { description: `${describeRequest(request)}\n  alvo: ${preview(target)}`, bytes: toRaw(request, target) };
    });
    const fixed = [
      'POST http://x/clientes/auth/temp-authorization HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}',
      `GET http://x/clientes/chavePasse/usuario?instanciaApp=1&chavePasse=x&chaveFuncionalidade=y HTTP/1.1\r\nhost: x\r\nauthorization: ${fx.clientToken}\r\nconnection: close\r\n\r\n`,
      'GET http://x/clientes/nao-existe HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n',
      'POST http://x/app/v1/recuperacao/%00/verificacao HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}',
      'OPTIONS * HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n',
      'OPTIONS http://x/clientes/chavePasse/usuario HTTP/1.1\r\nhost: x\r\norigin: https://evil.example\r\naccess-control-request-method: GET\r\nconnection: close\r\n\r\n',
      'GET /app/v1/recuperacao/%ZZ/verificacao HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n',
      `GET /painel/api/auth/sessao HTTP/1.1\r\nhost: x\r\nx-grande: ${'a'.repeat(20_000)}\r\nconnection: close\r\n\r\n`,
      'POST /painel/api/auth/login HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\ncontent-type: application/json\r\nconnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
      'POST /painel/api/auth/login HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\ncontent-length: 2\r\nconnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
      'GET /painel/api/auth/sessao\u0000 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n',
      'GET http://[::1/clientes HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n',
      'GET http:/clientes/auth/temp-authorization HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n',
    ].map((text) => ({ description: preview(text, 500), bytes: Buffer.from(text, 'latin1') }));
    const all = [...raw, ...fixed];
    const failures: Failure[] = [];
    let answered = 0;
    await pool(all, CONCURRENCY, async (request, index) => {
      const { status, head } = await rawExchange(port, request.bytes);
      if (status !== null) answered += 1;
      if (status !== null && status >= 500) failures.push({ index, request: request.description, status, body: head });
    });
    expect(failures.length, failures.length > 0 ? firstFailure(failures, all.length) : '').toBe(0);
    expect(answered).toBeGreaterThan(all.length / 2);
  }, 60_000);

  it('turns an operator answer nested 400 000 levels deep into a contract violation, never a 500', async () => {
    // 800 KB, under the 2 MiB an operator answer may have: the nesting is what gets tested. Inside
    // an otherwise valid login, where the contract accepts anything (`integracao`), it would pass
    // validation and blow up whatever serializes it next.
    const depth = 400_000;
    const deep = '['.repeat(depth) + ']'.repeat(depth);
    const login = validLogin() as { usuarioLogado: Record<string, unknown> };
    login.usuarioLogado.integracao = '@DEEP@';
    const deepLogin = JSON.stringify(login).replace('"@DEEP@"', deep);
    let answer = { status: 200, body: deepLogin };
    const operator: Server = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body));
    });
    await new Promise<void>((resolve) => operator.listen(0, '127.0.0.1', resolve));
    try {
      const cliente = await createCliente(t, 'Operadora aninhada');
      const admin = await loginAs(t, { platformAdmin: true });
      const base = `/painel/api/clientes/${cliente.id}/instancias/1`;
      const form = await t.app.inject({
        method: 'POST',
        url: `${base}/formularios`,
        headers: admin.headers,
        payload: { nome: 'Login', finalidade: 'login', campos: [{ nome: 'login', rotulo: 'CPF', tipo: 'cpf' }, { nome: 'senha', rotulo: 'Senha', tipo: 'senha' }] },
      });
      expect(form.statusCode, form.body).toBe(201);
      const operatorUrl = `http://127.0.0.1:${(operator.address() as AddressInfo).port}/login`;
      const saved = await t.app.inject({
        method: 'PUT',
        url: `${base}/integracao`,
        headers: admin.headers,
        payload: { baseUrl: null, grupoId: null, metodos: { login: { url: operatorUrl, formularioId: form.json().id } }, headers: [] },
      });
      expect(saved.statusCode, saved.body).toBe(200);
      const validate = () =>
        t.app.inject({ method: 'POST', url: `${base}/validador`, headers: admin.headers, payload: { metodo: 'login', entrada: { login: ana.cpf, senha: ana.senha } } });
      const appLogin = () =>
        t.app.inject({
          method: 'POST',
          url: '/app/v1/sessoes',
          headers: { 'x-app-id': cliente.instancias.find((i) => i.numero === 1)!.appId },
          payload: { campos: { login: ana.cpf, senha: ana.senha } },
        });
      const invalidJson = { aprovado: false, violacoes: [expect.objectContaining({ tipo: 'json_invalido' })] };

      for (const status of [200, 500]) {
        for (const body of [deepLogin, deep]) {
          answer = { status, body };
          // An operator fault, answered as one (422 or 502 by the outcome mapping), not INTERNAL.
          const app = await appLogin();
          expect(app.statusCode, app.body.slice(0, 500)).not.toBe(500);
          expect(app.json().error?.code, app.body.slice(0, 500)).not.toBe('INTERNAL');
          const report = await validate();
          expect(report.statusCode, report.body.slice(0, 500)).toBe(200);
          expect(report.json()).toMatchObject(invalidJson);
        }
      }
    } finally {
      await new Promise((resolve) => operator.close(resolve));
    }
  }, 60_000);

  it('is still healthy afterwards: /healthz and /readyz answer 200', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode, ready.body).toBe(200);
  });
});

describe('a client that goes away mid-request', () => {
  it('is logged at info, not as an unhandled error, and the node keeps serving', async () => {
    const lines: { level: number; msg: string }[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as { level: number; msg: string });
        callback();
      },
    });
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info' });
    const database = await openTestDatabase();
    const kv = openTestKv();
    const { app } = await buildApp({ config, database, kv, keyring: randomKeyring(), logger: createLogger(config, { destination }), clock: systemClock });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.address() as AddressInfo).port;
      const urls = ['/painel/api/auth/login', '/clientes/auth/temp-authorization'];
      for (const url of urls) {
        await new Promise<void>((resolve) => {
          const socket = connect(port, '127.0.0.1', () => {
            socket.write(`POST ${url} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"email":`);
            setTimeout(() => socket.destroy(), 50);
          });
          socket.on('close', () => resolve());
          socket.on('error', () => undefined);
        });
      }
      for (let attempt = 0; attempt < 100 && lines.filter((l) => l.msg === 'o cliente abandonou a requisição').length < urls.length; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(lines.filter((l) => l.msg === 'o cliente abandonou a requisição').map((l) => l.level)).toEqual(urls.map(() => 30));
      expect(lines.filter((l) => l.level >= 50 || l.msg === 'requisição falhou')).toEqual([]);
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
      await kv.close();
      await database.dispose();
    }
  }, 30_000);
});
