/**
 * Shared by the recovery tests (not a test itself): a cliente whose Sandbox integração points
 * at an operator simulator, and an app client that records every response it gets.
 */
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { createCliente, loginAs } from '../../../test/support/fixtures.ts';
import type { TestApp } from '../../../test/support/test-app.ts';
import type { SeedPerson } from '../../simulator/seed-data.ts';
import type { OperatorSimulator } from '../../simulator/simulator.ts';

export type Operadora = { clienteId: string; appId: string; appIdProducao: string; painel: Record<string, string> };

/** A new cliente, its painel admin, a grupo de autorização and the Sandbox integração at `sim`. */
export async function operadoraAt(t: TestApp, sim: OperatorSimulator): Promise<Operadora> {
  const cliente = await createCliente(t);
  const painel = (await loginAs(t, { clienteId: cliente.id, role: 'admin' })).headers;
  const grupo = await t.app.inject({
    method: 'POST',
    url: `/painel/api/clientes/${cliente.id}/instancias/1/grupos`,
    headers: painel,
    payload: { nome: 'Grupo', url: `${sim.url}/autorizacao`, usuario: 'demo', senha: 'demo' },
  });
  expect(grupo.statusCode, grupo.body).toBe(201);
  const integracao = await t.app.inject({
    method: 'PUT',
    url: `/painel/api/clientes/${cliente.id}/instancias/1/integracao`,
    headers: painel,
    payload: { baseUrl: sim.url, grupoId: grupo.json().id, metodos: {}, headers: [] },
  });
  expect(integracao.statusCode, integracao.body).toBe(200);
  const appIdOf = (numero: 1 | 2) => cliente.instancias.find((i) => i.numero === numero)!.appId;
  return { clienteId: cliente.id, appId: appIdOf(1), appIdProducao: appIdOf(2), painel };
}

let ipCounter = 0;
/** A fresh client address, so per-IP limits of one test do not leak into the next. */
export function freshIp(): string {
  ipCounter += 1;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

export const identificationOf = (person: SeedPerson) => ({ cpf: person.cpf, dataNascimento: person.dataNascimento });

/** The app API as the beneficiary app calls it; every response is kept in `responses`. */
export function appClient(t: TestApp, appId: string, ip = freshIp()) {
  const responses: LightMyRequestResponse[] = [];
  const post = async (url: string, payload: unknown, options: { ip?: string; appId?: string } = {}) => {
    const response = await t.app.inject({ method: 'POST', url, headers: { 'x-app-id': options.appId ?? appId }, payload: payload as object, remoteAddress: options.ip ?? ip });
    responses.push(response);
    return response;
  };
  return {
    responses,
    identificar: (campos: Record<string, unknown>, options?: { ip?: string; appId?: string }) => post('/app/v1/recuperacao', { campos }, options),
    enviar: (id: string, contatoId: string, options?: { appId?: string }) => post(`/app/v1/recuperacao/${id}/codigo`, { contatoId }, options),
    verificar: (id: string, codigo: string, options?: { appId?: string }) => post(`/app/v1/recuperacao/${id}/verificacao`, { codigo }, options),
    novaSenha: (id: string, campos: Record<string, unknown>, options?: { appId?: string }) => post(`/app/v1/recuperacao/${id}/nova-senha`, { campos }, options),
    login: (campos: Record<string, unknown>) => post('/app/v1/sessoes', { campos }),
  };
}

/** Starts a flow for `person` and returns its id (asserting the 201). */
export async function startFlow(client: ReturnType<typeof appClient>, person: SeedPerson): Promise<string> {
  const response = await client.identificar(identificationOf(person));
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as string;
}

export const CODE = /\b(\d{6})\b/;

/** A code guaranteed to differ from `code`. */
export const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

export type Mensagem = { id: string; canal: 'email' | 'sms'; destino: string; texto: string; criadaEm: number };

/**
 * Reads the development outbox through the painel API. `novas()` returns the messages that
 * appeared since its last call (by id, so messages of the same millisecond are never confused).
 */
export function outboxOf(t: TestApp, op: Operadora, instancia: 1 | 2 = 1) {
  const seen = new Set<string>();
  // Only platform admins read the development outbox.
  let platformAdmin: Promise<Record<string, string>> | undefined;
  const all = async (): Promise<Mensagem[]> => {
    platformAdmin ??= loginAs(t, { platformAdmin: true }).then((session) => session.headers);
    const response = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${op.clienteId}/instancias/${instancia}/mensagens?porPagina=100`, headers: await platformAdmin });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().itens as Mensagem[];
  };
  return {
    all,
    async novas(): Promise<Mensagem[]> {
      const fresh = (await all()).filter((m) => !seen.has(m.id));
      for (const m of fresh) seen.add(m.id);
      return fresh;
    },
    /** The one code sent since the last look, to `destino`. */
    async codeSentTo(destino: string): Promise<string> {
      const fresh = await this.novas();
      expect(fresh.map((m) => m.destino)).toEqual([destino]);
      const code = CODE.exec(fresh[0]!.texto)?.[1];
      expect(code, fresh[0]!.texto).toBeDefined();
      return code!;
    },
  };
}
