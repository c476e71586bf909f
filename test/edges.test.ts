import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from './support/infrastructure.ts';
import { createClientToken, createCliente } from './support/fixtures.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

const TEMP_AUTH = '/clientes/auth/temp-authorization';
const REQUEST_ID = /^req_[0-9a-f]{24}$/;

function requestIdOf(response: LightMyRequestResponse): string {
  const header = response.headers['x-request-id'];
  expect(header).toMatch(REQUEST_ID);
  return header as string;
}

/** The painel/app error body: `{ error: { code, message, requestId } }`, requestId equal to the header. */
function expectApiError(response: LightMyRequestResponse, status: number, code: string) {
  expect(response.statusCode).toBe(status);
  const body = response.json();
  expect(body).toEqual({ error: { code, message: expect.any(String), requestId: requestIdOf(response), ...(body.error?.details ? { details: expect.any(Array) } : {}) } });
  expect(body.error.message).not.toBe('');
  return body.error as { code: string; message: string; requestId: string; details?: unknown[] };
}

/** The `/clientes` failure envelope: the seed's six attributes only; the request id is in the header alone. */
/** temp-authorization's seed: "O erro sempre é retornado no status code 401", `{success:false, message}` — a bad body too. */
function expectTempAuthRefusal(response: LightMyRequestResponse) {
  expect(response.statusCode).toBe(401);
  expect(response.json()).toEqual({ success: false, message: 'Invalid token.' });
  requestIdOf(response);
}

function expectClientesFailure(response: LightMyRequestResponse, status: number) {
  expect(response.statusCode).toBe(status);
  const body = response.json();
  expect(Object.keys(body).sort()).toEqual(['critical', 'data', 'message', 'status', 'statusCode', 'timestamp']);
  requestIdOf(response);
  expect(body).toMatchObject({ status: false, data: [], statusCode: status });
  expect(Array.isArray(body.critical)).toBe(true);
  expect(Number.isInteger(body.timestamp)).toBe(true);
  return body as { message: string; critical: unknown[] };
}

