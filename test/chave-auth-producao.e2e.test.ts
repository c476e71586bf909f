import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPeople, type SeedPerson } from '../src/simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../src/simulator/simulator.ts';
import { boundedRequest, describeOutcome, expectJson, randomPonteKeys, startPonteNode, seedCliente, type PonteNode, type SeededCliente } from './support/ponte-node.ts';
import { selfSignedLoopbackCert } from './support/self-signed-cert.ts';

/**
 * chaveAuth in Produção (`instanciaApp=2`), end to end. Produção calls the operator over https
 * only, so this runs a real Ponte node (`bin/ponte.js serve` in its own process) that trusts a
 * certificate made for this run (`NODE_EXTRA_CA_CERTS`), with the operator simulator behind a TLS
 * endpoint on loopback. The in-process suite (known-beneficiary.e2e.test.ts) covers instância 1
 * and the Produção refusal while elegibilidade is active only in Sandbox.
 */

const CHAVE_AUTH = '/clientes/utilitarios/seguranca/chaveAuth';
const [ana] = seedPeople as [SeedPerson];

describe('chaveAuth with instanciaApp=2 (Produção) over https', { timeout: 60_000 }, () => {
  const keys = randomPonteKeys();
  const certDir = mkdtempSync(join(tmpdir(), 'ponte-producao-tls-'));
  const tlsSockets = new Set<Socket>();
  let tlsConnections = 0;
  let tlsServer: ReturnType<typeof createTlsServer> | undefined;
  let sim: OperatorSimulator;
  let node: PonteNode | undefined;
  let seeded: SeededCliente;
  let appIds: { sandbox: string; producao: string };
  let producaoUrl: string;

  beforeAll(async () => {
    sim = await createOperatorSimulator({ port: 0, host: '127.0.0.1', requireGrupo: false });
    // The operator's https endpoint: TLS ends here and the bytes go on to the simulator.
    const { certPem, keyPem } = selfSignedLoopbackCert();
    const caFile = join(certDir, 'operadora.pem');
    writeFileSync(caFile, certPem);
    tlsServer = createTlsServer({ key: keyPem, cert: certPem }, (client) => {
      tlsConnections += 1;
      const upstream = connect(sim.port, '127.0.0.1');
      for (const socket of [client, upstream]) {
        tlsSockets.add(socket);
        socket.on('close', () => tlsSockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => tlsServer!.listen(0, '127.0.0.1', resolve));
    producaoUrl = `https://127.0.0.1:${(tlsServer.address() as { port: number }).port}/mobilesaude`;

    node = await startPonteNode({ keys, env: { NODE_EXTRA_CA_CERTS: caFile } });
    seeded = await seedCliente({ nodeUrl: node.url, dataDir: node.dataDir, keys, apis: ['seguranca'] });
    const cliente = await expectJson<{ instancias: { numero: number; appId: string }[] }>(`${node.url}/painel/api/clientes/${seeded.clienteId}`, {
      method: 'GET',
      headers: seeded.painel.headers,
      expected: 200,
    });
    appIds = { sandbox: cliente.instancias.find((i) => i.numero === 1)!.appId, producao: cliente.instancias.find((i) => i.numero === 2)!.appId };
    expect(appIds.producao).not.toBe(appIds.sandbox);

    // Produção only: its integração at the https endpoint, and elegibilidade turned on after its live check.
    const producao = `${node.url}/painel/api/clientes/${seeded.clienteId}/instancias/2/integracao`;
    await expectJson(producao, { method: 'PUT', headers: seeded.painel.headers, body: { baseUrl: producaoUrl, grupoId: null, metodos: {}, headers: [] }, expected: 200 });
    const ativada = await expectJson(`${producao}/elegibilidade`, { method: 'PUT', headers: seeded.painel.headers, body: { ativa: true, reloginHoras: null, chaveUnicaTeste: ana.cpf }, expected: 200 });
    expect(ativada).toEqual({ ativa: true, reloginHoras: null });
  }, 120_000);

  afterAll(async () => {
    await node?.dispose();
    for (const socket of tlsSockets) socket.destroy();
    await new Promise<void>((resolve) => (tlsServer ? tlsServer.close(() => resolve()) : resolve()));
    await sim?.close();
    rmSync(certDir, { recursive: true, force: true });
  });

  const chaveAuth = (instanciaApp: string) =>
    boundedRequest(`${node!.url}${CHAVE_AUTH}?instanciaApp=${instanciaApp}`, {
      method: 'POST',
      headers: { authorization: seeded.token, 'content-type': 'application/json' },
      body: JSON.stringify({ chaveUnica: ana.cpf }),
      timeoutMs: 30_000,
    });
  const atual = (token: string, appId: string) =>
    boundedRequest(`${node!.url}/app/v1/sessoes/atual`, { method: 'GET', headers: { 'x-app-id': appId, authorization: `Bearer ${token}` }, timeoutMs: 15_000 });

  it('opens a session in instância 2: the token works with Produção\'s X-App-Id and not with Sandbox\'s', async () => {
    const calls = sim.calls().elegibilidade.count;
    const opened = await chaveAuth('2');
    expect(opened.ok && opened.status, describeOutcome(opened)).toBe(200);
    if (!opened.ok) return;
    const { data } = opened.body as { data: { token: string; expireAt: number } };
    // Ponte asked Produção's elegibilidade, over https: one more call, through the TLS endpoint.
    expect(sim.calls().elegibilidade.count).toBe(calls + 1);
    expect(sim.calls().elegibilidade.lastBody).toEqual({ chaveUnica: ana.cpf, integracao: {} });
    expect(sim.calls().elegibilidade.lastHeaders?.host).toBe(new URL(producaoUrl).host);
    expect(tlsConnections).toBeGreaterThan(0);

    const producao = await atual(data.token, appIds.producao);
    expect(producao.ok && producao.status, describeOutcome(producao)).toBe(200);
    expect((producao.ok ? producao.body : null) as { perfil: { usuario: { chaveUnica: string } } }).toMatchObject({ perfil: { usuario: { chaveUnica: ana.cpf } } });
    // The same token is not a Sandbox session.
    const sandbox = await atual(data.token, appIds.sandbox);
    expect(sandbox.ok && sandbox.status, describeOutcome(sandbox)).toBe(401);
  });

  it('instanciaApp=1 is refused with 422 while elegibilidade is active only in Produção, and the operator is not called', async () => {
    const calls = sim.calls().elegibilidade.count;
    const refused = await chaveAuth('1');
    expect(refused.ok && refused.status, describeOutcome(refused)).toBe(422);
    expect((refused.ok ? refused.body : null) as { message: string }).toMatchObject({ message: expect.stringMatching(/^A elegibilidade não está ativa nesta instância/) });
    expect(sim.calls().elegibilidade.count).toBe(calls);
  });
});
