import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliente, loginAs } from './support/fixtures.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

/**
 * Who may call what, over every route of the painel API — discovered from the app's own OpenAPI
 * document, so a new route is covered the day it is added:
 *
 * - no session → 401 on every route but the public ones (login, invitation links, "esqueci minha
 *   senha"), which answer an empty body with 400;
 * - another cliente's admin → 404 on every route under `/clientes/{clienteId}`, read or write;
 * - a leitor → 403 on every write under `/clientes/{clienteId}` (except the dry runs below);
 * - a write outside any cliente and outside one's own session is platform-level → 403 for a
 *   cliente admin.
 *
 * The refusals come before the body is read (see painel-guard.ts), so every request here sends an
 * empty object: a 400 instead of a 403/404 would mean a route validates before it authorizes.
 */

type Route = { method: string; path: string };
type Session = Awaited<ReturnType<typeof loginAs>>;

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const CLIENTE_PREFIX = '/painel/api/clientes/{clienteId}';
/**
 * Routes anyone may call (the guard lets them through as `config.publica`; the login is outside
 * it). Listed on purpose: a new one must be added knowingly, and the test checks each still exists.
 */
const PUBLIC_ROUTES = new Set([
  'POST /painel/api/auth/login',
  'POST /painel/api/auth/senha/esqueci',
  'POST /painel/api/auth/senha/redefinir',
  'POST /painel/api/convites/consultar',
  'POST /painel/api/convites/aceitar',
]);

/**
 * Writes that change nothing — a leitor may call them (route `config.leitorPode`). Listed here on
 * purpose: a new one must be added knowingly, and the test checks each still exists.
 */
/** Reads of a cliente that only platform admins may make, whatever their role in it. */
const PLATFORM_ONLY_READS = new Set(['GET /painel/api/clientes/{clienteId}/instancias/{instancia}/mensagens']);

const DRY_RUNS = new Set([
  'POST /painel/api/clientes/{clienteId}/instancias/{instancia}/formularios/testar',
  'POST /painel/api/clientes/{clienteId}/instancias/{instancia}/formularios/{formularioId}/testar',
]);

const key = (route: Route) => `${route.method} ${route.path}`;

/** A concrete URL: the cliente under test, Sandbox, and ids that exist nowhere (refusals come first). */
function urlOf(route: Route, clienteId: string): string {
  return route.path.replace(/\{(\w+)\}/g, (_match, name: string) => (name === 'clienteId' ? clienteId : name === 'instancia' ? '1' : `${name}_inexistente`));
}

