import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../../test/support/infrastructure.ts';
import { systemClock } from '../../platform/clock.ts';
import { createClientesService } from '../clientes/clientes.service.ts';
import { createAuditService, type AuditService } from './audit.service.ts';
import { createRepositories } from '../../repositories.ts';

/**
 * What the audit stores of a change, read back raw from the table: credentials and beneficiary
 * data masked by the shared redaction (platform/redaction.ts), configuration and painel accounts kept.
 */
describe('audit before/after', () => {
  let database: TestDatabase;
  let audit: AuditService;
  let clienteId: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    audit = createAuditService({ repos: createRepositories(database.db), clock: systemClock });
    clienteId = (await createClientesService({ db: database.db, repos: createRepositories(database.db), clock: systemClock, audit }).create({ nome: 'Operadora' })).id;
  });
  afterAll(async () => {
    await database?.dispose();
  });

  const stored = async (targetId: string) => {
    const row = await database.db.selectFrom('audit_events').select(['before_json', 'after_json']).where('target_id', '=', targetId).executeTakeFirstOrThrow();
    return { raw: `${row.before_json} ${row.after_json}`, before: JSON.parse(row.before_json ?? 'null') as unknown, after: JSON.parse(row.after_json ?? 'null') as unknown };
  };

  it('masks credentials and beneficiary personal data at any depth', async () => {
    await audit.record({
      clienteId,
      actor: { userId: null, label: 'teste' },
      action: 'teste.alterado',
      targetType: 'teste',
      targetId: 'alvo-1',
      before: { grupo: { nome: 'Grupo', usuario: 'integracao', senha: 'senha-do-grupo', apiKey: 'chave-api-1' } },
      after: { exemplo: { login: '100.200.301-69', cpf: '10020030169', dataNascimento: '1980-03-14', contato: { email: 'ana.moreira@example.com' }, integracao: { matricula: '0001001-00' } } },
    });
    const { raw, before, after } = await stored('alvo-1');
    for (const value of ['senha-do-grupo', 'chave-api-1', '10020030169', '100.200.301-69', '1980-03-14', 'ana.moreira@example.com', '0001001-00']) expect(raw).not.toContain(value);
    expect(before).toEqual({ grupo: { nome: 'Grupo', usuario: 'integracao', senha: '***', apiKey: '***' } });
    expect(after).toEqual({ exemplo: { login: '***.***.***-**', cpf: '***********', dataNascimento: '****-**-**', contato: { email: '***@***' }, integracao: { matricula: '*******-**' } } });
  });

  it('keeps configuration — including methods named login or trocarSenha — and the painel account a change is about', async () => {
    const integracao = {
      baseUrl: 'https://operadora.example/api',
      metodos: { login: { url: null }, trocarSenha: { url: 'https://operadora.example/troca' } },
      headers: [{ nome: 'X-Canal', valor: 'app' }],
    };
    const usuario = { email: 'pessoa@operadora.example', nome: 'Pessoa do Painel', role: 'editor' };
    await audit.record({ clienteId, actor: { userId: null, label: 'teste' }, action: 'teste.config', targetType: 'teste', targetId: 'alvo-2', before: integracao, after: usuario });
    expect(await stored('alvo-2')).toMatchObject({ before: integracao, after: usuario });
  });
});
