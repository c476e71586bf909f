import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { manualClock } from '../src/platform/clock.ts';
import { randomKeyring } from '../src/platform/keyring.ts';
import { seedPeople } from '../src/simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../src/simulator/simulator.ts';
import { openTestDatabase, openTestKv, type TestDatabase } from './support/infrastructure.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

/**
 * What the login path reads once per cache period instead of on every call — the grupo row
 * (grupos.cache.ts) and the instância's funcionalidades (funcionalidades.service.ts) — is dropped
 * on every node when it changes. Two apps share one database, key-value store and keyring, as two
 * nodes do. Their clock stands still, so the caches' periods never end here: a node sees a change
 * only because the invalidation bus told it.
 */
const actor = { userId: null, label: 'teste' };
const ana = seedPeople[0]!;

describe('caches of the login path across two nodes', () => {
  let database: TestDatabase;
  let kv: ReturnType<typeof openTestKv>;
  let a: TestApp;
  let b: TestApp;
  let sim: OperatorSimulator;
  let other: OperatorSimulator;

  beforeAll(async () => {
    database = await openTestDatabase();
    kv = openTestKv();
    const keyring = randomKeyring();
    const clock = manualClock(Date.now());
    const env = { PONTE_INVALIDATION_POLL_MS: '25' };
    a = await createTestApp({ database, kv, keyring, clock, env });
    b = await createTestApp({ database, kv, keyring, clock, env });
    sim = await createOperatorSimulator({ port: 0, host: '127.0.0.1' });
    other = await createOperatorSimulator({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await sim.close();
    await other.close();
    await kv.close();
    await database.dispose();
  });

  /** A cliente whose Sandbox logs in at the simulator through a grupo there. */
  async function clienteWithGrupo() {
    const cliente = await a.services.clientes.create({ nome: 'Operadora Caches' });
    const grupo = await a.services.grupos.create({ clienteId: cliente.id, instancia: 1, nome: 'Grupo', url: `${sim.url}/autorizacao`, usuario: 'demo', senha: 'demo', actor });
    await a.services.integracoes.save({ clienteId: cliente.id, instancia: 1, baseUrl: sim.url, grupoId: grupo.id, metodos: {}, headers: [], actor });
    return { cliente, grupo };
  }

  const loginThrough = (node: TestApp, clienteId: string) =>
    node.services.outbound.call({ clienteId, instancia: 1, method: 'login', body: { login: ana.cpf, senha: ana.senha } });

  /**
   * The origin whose `/autorizacao` a node calls when it must fetch the grupo's pairs (none in the
   * shared store): the URL of the grupo row that node is using.
   */
  async function autorizacaoCalledBy(node: TestApp, clienteId: string, grupoId: string): Promise<'sim' | 'other'> {
    await Promise.all(['pares', 'falha', 'renovacao-forcada'].map((key) => kv.delete(`grupo:${grupoId}:${key}`)));
    const before = { sim: sim.calls().autorizacao.count, other: other.calls().autorizacao.count };
    await loginThrough(node, clienteId);
    if (other.calls().autorizacao.count > before.other) return 'other';
    if (sim.calls().autorizacao.count > before.sim) return 'sim';
    throw new Error('no /autorizacao call');
  }

  it('a grupo edited on one node is what the other node uses next, though its copy had not expired', async () => {
    const { cliente, grupo } = await clienteWithGrupo();
    // Node A reads (and keeps) the grupo with its first calls.
    expect((await loginThrough(a, cliente.id)).kind).toBe('sucesso');
    expect(await autorizacaoCalledBy(a, cliente.id, grupo.id)).toBe('sim');
    // Node B moves the grupo to another operator (the senha typed again, as a new origin requires).
    await b.services.grupos.update({ clienteId: cliente.id, grupoId: grupo.id, nome: 'Grupo', url: `${other.url}/autorizacao`, usuario: 'demo', senha: 'demo', actor });
    expect(await autorizacaoCalledBy(b, cliente.id, grupo.id)).toBe('other');
    await vi.waitFor(async () => expect(await autorizacaoCalledBy(a, cliente.id, grupo.id)).toBe('other'), { timeout: 10_000, interval: 25 });
  });

  it('on the node that made the change, the next call already uses the new grupo', async () => {
    const { cliente, grupo } = await clienteWithGrupo();
    expect(await autorizacaoCalledBy(a, cliente.id, grupo.id)).toBe('sim');
    await a.services.grupos.update({ clienteId: cliente.id, grupoId: grupo.id, nome: 'Grupo', url: `${other.url}/autorizacao`, usuario: 'demo', senha: 'demo', actor });
    expect(await autorizacaoCalledBy(a, cliente.id, grupo.id)).toBe('other');
  });

  it('a funcionalidade created, edited or removed on one node is what the other node shows the app next', async () => {
    const cliente = await a.services.clientes.create({ nome: 'Operadora Funcionalidades' });
    const app = { clienteId: cliente.id, clienteNome: cliente.nome, instancia: 1 as const };
    const names = async (node: TestApp) => (await node.services.appConfig.configurationFor(app)).funcionalidades.map((f) => f.nome).sort();
    expect(await names(a)).toEqual([]);

    const created = await b.services.funcionalidades.create({ clienteId: cliente.id, instancia: 1, nome: 'Reembolso', url: 'https://parceiro.example.com/reembolso', actor });
    expect(await names(b)).toEqual(['Reembolso']);
    await vi.waitFor(async () => expect(await names(a)).toEqual(['Reembolso']), { timeout: 10_000, interval: 25 });

    await b.services.funcionalidades.update({ clienteId: cliente.id, instancia: 1, id: created.id, nome: 'Reembolso online', url: created.url, actor });
    await vi.waitFor(async () => expect(await names(a)).toEqual(['Reembolso online']), { timeout: 10_000, interval: 25 });

    await b.services.funcionalidades.remove({ clienteId: cliente.id, instancia: 1, id: created.id, actor });
    await vi.waitFor(async () => expect(await names(a)).toEqual([]), { timeout: 10_000, interval: 25 });
  });
});