describe('HTTP edges', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { PONTE_BODY_LIMIT_BYTES: '1024' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('request ids', () => {
    it('puts a fresh req_ id on every response, success or error', async () => {
      const responses = [
        await t.app.inject({ url: '/healthz' }),
        await t.app.inject({ method: 'POST', url: TEMP_AUTH }),
        await t.app.inject({ url: '/painel/api/clientes' }),
        await t.app.inject({ url: '/nao-existe' }),
        await t.app.inject({ method: 'POST', url: '/painel/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{' }),
      ];
      expect(responses.map((r) => r.statusCode)).toEqual([200, 401, 401, 404, 400]);
      const ids = responses.map(requestIdOf);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('ignores a request id sent by the caller', async () => {
      const response = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'req_forjado' } });
      expect(requestIdOf(response)).not.toBe('req_forjado');
    });

    it('answers the temp-auth 401 with the fixed seed body, id only in the header', async () => {
      const response = await t.app.inject({ method: 'POST', url: TEMP_AUTH, headers: { authorization: 'ptk_desconhecido' } });
      expect(response.statusCode).toBe(401);
      requestIdOf(response);
      expect(response.body).toBe('{"success":false,"message":"Invalid token."}');
    });
  });

  describe('error bodies', () => {
    it('painel errors carry error.requestId equal to the header', async () => {
      expectApiError(await t.app.inject({ url: '/painel/api/clientes' }), 401, 'UNAUTHENTICATED');
      const validation = expectApiError(
        await t.app.inject({ method: 'POST', url: '/painel/api/auth/login', payload: { email: 'nao-e-email', senha: '' } }),
        400,
        'VALIDATION_FAILED',
      );
      expect(validation.details?.length).toBeGreaterThan(0);
    });

    it('an unknown route is 404 ROUTE_NOT_FOUND', async () => {
      expectApiError(await t.app.inject({ url: '/nao-existe' }), 404, 'ROUTE_NOT_FOUND');
      expectApiError(await t.app.inject({ method: 'DELETE', url: '/healthz' }), 404, 'ROUTE_NOT_FOUND');
    });

    it('an unknown /clientes route answers the /clientes envelope, request id in the header', async () => {
      const body = expectClientesFailure(await t.app.inject({ method: 'POST', url: '/clientes/nao-existe' }), 404);
      expect(body.message).toBe((await t.app.inject({ url: '/nao-existe' })).json().error.message);
    });

    it('a /clientes rate limit answers 429 in the envelope with Retry-After, request id in the header', async () => {
      // Its own address, so the other tests' failures do not count against it.
      const remoteAddress = '203.0.113.7';
      // Temp-authorization keeps the seed's 401 past the limit (only adding Retry-After); the data API says 429.
      const url = '/clientes/chavePasse/usuario?instanciaApp=1&chavePasse=x&chaveFuncionalidade=y';
      for (let i = 0; i < t.config.authFailuresPerIp; i++) {
        const failed = await t.app.inject({ method: 'GET', url, remoteAddress, headers: { authorization: `ptk_errado_${i}` } });
        expect(failed.statusCode).toBe(401);
      }
      const response = await t.app.inject({ method: 'GET', url, remoteAddress, headers: { authorization: 'ptk_mais_um' } });
      expectClientesFailure(response, 429);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    });
  });

  describe('request bodies', () => {
    const oversized = JSON.stringify({ email: 'pessoa@exemplo.com.br', senha: 'x'.repeat(2048) });

    it('a body over PONTE_BODY_LIMIT_BYTES is 413 PAYLOAD_TOO_LARGE', async () => {
      expect(t.config.bodyLimitBytes).toBe(1024);
      const headers = { 'content-type': 'application/json' };
      expectApiError(await t.app.inject({ method: 'POST', url: '/painel/api/auth/login', headers, payload: oversized }), 413, 'PAYLOAD_TOO_LARGE');
      expectTempAuthRefusal(await t.app.inject({ method: 'POST', url: TEMP_AUTH, headers, payload: oversized }));
    });

    it('a body just under the limit is parsed (the limit is the configured one, not a smaller one)', async () => {
      const payload = JSON.stringify({ email: 'nao-e-email', senha: 'x'.repeat(900) });
      expect(Buffer.byteLength(payload)).toBeLessThan(1024);
      expectApiError(await t.app.inject({ method: 'POST', url: '/painel/api/auth/login', headers: { 'content-type': 'application/json' }, payload }), 400, 'VALIDATION_FAILED');
    });

    it('invalid JSON is 400 MALFORMED_REQUEST', async () => {
      const headers = { 'content-type': 'application/json' };
      expectApiError(await t.app.inject({ method: 'POST', url: '/painel/api/auth/login', headers, payload: '{"email":' }), 400, 'MALFORMED_REQUEST');
      expectTempAuthRefusal(await t.app.inject({ method: 'POST', url: TEMP_AUTH, headers, payload: '{"a":' }));
    });

    it('a text/plain body on a JSON route is 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      const headers = { 'content-type': 'text/plain' };
      const payload = JSON.stringify({ email: 'pessoa@exemplo.com.br', senha: 'senha-qualquer' });
      expectApiError(await t.app.inject({ method: 'POST', url: '/painel/api/auth/login', headers, payload }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectTempAuthRefusal(await t.app.inject({ method: 'POST', url: TEMP_AUTH, headers, payload: 'texto' }));
    });

    it('an empty JSON body on temp-authorization is no body at all (the seed sends one)', async () => {
      const cliente = await createCliente(t);
      const { plaintext } = await createClientToken(t, cliente.id);
      const response = await t.app.inject({ method: 'POST', url: TEMP_AUTH, headers: { authorization: plaintext, 'content-type': 'application/json' }, payload: '' });
      expect(response.statusCode).toBe(200);
      requestIdOf(response);
    });
  });

  describe('operations', () => {
    it('/healthz is 200 {status:"ok"}', async () => {
      const response = await t.app.inject({ url: '/healthz' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ok' });
    });

    it('/readyz is 200 with the database kind', async () => {
      const response = await t.app.inject({ url: '/readyz' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ok', database: t.database.kind, kv: 'ok' });
    });

    it('/metrics is Prometheus text with the request duration histogram per route', async () => {
      await t.app.inject({ url: '/healthz' });
      const response = await t.app.inject({ url: '/metrics' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(response.body).toContain('# TYPE ponte_http_request_duration_seconds histogram');
      expect(response.body).toMatch(/^ponte_http_request_duration_seconds_count\{[^}]*route="\/healthz"[^}]*status="200"[^}]*\} [1-9]\d*$/m);
    });

    it('/docs serves the interactive HTML page', async () => {
      const response = await t.app.inject({ url: '/docs' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('<div id="swagger-ui">');
    });

    it('/docs/json is OpenAPI 3.1 and documents exactly the routes the app serves', async () => {
      const response = await t.app.inject({ url: '/docs/json' });
      expect(response.statusCode).toBe(200);
      const document = response.json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
      expect(document.openapi).toBe('3.1.0');

      const documented = Object.entries(document.paths)
        .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
        .sort();
      const served = servedRoutes(t.app.printRoutes({ commonPrefix: false }))
        // HEAD mirrors GET; `OPTIONS /clientes/*` is the CORS preflight answer (origens/clientes-cors.ts);
        // /docs, the painel's web UI (/painel, its files and SPA fallback — not /painel/api), the demo app (/demo), the
        // redirect of / to the painel and the favicon are pages, not API.
        .filter(({ path, method }) => method !== 'HEAD' && !(method === 'OPTIONS' && (path === '*' || path === '/*' || path === '/clientes/*')) && path !== '/docs' && !path.startsWith('/docs/'))
        .filter(({ path }) => path !== '/painel' && !(path.startsWith('/painel/') && !path.startsWith('/painel/api/')) && path !== '/demo' && path !== '/demo/')
        .filter(({ path }) => path !== '/' && path !== '/favicon.ico')
        // The embed SDK's frame page and its script are pages, not API (chave-auth/embed.routes.ts).
        .filter(({ path }) => path !== '/sdk/v1/frame' && path !== '/sdk/v1/frame.js')
        .map(({ path, method }) => `${method} ${path.replace(/:(\w+)/g, '{$1}')}`)
        .sort();
      // Guards the parser below: if it read nothing, the comparison would prove nothing.
      expect(served).toContain(`POST ${TEMP_AUTH}`);
      expect(served).toContain('DELETE /painel/api/clientes/{clienteId}/tokens/{tokenId}');
      expect(documented).toEqual(served);
    });

    it('every API operation declares the 503 an outage of the database or the key-value store answers', async () => {
      const document = (await t.app.inject({ url: '/docs/json' })).json() as { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };
      const missing = Object.entries(document.paths)
        .filter(([path]) => path.startsWith('/clientes') || path.startsWith('/app/') || path.startsWith('/painel/api/'))
        .flatMap(([path, operations]) => Object.entries(operations).filter(([, op]) => !op.responses?.['503']).map(([method]) => `${method.toUpperCase()} ${path}`));
      expect(missing).toEqual([]);
    });
  });
});

/**
 * Every (method, path) in Fastify's route tree as `printRoutes({ commonPrefix: false })` draws it:
 * one node per line, four characters of indentation per level, its methods in parentheses.
 */
function servedRoutes(tree: string): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  const pathAtDepth: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([^)]*)\))?$/.exec(line.trimEnd());
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = `${depth > 0 ? pathAtDepth[depth - 1] : ''}${match[2]}`;
    pathAtDepth[depth] = path;
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim()).filter(Boolean)) routes.push({ method, path });
  }
  return routes;
}

