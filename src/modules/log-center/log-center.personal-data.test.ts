import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { sha256Hex } from '../../platform/crypto.ts';
import { seedPeople, type SeedPerson } from '../../simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../../simulator/simulator.ts';
import { appClient, identificationOf, operadoraAt, type Operadora } from '../recuperacao/recuperacao.test-support.ts';

/**
 * Issue 10 (Low): names, matrícula, nomeCartao and family members were stored in clear in the
 * central de logs. Here a beneficiary logs in, identifies themself to recover a password and
 * changes it — through the real app API, against the operator simulator over HTTP — and then every
 * column of every stored row is read raw from the database (SQLite, or PostgreSQL with
 * DATABASE_URL): no value that identifies any seeded person may be in it.
 */

const [ana, carlos] = seedPeople as [SeedPerson, SeedPerson];
const formatCpf = (cpf: string) => cpf.replace(/^(\d{3})(\d{3})(\d{3})(\d{2})$/, '$1.$2.$3-$4');
const NOVA_SENHA = 'nova-senha-da-ana-4821';
const POLL_LIMIT_MS = 5_000;

/** Everything of a seeded person that identifies them, in every spelling the operator or Ponte uses. */
const identifying = (p: SeedPerson) => [
  p.cpf,
  formatCpf(p.cpf),
  p.nome,
  p.nome.toUpperCase(), // nomeCartao
  ...p.nome.split(' ').filter((part) => part.length > 3), // any part of a name (family members share "Moreira")
  p.email,
  p.emailSecundario,
  p.celular,
  p.dataNascimento,
  p.codigoBeneficiario, // matrícula
  `0999${p.codigoBeneficiario.replace(/\D/g, '')}`, // número do cartão
  p.senha,
];

describe('central de logs: no personal data in any stored row', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  let op: Operadora;

  beforeAll(async () => {
    sim = await createOperatorSimulator({ port: 0 });
    t = await createTestApp();
    op = await operadoraAt(t, sim);
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('after a login, a recovery identification and a trocar senha through the app', async () => {
    const app = appClient(t, op.appId);
    const login = await app.login({ login: ana.cpf, senha: ana.senha });
    expect(login.statusCode, login.body).toBe(201);
    // Ponte itself had the family in clear: the operator sent it, and the app got the profile.
    expect(login.body).toContain(ana.nome);

    const identificacao = await app.identificar(identificationOf(carlos));
    expect(identificacao.statusCode, identificacao.body).toBe(201);

    const trocar = await t.app.inject({
      method: 'POST',
      url: '/app/v1/senha',
      headers: { 'x-app-id': op.appId, authorization: `Bearer ${login.json().token}` },
      payload: { campos: { senhaAtual: ana.senha, novaSenha: NOVA_SENHA, confirmacaoNovaSenha: NOVA_SENHA } },
    });
    expect(trocar.statusCode, trocar.body).toBe(200);

    // The writer flushes in the background: poll the table, bounded.
    const expected = ['login', 'recuperarSenhaIdentificacao', 'trocarSenha'];
    const deadline = Date.now() + POLL_LIMIT_MS;
    let rows: Record<string, unknown>[] = [];
    for (;;) {
      rows = await t.database.db.selectFrom('outbound_logs').selectAll().where('cliente_id', '=', op.clienteId).execute();
      if (expected.every((operacao) => rows.some((row) => row.operacao === operacao))) break;
      if (Date.now() > deadline) throw new Error(`log rows did not appear within ${POLL_LIMIT_MS} ms: ${rows.map((r) => r.operacao).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    // The answers really carried the family (so the assertion below can fail): a login row of the
    // titular holds every member's structure, masked.
    const loginRow = rows.find((row) => row.operacao === 'login')!;
    const stored = JSON.parse(loginRow.response_body as string) as { beneficiarios: { dadosPessoais: { nome: string } }[] };
    expect(stored.beneficiarios.length).toBeGreaterThan(1);
    expect(stored.beneficiarios.map((b) => b.dadosPessoais.nome)).toEqual(stored.beneficiarios.map(() => expect.stringMatching(/^\*\*\* \(\d+\)$/)));

    const forbidden = [...new Set([...seedPeople.flatMap(identifying), NOVA_SENHA])];
    for (const row of rows) {
      const columns = Object.entries(row).map(([column, value]) => [column, String(value)] as const);
      // Stored bodies are JSON inside text columns: look with quotes both escaped and not.
      const leaks = columns.flatMap(([column, text]) =>
        forbidden.filter((value) => text.includes(value) || text.replaceAll('\\"', '"').includes(value)).map((value) => `${row.operacao}.${column}: ${value}`),
      );
      expect(leaks).toEqual([]);
    }

    // The sessions name their person by a keyed hash: hashing every CPF cannot find it (issue 10, Low).
    const sessions = await t.database.db.selectFrom('app_sessions').selectAll().where('cliente_id', '=', op.clienteId).execute();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.chave_unica_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(sessions[0]!.chave_unica_hash).not.toBe(sha256Hex(`${op.clienteId}:${ana.cpf}`));
    expect(JSON.stringify(sessions)).not.toContain(ana.cpf);
  });
});
