import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, databaseKinds, dropTestSchema, migrateTestSchema, openTestDatabase, postgresUrl, type TestDatabase } from '../../../test/support/infrastructure.ts';
import { createClientTokensRepo, type ClientToken } from '../../modules/client-tokens/client-tokens.repo.ts';
import { createClientesRepo, type Cliente } from '../../modules/clientes/clientes.repo.ts';
import { createAuditService } from '../../modules/audit/audit.service.ts';
import { createClientesService } from '../../modules/clientes/clientes.service.ts';
import { createPainelSessionsRepo, createPainelUsersRepo, type PainelUser } from '../../modules/painel-users/painel-users.repo.ts';
import { manualClock } from '../clock.ts';
import { sha256Hex } from '../crypto.ts';
import { newId } from '../ids.ts';
import { migrateToLatest, openDatabase, type Database, type DatabaseKind } from './database.ts';
import { migrations } from './migrations/index.ts';
import { createRepositories } from '../../repositories.ts';

/**
 * One suite for both databases: every repository behaves the same on SQLite and PostgreSQL.
 * Times are real-looking epoch milliseconds (well past 2^31) so bigint handling is exercised.
 */
const NOW = Date.UTC(2026, 0, 1, 12);

const uniqueSuffix = () => randomBytes(6).toString('hex');

function newCliente(nome: string, appIds?: [string, string]): Omit<Cliente, 'codigo'> {
  return {
    id: newId('cliente'),
    nome,
    createdAt: NOW,
    retencaoLogsDias: 30,
    instancias: ([1, 2] as const).map((numero, i) => ({
      id: newId('instancia'),
      numero,
      appId: appIds?.[i] ?? `app_${numero}_${uniqueSuffix()}`,
    })),
  };
}

function newUser(nome: string, email = `${uniqueSuffix()}@exemplo.com.br`): PainelUser & { passwordHash: string } {
  return {
    id: newId('painelUser'),
    email,
    nome,
    isPlatformAdmin: false,
    active: true,
    lastLoginAt: null,
    createdAt: NOW,
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
  };
}

function newToken(clienteId: string, createdAt = NOW): ClientToken & { tokenHash: string } {
  const plaintext = `ptk_${uniqueSuffix()}`;
  return {
    id: newId('clientToken'),
    clienteId,
    chavePublica: randomBytes(32).toString('hex'),
    tokenStart: plaintext.slice(0, 12),
    apis: ['chavePasse', 'seguranca'],
    descricao: 'integração',
    createdBy: null,
    createdAt,
    lastUsedAt: null,
    revokedAt: null,
    tokenHash: sha256Hex(plaintext),
  };
}