describe('painel API permissions, route by route', () => {
  let t: TestApp;
  let routes: Route[];
  let publicRoutes: Route[];
  let clienteId: string;
  let leitor: Session;
  let clienteAdmin: Session;
  let intruder: Session;

  beforeAll(async () => {
    t = await createTestApp();
    const document = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const all = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/painel/api/'))
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path })))
      .filter((route) => route.method !== 'HEAD');
    routes = all.filter((route) => !PUBLIC_ROUTES.has(key(route)));
    publicRoutes = all.filter((route) => PUBLIC_ROUTES.has(key(route)));
    clienteId = (await createCliente(t, 'Alvo')).id;
    leitor = await loginAs(t, { clienteId, role: 'leitor' });
    clienteAdmin = await loginAs(t, { clienteId, role: 'admin' });
    intruder = await loginAs(t, { clienteId: (await createCliente(t, 'Outra')).id, role: 'admin' });
  });
  afterAll(async () => {
    await t.close();
  });

  const clienteRoutes = () => routes.filter((r) => r.path.startsWith(CLIENTE_PREFIX));
  const clienteWrites = () => clienteRoutes().filter((r) => WRITE_METHODS.has(r.method));
  const platformWrites = () => routes.filter((r) => WRITE_METHODS.has(r.method) && !r.path.startsWith(CLIENTE_PREFIX) && !r.path.startsWith('/painel/api/auth/'));

  function call(route: Route, session: Session | undefined): Promise<LightMyRequestResponse> {
    const write = WRITE_METHODS.has(route.method);
    const options: InjectOptions = {
      method: route.method as InjectOptions['method'],
      url: urlOf(route, clienteId),
      headers: session ? (write ? session.headers : { cookie: session.cookieHeader }) : {},
      ...(write && route.method !== 'DELETE' ? { payload: {} } : {}),
    };
    return t.app.inject(options);
  }

  /** Every route's answer, compared as one table so a failure names each route that is wrong. */
  async function answers(selected: Route[], session: Session | undefined) {
    const table: Record<string, string> = {};
    for (const route of selected) {
      const response = await call(route, session);
      // A CSV export answers text (with a BOM for spreadsheets), not JSON: only errors carry a code.
      const code = response.headers['content-type']?.toString().includes('json') ? (response.json()?.error?.code ?? '') : '';
      table[key(route)] = `${response.statusCode} ${code}`.trim();
    }
    return table;
  }
  const expecting = (selected: Route[], answer: string) => Object.fromEntries(selected.map((r) => [key(r), answer]));

  it('discovers the painel routes from the OpenAPI document', () => {
    expect(clienteWrites().length).toBeGreaterThan(15);
    expect(routes.map(key)).toEqual(expect.arrayContaining(['GET /painel/api/clientes/{clienteId}/usuarios', 'PUT /painel/api/clientes/{clienteId}/usuarios/{usuarioId}/papel', 'POST /painel/api/clientes']));
    for (const dryRun of DRY_RUNS) expect(routes.map(key)).toContain(dryRun);
  });

  it('no session: 401 UNAUTHENTICATED on every route but the public ones', async () => {
    expect(await answers(routes, undefined)).toEqual(expecting(routes, '401 UNAUTHENTICATED'));
  });

  it('the public routes exist and answer without a session: an empty body is a 400, never a 401 or 403', async () => {
    expect(publicRoutes.map(key).sort()).toEqual([...PUBLIC_ROUTES].sort());
    expect(await answers(publicRoutes, undefined)).toEqual(expecting(publicRoutes, '400 VALIDATION_FAILED'));
    // With some cliente admin's session they answer the same: a public route reads no cliente.
    expect(await answers(publicRoutes, intruder)).toEqual(expecting(publicRoutes, '400 VALIDATION_FAILED'));
  });

  it('another cliente’s admin: 404 NOT_FOUND on every route of the cliente, read and write', async () => {
    expect(await answers(clienteRoutes(), intruder)).toEqual(expecting(clienteRoutes(), '404 NOT_FOUND'));
  });

  it('leitor: 403 FORBIDDEN on every write of the cliente, whatever the body', async () => {
    const writes = clienteWrites().filter((r) => !DRY_RUNS.has(key(r)));
    expect(await answers(writes, leitor)).toEqual(expecting(writes, '403 FORBIDDEN'));
  });

  it('leitor: the dry runs are open to them (refused only for the body or a missing form, never for the papel)', async () => {
    const dryRuns = clienteWrites().filter((r) => DRY_RUNS.has(key(r)));
    const table = await answers(dryRuns, leitor);
    for (const [route, answer] of Object.entries(table)) expect({ route, answer }).toEqual({ route, answer: expect.stringMatching(/^(200|400 VALIDATION_FAILED|404 NOT_FOUND)$/) });
  });

  it('the cliente’s own admin passes every role check of the cliente (never 401 nor 403) but the platform-only reads', async () => {
    const table = await answers(clienteRoutes().filter((r) => !PLATFORM_ONLY_READS.has(key(r))), clienteAdmin);
    for (const [route, answer] of Object.entries(table)) expect({ route, answer }).toEqual({ route, answer: expect.not.stringMatching(/^(401|403)/) });
  });

  it('platform-only reads of a cliente (the development outbox: codes and painel links): 403 FORBIDDEN for the cliente admin and leitor', async () => {
    const reads = clienteRoutes().filter((r) => PLATFORM_ONLY_READS.has(key(r)));
    expect(reads.map(key)).toEqual([...PLATFORM_ONLY_READS]);
    expect(await answers(reads, clienteAdmin)).toEqual(expecting(reads, '403 FORBIDDEN'));
    expect(await answers(reads, leitor)).toEqual(expecting(reads, '403 FORBIDDEN'));
  });

  it('platform-level writes: 403 FORBIDDEN for a cliente admin', async () => {
    expect(platformWrites().map(key)).toContain('POST /painel/api/clientes');
    expect(await answers(platformWrites(), clienteAdmin)).toEqual(expecting(platformWrites(), '403 FORBIDDEN'));
  });
});