describe('HTTP edges when the database is gone', () => {
  let database: TestDatabase;
  let t: TestApp;
  beforeAll(async () => {
    database = await openTestDatabase();
    t = await createTestApp({ database });
    // Closed under the running app: every query from now on fails, as when the server is down.
    await database.close();
  });
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('/readyz is 503 naming the unreachable database, with a request id', async () => {
    const response = await t.app.inject({ url: '/readyz' });
    expect(response.statusCode).toBe(503);
    requestIdOf(response);
    expect(response.json()).toEqual({ status: 'indisponivel', database: 'indisponivel', kv: 'ok' });
  });

  it('/healthz still answers 200: the process is up', async () => {
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });

  it('a failing /clientes call is 500 in the envelope, request id in the header', async () => {
    // Well-formed, so it is looked up (a malformed one is refused without the database).
    const body = expectClientesFailure(await t.app.inject({ method: 'POST', url: TEMP_AUTH, headers: { authorization: `ptk_${'a'.repeat(43)}` } }), 500);
    expect(body.critical).toEqual([]);
  });

  it('a failing painel call is 500 INTERNAL with error.requestId', async () => {
    expectApiError(await t.app.inject({ url: '/painel/api/clientes', headers: { cookie: 'ponte_sessao=qualquer' } }), 500, 'INTERNAL');
  });
});
