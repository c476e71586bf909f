import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliente, loginAs } from '../../../test/support/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { systemClock } from '../../platform/clock.ts';
import { createOutboundClient } from '../../platform/http-client/http-client.ts';
import { parseCidrList } from '../../platform/http-client/ssrf-guard.ts';
import { seedPeople } from '../../simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator, type OperatorSimulatorOptions } from '../../simulator/simulator.ts';
import type { OutboundOutcome, SegurancaPair } from './outbound.service.ts';

/**
 * The outbound engine end to end: a real Ponte app (painel API to configure, `services.outbound`
 * to call) against real operator simulators over loopback. What the operator receives is read at
 * the operator side (`calls().login.lastHeaders`), never from Ponte's own account of it.
 */

const ana = seedPeople[0]!;
const anaLogin = { login: ana.cpf, senha: ana.senha };
const JWT = /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/;
/** Headers the HTTP client itself sends on every call; everything else comes from the three sources. */
const TRANSPORT_HEADERS = new Set(['host', 'connection', 'content-length', 'content-type', 'accept']);

type HeaderInput = { nome: string; valor?: string; secreto?: boolean };
type Painel = { t: TestApp; headers: Record<string, string> };

async function painelOf(t: TestApp): Promise<Painel> {
  return { t, headers: (await loginAs(t, { platformAdmin: true })).headers };
}

/** A new cliente whose instância has an integração (and optionally a grupo) saved through the painel API. */
async function configure(
  p: Painel,
  options: { baseUrl: string; instancia?: 1 | 2; headers?: HeaderInput[]; grupoAt?: OperatorSimulator; timeoutMs?: number },
): Promise<{ clienteId: string }> {
  const clienteId = (await createCliente(p.t)).id;
  const instancia = options.instancia ?? 1;
  let grupoId: string | null = null;
  if (options.grupoAt) {
    const created = await p.t.app.inject({
      method: 'POST',
      url: `/painel/api/clientes/${clienteId}/instancias/${instancia}/grupos`,
      headers: p.headers,
      payload: { nome: 'Grupo', url: `${options.grupoAt.url}/autorizacao`, usuario: 'demo', senha: 'demo' },
    });
    expect(created.statusCode, created.body).toBe(201);
    grupoId = created.json().id;
  }
  const saved = await p.t.app.inject({
    method: 'PUT',
    url: `/painel/api/clientes/${clienteId}/instancias/${instancia}/integracao`,
    headers: p.headers,
    payload: { baseUrl: options.baseUrl, grupoId, metodos: {}, headers: options.headers ?? [], ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) },
  });
  expect(saved.statusCode, saved.body).toBe(200);
  return { clienteId };
}

const callLogin = (t: TestApp, clienteId: string, extra: { seguranca?: SegurancaPair[]; instancia?: 1 | 2 } = {}) =>
  t.services.outbound.call({ clienteId, instancia: extra.instancia ?? 1, method: 'login', body: anaLogin, seguranca: extra.seguranca });

/** The headers the operator received, minus the ones the HTTP client always sends. */
function receivedHeaders(sim: OperatorSimulator): Record<string, unknown> {
  const last = sim.calls().login.lastHeaders;
  if (!last) throw new Error('the simulator received no login call');
  return Object.fromEntries(Object.entries(last).filter(([name]) => !TRANSPORT_HEADERS.has(name)));
}

async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A TCP listener on every local address that only counts connections: proof that nothing got through. */
async function connectionTrap(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server: Server = createTcpServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '::', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}


/**
 * A host name (not `localhost`, which is refused by name) that this machine resolves to a
 * loopback address: the machine's own name, as in containers and CI here.
 */
async function nameResolvingToLoopback(): Promise<string> {
  const name = hostname();
  const { address } = await lookup(name);
  if (!address.startsWith('127.') && address !== '::1') throw new Error(`this test needs ${name} to resolve to loopback (got ${address})`);
  return name;
}