describe.each(databaseKinds())('repository conformance (%s)', (kind) => {
  let database: TestDatabase;
  let clientes: ReturnType<typeof createClientesRepo>;
  let users: ReturnType<typeof createPainelUsersRepo>;
  let sessions: ReturnType<typeof createPainelSessionsRepo>;
  let tokens: ReturnType<typeof createClientTokensRepo>;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    clientes = createClientesRepo(database.db);
    users = createPainelUsersRepo(database.db);
    sessions = createPainelSessionsRepo(database.db);
    tokens = createClientTokensRepo(database.db);
  });
  afterAll(async () => {
    await database.dispose();
  });

  const insertCliente = async (nome = 'Operadora'): Promise<Cliente> => {
    const cliente = newCliente(nome);
    const codigo = await database.db.transaction().execute((trx) => clientes.insert(cliente, trx));
    return { ...cliente, codigo };
  };
  const insertUser = async (nome = 'Usuária') => {
    const user = newUser(nome);
    await users.insert(user);
    return user;
  };

  describe('clientes', () => {
    it('stores a cliente with its two instâncias and reads them back', async () => {
      const service = createClientesService({ db: database.db, repos: createRepositories(database.db), clock: manualClock(NOW), audit: createAuditService({ repos: createRepositories(database.db), clock: manualClock(NOW) }) });
      const created = await service.create({ nome: '  Saúde Boa  ' });
      expect(created.nome).toBe('Saúde Boa');
      const found = await clientes.findById(created.id);
      expect(found).toEqual({
        id: created.id,
        codigo: created.codigo,
        nome: 'Saúde Boa',
        createdAt: NOW,
        retencaoLogsDias: 30,
        instancias: [
          { id: created.instancias[0]!.id, numero: 1, appId: created.instancias[0]!.appId },
          { id: created.instancias[1]!.id, numero: 2, appId: created.instancias[1]!.appId },
        ],
      });
      expect(await clientes.findById(newId('cliente'))).toBeUndefined();
    });

    it('rolls back the cliente when an instância fails to insert in the same transaction', async () => {
      const existing = await insertCliente();
      const clash = newCliente('Colide', [`app_1_${uniqueSuffix()}`, existing.instancias[1]!.appId]);
      await expect(database.db.transaction().execute((trx) => clientes.insert(clash, trx))).rejects.toThrow();
      expect(await clientes.findById(clash.id)).toBeUndefined();
      const orphans = await database.db.selectFrom('instancias').select('id').where('cliente_id', '=', clash.id).execute();
      expect(orphans).toEqual([]);
    });

    it('leaves nothing behind when the transaction is aborted after both inserts', async () => {
      const cliente = newCliente('Abortada');
      await expect(
        database.db.transaction().execute(async (trx) => {
          await clientes.insert(cliente, trx);
          expect(await clientes.findById(cliente.id, trx)).toBeDefined();
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await clientes.findById(cliente.id)).toBeUndefined();
      expect(await database.db.selectFrom('instancias').select('id').where('cliente_id', '=', cliente.id).execute()).toEqual([]);
    });

    it('lists only the requested ids, ordered by name, and nothing for an empty list', async () => {
      const zeta = await insertCliente('Zeta Saúde');
      const alfa = await insertCliente('Alfa Saúde');
      const other = await insertCliente('Meio Saúde');
      const listed = await clientes.list({ ids: [zeta.id, alfa.id] });
      expect(listed.map((c) => c.id)).toEqual([alfa.id, zeta.id]);
      expect(listed[0]!.instancias.map((i) => i.numero)).toEqual([1, 2]);
      expect(listed[1]!.instancias.map((i) => i.appId)).toEqual(zeta.instancias.map((i) => i.appId));
      expect(await clientes.list({ ids: [] })).toEqual([]);
      const all = (await clientes.list()).map((c) => c.id);
      expect(all).toEqual(expect.arrayContaining([zeta.id, alfa.id, other.id]));
      expect(all.indexOf(alfa.id)).toBeLessThan(all.indexOf(other.id));
      expect(all.indexOf(other.id)).toBeLessThan(all.indexOf(zeta.id));
    });

    it('numbers clientes with a unique codigo, also when created concurrently', async () => {
      const service = createClientesService({ db: database.db, repos: createRepositories(database.db), clock: manualClock(NOW), audit: createAuditService({ repos: createRepositories(database.db), clock: manualClock(NOW) }) });
      const created = await Promise.all(Array.from({ length: 8 }, (_, i) => service.create({ nome: `Concorrente ${i}` })));
      const codigos = created.map((c) => c.codigo);
      expect(codigos.every((c) => Number.isSafeInteger(c) && c > 0)).toBe(true);
      expect(new Set(codigos).size).toBe(codigos.length);
      for (const cliente of created) expect((await clientes.findById(cliente.id))?.codigo).toBe(cliente.codigo);
      const next = await service.create({ nome: 'Seguinte' });
      expect(next.codigo).toBe(Math.max(...(await clientes.list()).map((c) => c.codigo)));
      await expect(database.db.updateTable('clientes').set({ codigo: created[0]!.codigo }).where('id', '=', next.id).execute()).rejects.toThrow();
    });

    it('rejects a duplicate app_id', async () => {
      const existing = await insertCliente();
      const dup = newCliente('Duplicada', [existing.instancias[0]!.appId, `app_2_${uniqueSuffix()}`]);
      await expect(clientes.insert(dup)).rejects.toThrow();
    });
  });

  describe('painel users', () => {
    it('rejects a duplicate email', async () => {
      const first = newUser('Primeira', `dup-${uniqueSuffix()}@exemplo.com.br`);
      await users.insert(first);
      await expect(users.insert(newUser('Segunda', first.email))).rejects.toThrow();
      expect((await users.findCredentialsByEmail(first.email))?.user.id).toBe(first.id);
    });

    it('reads the user and the stored hash by email', async () => {
      const user = await insertUser('Credenciais');
      expect(await users.findCredentialsByEmail(user.email)).toEqual({
        user: { id: user.id, email: user.email, nome: 'Credenciais', isPlatformAdmin: false, active: true, lastLoginAt: null, createdAt: NOW },
        passwordHash: user.passwordHash,
      });
      expect(await users.findCredentialsByEmail('ninguem@exemplo.com.br')).toBeUndefined();
    });

    it('records the time of a successful login', async () => {
      const user = await insertUser();
      await users.recordSuccessfulLogin(user.id, NOW + 1_000);
      expect(await users.findById(user.id)).toMatchObject({ lastLoginAt: NOW + 1_000 });
    });

    it('deactivates and reactivates a user', async () => {
      const user = await insertUser();
      await users.setActive(user.id, false, NOW + 1);
      expect((await users.findById(user.id))?.active).toBe(false);
      await users.setActive(user.id, true, NOW + 2);
      expect((await users.findById(user.id))?.active).toBe(true);
    });

    it('upserts the role of a membership', async () => {
      const user = await insertUser();
      const cliente = await insertCliente();
      await users.putMembership(user.id, { clienteId: cliente.id, role: 'editor' }, NOW);
      await users.putMembership(user.id, { clienteId: cliente.id, role: 'admin' }, NOW + 1);
      expect(await users.membershipsOf(user.id)).toEqual([{ clienteId: cliente.id, role: 'admin' }]);
    });

    it('lists a cliente\'s members with their roles, by name, and no one else', async () => {
      const cliente = await insertCliente();
      const outro = await insertCliente();
      const bruna = await insertUser('Bruna');
      const ana = await insertUser('Ana');
      const carlos = await insertUser('Carlos');
      await users.putMembership(bruna.id, { clienteId: cliente.id, role: 'admin' }, NOW);
      await users.putMembership(ana.id, { clienteId: cliente.id, role: 'leitor' }, NOW);
      await users.putMembership(carlos.id, { clienteId: outro.id, role: 'editor' }, NOW);
      await users.putMembership(ana.id, { clienteId: outro.id, role: 'admin' }, NOW);

      const members = await users.listMembers(cliente.id);
      expect(members.map((m) => [m.id, m.nome, m.role])).toEqual([
        [ana.id, 'Ana', 'leitor'],
        [bruna.id, 'Bruna', 'admin'],
      ]);
      expect(members[0]).toMatchObject({ email: ana.email, isPlatformAdmin: false, active: true, createdAt: NOW });
    });
  });

  describe('painel sessions', () => {
    it('inserts, finds, touches and deletes sessions', async () => {
      const user = await insertUser();
      const other = await insertUser();
      const hash = () => sha256Hex(uniqueSuffix());
      const live = { id: newId('painelSession'), tokenHash: hash(), userId: user.id, now: NOW, idleExpiresAt: NOW + 1_000, expiresAt: NOW + 10_000 };
      const idleOut = { ...live, id: newId('painelSession'), tokenHash: hash(), idleExpiresAt: NOW + 100 };
      const absoluteOut = { ...live, id: newId('painelSession'), tokenHash: hash(), expiresAt: NOW + 100 };
      const others = { ...live, id: newId('painelSession'), tokenHash: hash(), userId: other.id };
      for (const s of [live, idleOut, absoluteOut, others]) await sessions.insert(s);

      expect(await sessions.findByTokenHash(live.tokenHash)).toEqual({
        id: live.id,
        token_hash: live.tokenHash,
        user_id: user.id,
        created_at: NOW,
        last_seen_at: NOW,
        idle_expires_at: NOW + 1_000,
        expires_at: NOW + 10_000,
      });
      expect(await sessions.findByTokenHash(hash())).toBeUndefined();
      await expect(sessions.insert({ ...live, id: newId('painelSession') })).rejects.toThrow();

      await sessions.touch(live.id, NOW + 500, NOW + 1_500);
      expect(await sessions.findByTokenHash(live.tokenHash)).toMatchObject({ last_seen_at: NOW + 500, idle_expires_at: NOW + 1_500, created_at: NOW });

      expect(await sessions.deleteExpired(NOW + 100)).toBe(2);
      expect(await sessions.findByTokenHash(idleOut.tokenHash)).toBeUndefined();
      expect(await sessions.findByTokenHash(absoluteOut.tokenHash)).toBeUndefined();
      expect(await sessions.findByTokenHash(live.tokenHash)).toBeDefined();

      await sessions.deleteForUser(user.id);
      expect(await sessions.findByTokenHash(live.tokenHash)).toBeUndefined();
      expect(await sessions.findByTokenHash(others.tokenHash)).toBeDefined();

      await sessions.deleteByTokenHash(others.tokenHash);
      expect(await sessions.findByTokenHash(others.tokenHash)).toBeUndefined();
    });
  });

  describe('client tokens', () => {
    it('finds by hash and by id, and lists newest first with the id as tie-break', async () => {
      const cliente = await insertCliente();
      const outro = await insertCliente();
      const oldest = newToken(cliente.id, NOW);
      const [tieA, tieB] = [newToken(cliente.id, NOW + 1_000), newToken(cliente.id, NOW + 1_000)];
      const foreign = newToken(outro.id, NOW + 2_000);
      for (const t of [tieB, oldest, foreign, tieA]) await tokens.insert(t);

      const { tokenHash, ...publicPart } = oldest;
      expect(await tokens.findByHash(tokenHash)).toEqual({ ...publicPart, clienteCodigo: cliente.codigo });
      expect(await tokens.findByChavePublica(oldest.chavePublica)).toEqual({ ...publicPart, clienteCodigo: cliente.codigo });
      expect(await tokens.findByChavePublica(randomBytes(32).toString('hex'))).toBeUndefined();
      expect(await tokens.findById(oldest.id)).toEqual(oldest);
      expect(await tokens.findByHash(sha256Hex('desconhecido'))).toBeUndefined();
      expect(await tokens.findById(newId('clientToken'))).toBeUndefined();

      const ties = [tieA.id, tieB.id].sort();
      expect((await tokens.listByCliente(cliente.id)).map((t) => t.id)).toEqual([...ties, oldest.id]);
      expect((await tokens.listByCliente(outro.id)).map((t) => t.id)).toEqual([foreign.id]);
    });

    it('rejects a duplicate token hash', async () => {
      const cliente = await insertCliente();
      const first = newToken(cliente.id);
      await tokens.insert(first);
      await expect(tokens.insert({ ...newToken(cliente.id), tokenHash: first.tokenHash })).rejects.toThrow();
    });

    it('does not revoke through another cliente', async () => {
      const cliente = await insertCliente();
      const outro = await insertCliente();
      const token = newToken(cliente.id);
      await tokens.insert(token);
      expect(await tokens.revoke(outro.id, token.id, NOW + 1)).toBe(false);
      expect((await tokens.findById(token.id))?.revokedAt).toBeNull();
    });

    it('reports exactly one of 10 concurrent revokes, and none afterwards', async () => {
      const cliente = await insertCliente();
      const token = newToken(cliente.id);
      await tokens.insert(token);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => tokens.revoke(cliente.id, token.id, NOW + 10 + i)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const revokedAt = (await tokens.findById(token.id))?.revokedAt;
      expect(revokedAt).toBe(NOW + 10 + results.indexOf(true));
      expect(await tokens.revoke(cliente.id, token.id, NOW + 100)).toBe(false);
      expect((await tokens.findById(token.id))?.revokedAt).toBe(revokedAt);
    });

    it('records the last use', async () => {
      const cliente = await insertCliente();
      const token = newToken(cliente.id);
      await tokens.insert(token);
      await tokens.touchLastUsed(token.id, NOW + 5_000);
      expect((await tokens.findById(token.id))?.lastUsedAt).toBe(NOW + 5_000);
    });
  });

  describe('app sessions and chaves passe', () => {
    const sessionRow = (clienteId: string) => {
      const id = newId('appSession');
      return {
        id,
        token_hash: sha256Hex(id),
        cliente_id: clienteId,
        instancia: 1,
        chave_unica_hash: 'pessoa',
        perfil_selado: 'perfil-v1',
        seguranca_selada: null,
        created_at: NOW,
        last_seen_at: NOW,
        idle_expires_at: NOW + 1_000,
        expires_at: NOW + 10_000,
        revoked_at: null,
        renovada_em: NOW,
        origem: 'login',
      };
    };

    it('stores a session, finds it by token hash and by id, touches it and replaces its login', async () => {
      const { appSessions } = createRepositories(database.db);
      const cliente = await insertCliente();
      const row = sessionRow(cliente.id);
      await appSessions.insert(row);

      expect(await appSessions.findByTokenHash(row.token_hash)).toEqual(row);
      expect(await appSessions.findByTokenHash(sha256Hex('desconhecido'))).toBeUndefined();
      expect(await appSessions.findLogin(row.id)).toEqual({ id: row.id, perfil_selado: 'perfil-v1', revoked_at: null, expires_at: NOW + 10_000 });
      expect(await appSessions.findLogin(newId('appSession'))).toBeUndefined();

      await appSessions.touch(row.id, NOW + 500, NOW + 1_500);
      await appSessions.replaceLogin(row.id, { perfilSelado: 'perfil-v2', segurancaSelada: 'seguranca', renovadaEm: NOW + 600 });
      expect(await appSessions.findByTokenHash(row.token_hash)).toEqual({
        ...row,
        last_seen_at: NOW + 500,
        idle_expires_at: NOW + 1_500,
        perfil_selado: 'perfil-v2',
        seguranca_selada: 'seguranca',
        renovada_em: NOW + 600,
      });
    });

    it('revokes a session and its chaves passe once; a revoked session keeps its login', async () => {
      const { appSessions, chavePasse, funcionalidades } = createRepositories(database.db);
      const cliente = await insertCliente();
      const funcionalidade = { id: newId('funcionalidade'), clienteId: cliente.id, instancia: 1 as const, nome: 'Carteirinha', url: 'https://webview.operadora.example/', chave: randomBytes(8).toString('hex'), codigo: 'carteirinha', validadeMinutos: 5, ativa: true, createdAt: NOW, updatedAt: NOW };
      await funcionalidades.insert(funcionalidade);
      const [row, other] = [sessionRow(cliente.id), sessionRow(cliente.id)];
      for (const r of [row, other]) await appSessions.insert(r);
      const chave = (sessionId: string) => {
        const id = newId('chavePasse');
        return { id, key_hash: sha256Hex(id), session_id: sessionId, cliente_id: cliente.id, instancia: 1, funcionalidade_id: funcionalidade.id, sistema_selado: 'sistema', created_at: NOW, expires_at: NOW + 300_000, revoked_at: null };
      };
      const [mine, theirs] = [chave(row.id), chave(other.id)];
      for (const c of [mine, theirs]) await chavePasse.insert(c);
      expect(await chavePasse.findByKeyHash(mine.key_hash)).toEqual(mine);
      expect(await chavePasse.findByKeyHash(sha256Hex('desconhecida'))).toBeUndefined();

      await database.db.transaction().execute(async (trx) => {
        await appSessions.revoke(row.id, NOW + 1, trx);
        await appSessions.revokeChavesPasseOf(row.id, NOW + 1, trx);
      });
      // A second end (a racing logout) keeps the first time.
      await appSessions.revoke(row.id, NOW + 2);
      await appSessions.revokeChavesPasseOf(row.id, NOW + 2);
      await appSessions.replaceLogin(row.id, { perfilSelado: 'perfil-tarde', segurancaSelada: null, renovadaEm: NOW + 3 });

      expect(await appSessions.findByTokenHash(row.token_hash)).toMatchObject({ revoked_at: NOW + 1, perfil_selado: 'perfil-v1', renovada_em: NOW });
      expect(await chavePasse.findByKeyHash(mine.key_hash)).toMatchObject({ revoked_at: NOW + 1 });
      expect(await appSessions.findByTokenHash(other.token_hash)).toMatchObject({ revoked_at: null });
      expect(await chavePasse.findByKeyHash(theirs.key_hash)).toMatchObject({ revoked_at: null });
    });
  });

  describe('caixa de saída', () => {
    it('pages one instância’s messages newest first, the id breaking ties, and counts them', async () => {
      const { caixaDeSaida } = createRepositories(database.db);
      const cliente = await insertCliente();
      const mensagem = (criadaEm: number, instancia: 1 | 2 = 1) => ({ id: newId('mensagem'), clienteId: cliente.id, instancia, canal: 'sms' as const, destino: '+5511999990000', texto: 'Código 123456', criadaEm });
      const [oldest, tieA, tieB, producao] = [mensagem(NOW), mensagem(NOW + 1), mensagem(NOW + 1), mensagem(NOW + 2, 2)];
      for (const m of [tieA, oldest, producao, tieB]) await caixaDeSaida.insert(m);

      const scope = { clienteId: cliente.id, instancia: 1 as const };
      const newestFirst = [...[tieA, tieB].sort((a, b) => (a.id < b.id ? 1 : -1)), oldest].map(({ id, canal, destino, texto, criadaEm }) => ({ id, canal, destino, texto, criadaEm }));
      expect(await caixaDeSaida.listNewestFirst(scope, { limit: 2, offset: 0 })).toEqual(newestFirst.slice(0, 2));
      expect(await caixaDeSaida.listNewestFirst(scope, { limit: 2, offset: 2 })).toEqual(newestFirst.slice(2));
      expect(await caixaDeSaida.count(scope)).toBe(3);
      expect(await caixaDeSaida.count({ clienteId: cliente.id, instancia: 2 })).toBe(1);
    });
  });

  it('returns epoch-millisecond bigint columns as JS numbers', async () => {
    const cliente = await insertCliente();
    const user = await insertUser();
    await users.recordSuccessfulLogin(user.id, NOW + 1);
    await sessions.insert({ id: newId('painelSession'), tokenHash: sha256Hex(uniqueSuffix()), userId: user.id, now: NOW, idleExpiresAt: NOW + 1, expiresAt: NOW + 2 });
    const token = newToken(cliente.id);
    await tokens.insert({ ...token, createdBy: user.id });
    await tokens.touchLastUsed(token.id, NOW + 3);
    await tokens.revoke(cliente.id, token.id, NOW + 4);

    const rows = [
      await database.db.selectFrom('clientes').selectAll().where('id', '=', cliente.id).executeTakeFirstOrThrow(),
      await database.db.selectFrom('instancias').selectAll().where('cliente_id', '=', cliente.id).executeTakeFirstOrThrow(),
      await database.db.selectFrom('painel_users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow(),
      await database.db.selectFrom('painel_sessions').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow(),
      await database.db.selectFrom('client_tokens').selectAll().where('id', '=', token.id).executeTakeFirstOrThrow(),
    ];
    const timeColumns = rows.flatMap((row) => Object.entries(row).filter(([column]) => /_(at|until)$/.test(column)));
    // created_at ×5, updated_at ×2, last_login_at, last_seen_at, idle_expires_at, expires_at,
    // last_used_at, revoked_at: all set above, so none may be null.
    expect(timeColumns).toHaveLength(13);
    for (const [column, value] of timeColumns) expect({ column, type: typeof value }).toEqual({ column, type: 'number' });
    expect(rows[2]).toMatchObject({ last_login_at: NOW + 1 });
    expect(rows[4]).toMatchObject({ created_at: NOW, last_used_at: NOW + 3, revoked_at: NOW + 4 });
  });

  describe('migrations', () => {
    // On PostgreSQL, under the lock that keeps other test files from dropping their schemas meanwhile.
    const migrating = <T,>(work: () => Promise<T>) => (kind === 'postgres' ? migrateTestSchema(postgresUrl!, work) : work());

    it('applies nothing the second time', async () => {
      expect(await migrating(() => migrateToLatest(database.db))).toEqual([]);
    });

    it('lets two nodes migrate a fresh database at the same time', async () => {
      const fresh = await openFreshStore(kind);
      try {
        const results = await migrating(() => Promise.allSettled([migrateToLatest(fresh.nodes[0].db), migrateToLatest(fresh.nodes[1].db)]));
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
        const applied = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
        expect(applied.sort()).toEqual(Object.keys(migrations).sort());
        // The schema is usable from both nodes afterwards.
        const cliente = newCliente('Após migração');
        await createClientesRepo(fresh.nodes[0].db).insert(cliente);
        expect((await createClientesRepo(fresh.nodes[1].db).findById(cliente.id))?.instancias).toHaveLength(2);
        expect(await migrating(() => migrateToLatest(fresh.nodes[1].db))).toEqual([]);
      } finally {
        await fresh.dispose();
      }
    });
  });
});

/**
 * Two handles on a brand-new, unmigrated store. PostgreSQL: two pools on a new schema, i.e. two
 * nodes. SQLite is one embedded node by design, so both calls share its one handle (a second
 * handle in the same process would block the event loop on SQLite's busy wait).
 */
async function openFreshStore(kind: DatabaseKind): Promise<{ nodes: [Database, Database]; dispose(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ponte-migrate-'));
    const database = openDatabase({ kind, file: join(dir, 'ponte.db') });
    return {
      nodes: [database, database],
      async dispose() {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = postgresUrl!;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await createTestSchema(url, schema);
  const nodes: [Database, Database] = [
    openDatabase({ kind, url, searchPath: schema, poolSize: 2 }),
    openDatabase({ kind, url, searchPath: schema, poolSize: 2 }),
  ];
  return {
    nodes,
    async dispose() {
      await Promise.all(nodes.map((n) => n.close()));
      await dropTestSchema(url, schema);
    },
  };
}