describe('outbound engine end to end', () => {
  let t: TestApp;
  let painel: Painel;
  const sims: OperatorSimulator[] = [];
  const simulator = async (options: OperatorSimulatorOptions = {}) => {
    const sim = await createOperatorSimulator({ port: 0, ...options });
    sims.push(sim);
    return sim;
  };

  beforeAll(async () => {
    t = await createTestApp();
    painel = await painelOf(t);
  });
  afterAll(async () => {
    await Promise.all(sims.map((s) => s.close()));
    await t?.close();
  });

  describe('header composition, read at the operator side', () => {
    // `estrito` checks the grupo headers it issued (so a success proves the grupo pair arrived
    // intact); `livre` accepts calls without them, for combinations without a grupo or where
    // seguranca deliberately overrides a grupo header.
    let estrito: OperatorSimulator;
    let livre: OperatorSimulator;
    const PASSADO = Date.now() - 60_000;
    const FUTURO = Date.now() + 3_600_000;
    const SEGREDO = 'segredo-estatico-7c1e5a';

    beforeAll(async () => {
      estrito = await simulator();
      livre = await simulator({ requireGrupo: false });
    });

    type Case = {
      nome: string;
      sim: 'estrito' | 'livre';
      estatico: HeaderInput[];
      grupo: boolean;
      seguranca: SegurancaPair[];
      esperado: Record<string, unknown>;
    };

    const estaticos: HeaderInput[] = [
      { nome: 'X-Estatico', valor: 'valor-estatico' },
      { nome: 'X-Chave-Api', valor: SEGREDO, secreto: true },
    ];
    const deEstaticos = { 'x-estatico': 'valor-estatico', 'x-chave-api': SEGREDO };
    const deGrupo = { 'x-operadora-token': expect.stringMatching(JWT), 'x-operadora-cliente': 'ponte-demo' };

    const cases: Case[] = [
      { nome: 'no source', sim: 'livre', estatico: [], grupo: false, seguranca: [], esperado: {} },
      { nome: 'static only (a secret one sent with its real value)', sim: 'livre', estatico: estaticos, grupo: false, seguranca: [], esperado: deEstaticos },
      { nome: 'grupo only', sim: 'estrito', estatico: [], grupo: true, seguranca: [], esperado: deGrupo },
      {
        nome: 'seguranca only (expired pair not sent, pair without expiracao sent)',
        sim: 'livre',
        estatico: [],
        grupo: false,
        seguranca: [
          { chave: 'X-Sessao-Operadora', token: 'sessao-valida', expiracao: FUTURO },
          { chave: 'x-sem-expiracao', token: 'sem-expiracao' },
          { chave: 'X-Expirado', token: 'expirado', expiracao: PASSADO },
        ],
        esperado: { 'x-sessao-operadora': 'sessao-valida', 'x-sem-expiracao': 'sem-expiracao' },
      },
      {
        nome: 'static + grupo, clash in another case: grupo wins',
        sim: 'estrito',
        estatico: [...estaticos, { nome: 'X-OPERADORA-CLIENTE', valor: 'do-estatico' }],
        grupo: true,
        seguranca: [],
        esperado: { ...deEstaticos, ...deGrupo },
      },
      {
        nome: 'static + seguranca, clash: seguranca wins; an expired seguranca pair leaves the static value',
        sim: 'livre',
        estatico: [...estaticos, { nome: 'X-Compartilhado', valor: 'do-estatico' }, { nome: 'X-Velho', valor: 'do-estatico' }],
        grupo: false,
        seguranca: [
          { chave: 'x-compartilhado', token: 'da-seguranca', expiracao: FUTURO },
          { chave: 'X-VELHO', token: 'expirado', expiracao: PASSADO },
        ],
        esperado: { ...deEstaticos, 'x-compartilhado': 'da-seguranca', 'x-velho': 'do-estatico' },
      },
      {
        nome: 'grupo + seguranca, clash: seguranca wins',
        sim: 'livre',
        estatico: [],
        grupo: true,
        seguranca: [
          { chave: 'X-Operadora-Cliente', token: 'da-seguranca' },
          { chave: 'x-sessao-operadora', token: 'sessao', expiracao: FUTURO },
        ],
        esperado: { ...deGrupo, 'x-operadora-cliente': 'da-seguranca', 'x-sessao-operadora': 'sessao' },
      },
      {
        nome: 'all three, three-way and two-way clashes: seguranca > grupo > static',
        sim: 'livre',
        estatico: [...estaticos, { nome: 'x-operadora-cliente', valor: 'do-estatico' }, { nome: 'X-Compartilhado', valor: 'do-estatico' }],
        grupo: true,
        seguranca: [
          { chave: 'X-OPERADORA-CLIENTE', token: 'da-seguranca', expiracao: FUTURO },
          { chave: 'x-compartilhado', token: 'da-seguranca' },
          { chave: 'X-Sessao-Operadora', token: 'sessao', expiracao: FUTURO },
          { chave: 'x-expirado', token: 'expirado', expiracao: PASSADO },
        ],
        esperado: { ...deEstaticos, ...deGrupo, 'x-operadora-cliente': 'da-seguranca', 'x-compartilhado': 'da-seguranca', 'x-sessao-operadora': 'sessao' },
      },
      {
        nome: 'all three, the seguranca pair for a grupo name expired: grupo wins over static',
        sim: 'estrito',
        estatico: [...estaticos, { nome: 'X-Operadora-Cliente', valor: 'do-estatico' }],
        grupo: true,
        seguranca: [
          { chave: 'x-operadora-cliente', token: 'expirado', expiracao: PASSADO },
          { chave: 'x-sessao-operadora', token: 'sessao', expiracao: FUTURO },
        ],
        esperado: { ...deEstaticos, ...deGrupo, 'x-sessao-operadora': 'sessao' },
      },
    ];

    it.each(cases)('$nome', async (c) => {
      const sim = c.sim === 'estrito' ? estrito : livre;
      const { clienteId } = await configure(painel, { baseUrl: `${sim.url}/api`, headers: c.estatico, ...(c.grupo ? { grupoAt: sim } : {}) });
      const before = sim.calls().login.count;

      const outcome = await callLogin(t, clienteId, { seguranca: c.seguranca });

      expect(outcome.kind).toBe('sucesso');
      expect(sim.calls().login.count).toBe(before + 1);
      // Exactly these headers and values: a name sent twice would arrive joined ("a, b").
      expect(receivedHeaders(sim)).toEqual(c.esperado);
      expect(sim.calls().login.lastHeaders?.['content-type']).toBe('application/json');
    });

    it('the body is always sent as JSON: a configured Content-Type or Accept, in any case and from any source, does not replace it', async () => {
      const { clienteId } = await configure(painel, {
        baseUrl: livre.url,
        headers: [
          { nome: 'Content-Type', valor: 'text/plain' },
          { nome: 'ACCEPT', valor: 'text/xml' },
        ],
      });
      expect((await callLogin(t, clienteId, { seguranca: [{ chave: 'content-TYPE', token: 'text/html' }] })).kind).toBe('sucesso');
      // Sent twice, Node would keep the first Content-Type and join the Accepts ("text/xml, application/json").
      expect(livre.calls().login.lastHeaders).toMatchObject({ 'content-type': 'application/json', accept: 'application/json' });
    });

    it('a secret static header is sent with its real value but never returned by GET integração', async () => {
      const { clienteId } = await configure(painel, { baseUrl: `${livre.url}/api`, headers: estaticos });
      await callLogin(t, clienteId);
      expect(livre.calls().login.lastHeaders?.['x-chave-api']).toBe(SEGREDO);

      const read = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${clienteId}/instancias/1/integracao`, headers: { cookie: painel.headers.cookie! } });
      expect(read.statusCode).toBe(200);
      expect(read.json().headers).toEqual([
        { nome: 'X-Estatico', secreto: false, valor: 'valor-estatico' },
        { nome: 'X-Chave-Api', secreto: true, valor: null },
      ]);
      expect(read.body).not.toContain(SEGREDO);
    });
  });

  describe('SSRF: produção refuses internal and special targets, with a message saying why', () => {
    let ssrf: TestApp;
    let ssrfPainel: Painel;
    let trap: Awaited<ReturnType<typeof connectionTrap>>;
    // The production policy: no allowlist at all.
    const strictClient = createOutboundClient({
      allowlist: parseCidrList('none'),
      clock: systemClock,
      maxConcurrentPerOrigin: 4,
      maxQueuedPerOrigin: 4,
      breaker: { failureThreshold: 5, openMs: 30_000 },
    });

    beforeAll(async () => {
      ssrf = await createTestApp({ env: { PONTE_OUTBOUND_ALLOWLIST: 'none' } });
      ssrfPainel = await painelOf(ssrf);
      trap = await connectionTrap();
    });
    afterAll(async () => {
      await strictClient.close();
      await ssrf?.close();
      await trap?.close();
    });

    // Local targets use the trap's port: had any of them been connected to, the trap would count it.
    const targets = (port: number): { alvo: string; url: string; porque: RegExp }[] => [
      { alvo: 'http:// in produção', url: 'http://operadora.example.com/', porque: /em Produção a URL deve usar https:\/\// },
      { alvo: '127.0.0.1', url: `https://127.0.0.1:${port}/`, porque: /127\.0\.0\.1 .*\(loopback\)/ },
      { alvo: '127.1.2.3', url: `https://127.1.2.3:${port}/`, porque: /127\.1\.2\.3 .*\(loopback\)/ },
      { alvo: '127.1 (short form)', url: `https://127.1:${port}/`, porque: /\(loopback\)/ },
      { alvo: '[::1]', url: `https://[::1]:${port}/`, porque: /::1 .*\(loopback\)/ },
      { alvo: '0.0.0.0', url: `https://0.0.0.0:${port}/`, porque: /não especificado/ },
      { alvo: '[::]', url: `https://[::]:${port}/`, porque: /não especificado/ },
      { alvo: '10.0.0.1', url: 'https://10.0.0.1/', porque: /10\.0\.0\.1 .*RFC 1918/ },
      { alvo: '172.16.5.4', url: 'https://172.16.5.4/', porque: /RFC 1918/ },
      { alvo: '192.168.1.1', url: 'https://192.168.1.1/', porque: /RFC 1918/ },
      { alvo: '100.64.0.1 (CGNAT)', url: 'https://100.64.0.1/', porque: /CGNAT/ },
      { alvo: '169.254.169.254 (cloud metadata)', url: 'https://169.254.169.254/', porque: /link-local.*metadados/ },
      { alvo: '169.254.1.1', url: 'https://169.254.1.1/', porque: /link-local/ },
      { alvo: '[fe80::1]', url: 'https://[fe80::1]/', porque: /link-local/ },
      { alvo: '[fc00::1]', url: 'https://[fc00::1]/', porque: /rede privada IPv6/ },
      { alvo: '[::ffff:127.0.0.1] (IPv4-mapped)', url: `https://[::ffff:127.0.0.1]:${port}/`, porque: /127\.0\.0\.1 .*\(loopback\)/ },
      { alvo: '[::ffff:10.0.0.1] (IPv4-mapped)', url: 'https://[::ffff:10.0.0.1]/', porque: /10\.0\.0\.1 .*RFC 1918/ },
      { alvo: '[::7f00:1] (IPv4-compatible)', url: `https://[::7f00:1]:${port}/`, porque: /IPv4 compatível em IPv6/ },
      { alvo: '[::a00:1] (IPv4-compatible)', url: 'https://[::a00:1]/', porque: /IPv4 compatível em IPv6/ },
      { alvo: '224.0.0.1 (multicast)', url: 'https://224.0.0.1/', porque: /multicast/ },
      { alvo: '255.255.255.255 (broadcast)', url: 'https://255.255.255.255/', porque: /broadcast/ },
      { alvo: '192.0.2.1 (TEST-NET)', url: 'https://192.0.2.1/', porque: /reservada/ },
      // Decimal and hex IPv4 forms: refused, whatever the reason given.
      { alvo: 'decimal 2130706433', url: `https://2130706433:${port}/`, porque: /./ },
      { alvo: 'hex 0x7f000001', url: `https://0x7f000001:${port}/`, porque: /./ },
      { alvo: 'credentials in the URL', url: 'https://usuario:senha@operadora.example.com/', porque: /não pode conter usuário ou senha/ },
    ];

    it('has at least 20 targets', () => {
      expect(targets(1).length).toBeGreaterThanOrEqual(20);
    });

    it('refuses each target when the integração is SAVED (baseUrl and a method’s own URL): 400, field and reason', async () => {
      const { id: clienteId } = await createCliente(ssrf);
      const put = (payload: object) =>
        ssrf.app.inject({ method: 'PUT', url: `/painel/api/clientes/${clienteId}/instancias/2/integracao`, headers: ssrfPainel.headers, payload });
      for (const target of targets(trap.port)) {
        for (const [field, payload] of [
          ['baseUrl', { baseUrl: target.url, grupoId: null, metodos: {}, headers: [] }],
          ['metodos.login.url', { baseUrl: null, grupoId: null, metodos: { login: { url: `${target.url}login` } }, headers: [] }],
        ] as const) {
          const response = await put(payload);
          expect({ alvo: target.alvo, field, status: response.statusCode, code: response.json().error?.code }).toEqual({
            alvo: target.alvo,
            field,
            status: 400,
            code: 'VALIDATION_FAILED',
          });
          const details = response.json().error.details as { field: string; message: string }[];
          expect(details.map((d) => d.field), target.alvo).toEqual([field]);
          expect(details[0]!.message, target.alvo).toMatch(/^URL recusada: /);
          expect(details[0]!.message, target.alvo).toMatch(target.porque);
        }
      }
      const read = await ssrf.app.inject({ method: 'GET', url: `/painel/api/clientes/${clienteId}/instancias/2/integracao`, headers: { cookie: ssrfPainel.headers.cookie! } });
      expect(read.json().configurada).toBe(false);
      expect(trap.connections()).toBe(0);
    });

    it('refuses each target when CALLING, before any connection (production policy, https required)', async () => {
      for (const target of targets(trap.port)) {
        const result = await strictClient.call({ url: `${target.url}login`, headers: {}, body: anaLogin, timeoutMs: 2_000, maxResponseBytes: 1024, requireHttps: true });
        expect({ alvo: target.alvo, kind: result.kind, reason: result.kind === 'failure' ? result.reason : undefined }).toEqual({
          alvo: target.alvo,
          kind: 'failure',
          reason: 'url_bloqueada',
        });
        if (result.kind !== 'failure') continue;
        expect(result.message, target.alvo).toMatch(/^URL recusada: /);
        expect(result.message, target.alvo).toMatch(target.porque);
      }
      expect(trap.connections()).toBe(0);
    });

    it('`localhost` is refused when saved, and any other name resolving to loopback at connect time', async () => {
      // `localhost` is loopback by definition (RFC 6761): refused up front, like an IP literal.
      const saved = await ssrf.app.inject({
        method: 'PUT',
        url: `/painel/api/clientes/${(await createCliente(ssrf)).id}/instancias/2/integracao`,
        headers: ssrfPainel.headers,
        payload: { baseUrl: `https://localhost:${trap.port}`, grupoId: null, metodos: {}, headers: [] },
      });
      expect(saved.statusCode).toBe(400);
      expect(saved.json().error.details).toEqual([{ field: 'baseUrl', message: expect.stringMatching(/\(loopback\)/) }]);

      // Another name's address is only known when connecting, so saving it is accepted...
      const name = await nameResolvingToLoopback();
      const { clienteId } = await configure(ssrfPainel, { baseUrl: `https://${name}:${trap.port}`, instancia: 2 });
      const outcome = await ssrf.services.outbound.call({ clienteId, instancia: 2, method: 'login', body: anaLogin });
      // ...and the guarded lookup refuses the resolved address before a socket is opened.
      expect(outcome).toMatchObject({ kind: 'bloqueado', reason: 'endereco_bloqueado' });
      expect((outcome as { message: string }).message).toMatch(new RegExp(`^Endereço bloqueado: ${name}: .*\\(loopback\\)`));

      const direct = await strictClient.call({ url: `https://${name}:${trap.port}/login`, headers: {}, body: {}, timeoutMs: 2_000, maxResponseBytes: 1024, requireHttps: true });
      expect(direct).toMatchObject({ kind: 'failure', reason: 'endereco_bloqueado', message: expect.stringMatching(/loopback/) });
      expect(trap.connections()).toBe(0);
    });

    it('without an allowlist the Sandbox (http allowed) is guarded too: a loopback simulator is never reached', async () => {
      const sim = await simulator({ requireGrupo: false });
      const { id: clienteId } = await createCliente(ssrf);
      const refused = await ssrf.app.inject({
        method: 'PUT',
        url: `/painel/api/clientes/${clienteId}/instancias/1/integracao`,
        headers: ssrfPainel.headers,
        payload: { baseUrl: sim.url, grupoId: null, metodos: {}, headers: [] },
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.details).toEqual([{ field: 'baseUrl', message: expect.stringMatching(/\(loopback\)/) }]);

      const byName = await configure(ssrfPainel, { baseUrl: `http://${await nameResolvingToLoopback()}:${sim.port}` });
      const outcome = await ssrf.services.outbound.call({ clienteId: byName.clienteId, instancia: 1, method: 'login', body: anaLogin });
      expect(outcome).toMatchObject({ kind: 'bloqueado', reason: 'endereco_bloqueado' });
      expect(sim.calls().login.count).toBe(0);
    });

    it('a redirect is never followed, neither to a private address nor to an allowed one', async () => {
      // The main app allowlists loopback (tests), so the simulator itself is reachable on Sandbox.
      const toPrivate = await simulator({ requireGrupo: false, fault: 'redirect:http://10.0.0.1/x', faultMethods: ['login'] });
      const a = await configure(painel, { baseUrl: toPrivate.url });
      const outcome = await callLogin(t, a.clienteId);
      expect(outcome).toMatchObject({ kind: 'recusado_pela_operadora', status: 302, mensagem: 'Redirecionado (simulado)' });
      expect(outcome.exchange?.response?.status).toBe(302);
      expect(toPrivate.calls().login.count).toBe(1);

      // Redirect to an allowlisted loopback listener: had the client followed it, the trap would see it.
      const toTrap = await simulator({ requireGrupo: false, fault: `redirect:http://127.0.0.1:${trap.port}/login`, faultMethods: ['login'] });
      const b = await configure(painel, { baseUrl: toTrap.url });
      expect(await callLogin(t, b.clienteId)).toMatchObject({ kind: 'recusado_pela_operadora', status: 302 });
      expect(trap.connections()).toBe(0);
    });
  });

  describe('isolation: one operator’s trouble stays with that operator', () => {
    it('a hanging operator trips its breaker while another operator’s calls all succeed meanwhile', async () => {
      const simA = await simulator({ requireGrupo: false, fault: 'hang' });
      const simB = await simulator({ requireGrupo: false });
      const a = await configure(painel, { baseUrl: simA.url, timeoutMs: 1_000 });
      const b = await configure(painel, { baseUrl: simB.url });

      let aSettled = 0;
      const aCalls = Array.from({ length: 5 }, () =>
        callLogin(t, a.clienteId).finally(() => {
          aSettled += 1;
        }),
      );
      await until(() => simA.calls().login.count === 5, 'the five calls to reach operator A');

      const bResults = await Promise.all(Array.from({ length: 10 }, () => callLogin(t, b.clienteId)));
      // B's calls ran to completion while every call to A was still hanging.
      expect(aSettled).toBe(0);
      expect(bResults.map((r) => r.kind)).toEqual(Array(10).fill('sucesso'));
      expect(simB.calls().login.count).toBe(10);

      const aResults = await Promise.all(aCalls);
      for (const r of aResults) expect(r).toMatchObject({ kind: 'falha_comunicacao', reason: 'tempo_esgotado' });

      // Five consecutive failures opened A's circuit: further calls fail fast without reaching A.
      const fastFails = await Promise.all(Array.from({ length: 3 }, () => callLogin(t, a.clienteId)));
      for (const r of fastFails) expect(r).toMatchObject({ kind: 'bloqueado', reason: 'circuito_aberto', message: expect.stringMatching(/suspensas/) });
      expect(simA.calls().login.count).toBe(5);

      // B's circuit is its own.
      expect((await callLogin(t, b.clienteId)).kind).toBe('sucesso');
      expect(simB.calls().login.count).toBe(11);
    });

    it('an operator answering 500 opens its breaker after 5 failures; each login went out exactly once', async () => {
      const sim = await simulator({ fault: 'status-500', faultMethods: ['login'] });
      const { clienteId } = await configure(painel, { baseUrl: sim.url, grupoAt: sim });
      for (let i = 1; i <= 5; i += 1) {
        const outcome = await callLogin(t, clienteId);
        expect(outcome).toMatchObject({ kind: 'recusado_pela_operadora', status: 500, mensagem: 'Erro interno simulado' });
        // Login is not idempotent: never retried after the operator got it.
        expect(sim.calls().login.count).toBe(i);
      }
      expect(await callLogin(t, clienteId)).toMatchObject({ kind: 'bloqueado', reason: 'circuito_aberto' });
      expect(sim.calls().login.count).toBe(5);
    });
  });

  describe('failures become values, and nothing is retried', () => {
    const failing = async (fault: string, timeoutMs?: number) => {
      const sim = await simulator({ requireGrupo: false, fault, faultMethods: ['login'] });
      const { clienteId } = await configure(painel, { baseUrl: sim.url, ...(timeoutMs ? { timeoutMs } : {}) });
      const outcome: OutboundOutcome = await callLogin(t, clienteId);
      expect(sim.calls().login.count).toBe(1);
      return outcome;
    };

    it('a body over the size cap (2 MiB): resposta_grande_demais', async () => {
      expect(await failing('huge-body:3000000')).toMatchObject({ kind: 'falha_comunicacao', reason: 'resposta_grande_demais', message: expect.stringMatching(/excedeu/) });
    });

    it('no answer within the integração’s timeout: tempo_esgotado', async () => {
      expect(await failing('hang', 1_000)).toMatchObject({ kind: 'falha_comunicacao', reason: 'tempo_esgotado', message: expect.stringMatching(/tempo limite/) });
    });

    it('a connection reset: falha_comunicacao', async () => {
      expect(await failing('connection-reset')).toMatchObject({ kind: 'falha_comunicacao', reason: 'falha_conexao' });
    });

    it('invalid JSON in a 200: violacao_contrato with json_invalido', async () => {
      const outcome = await failing('invalid-json');
      expect(outcome).toMatchObject({ kind: 'violacao_contrato', status: 200 });
      expect((outcome as { violations: { caminho: string; tipo: string }[] }).violations.map((v) => ({ caminho: v.caminho, tipo: v.tipo }))).toEqual([
        { caminho: '$', tipo: 'json_invalido' },
      ]);
    });

    it('a 500 on login: refused by the operator, not retried', async () => {
      expect(await failing('status-500')).toMatchObject({ kind: 'recusado_pela_operadora', status: 500 });
    });
  });
});
