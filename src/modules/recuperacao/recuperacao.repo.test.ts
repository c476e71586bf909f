import { createAuditService } from '../audit/audit.service.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../../../test/support/infrastructure.ts';
import { manualClock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import { createClientesService } from '../clientes/clientes.service.ts';
import { createRecuperacaoRepo, type RecuperacaoRepo, type RecuperacaoRow } from './recuperacao.repo.ts';
import { createRepositories } from '../../repositories.ts';

/**
 * The guarded updates behind recovery, on each database: what must still hold is in the WHERE,
 * so stale readers and concurrent requests cannot push a flow past its rules.
 */
const NOW = Date.UTC(2026, 0, 1, 12);
const MINUTE = 60_000;

describe.each(databaseKinds())('recuperacao repository on %s', (kind) => {
  let database: TestDatabase;
  let repo: RecuperacaoRepo;
  let clienteId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    repo = createRecuperacaoRepo(database.db);
    clienteId = (await createClientesService({ db: database.db, repos: createRepositories(database.db), clock: manualClock(NOW), audit: createAuditService({ repos: createRepositories(database.db), clock: manualClock(NOW) }) }).create({ nome: 'Operadora' })).id;
  });
  afterAll(async () => {
    await database?.dispose();
  });

  async function newFlow(): Promise<RecuperacaoRow> {
    const row: RecuperacaoRow = {
      id: newId('recuperacao'),
      clienteId,
      instancia: 1,
      estadoSelado: 'selado',
      contatoEscolhido: null,
      codigoHash: null,
      codigoExpiresAt: null,
      tentativas: 0,
      verificadoEm: null,
      concluidoEm: null,
      createdAt: NOW,
      expiresAt: NOW + 30 * MINUTE,
    };
    await repo.insert(row);
    return row;
  }

  it('finds a flow only for its own cliente and instância', async () => {
    const flow = await newFlow();
    expect(await repo.find(flow.id, clienteId, 1)).toEqual(flow);
    expect(await repo.find(flow.id, clienteId, 2)).toBeUndefined();
    expect(await repo.find(flow.id, 'cli_outro', 1)).toBeUndefined();
  });

  it('counts attempts only below the maximum, only for the current unexpired code, even concurrently', async () => {
    const flow = await newFlow();
    expect(await repo.armCode(flow.id, { hash: 'h1', expiresAt: NOW + 10 * MINUTE, contatoId: '1' }, NOW)).toBe(true);
    const counts = await Promise.all(Array.from({ length: 12 }, () => repo.countAttempt(flow.id, 'h1', 5, NOW)));
    expect(counts.filter((c) => c !== undefined).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(await repo.countAttempt(flow.id, 'h1', 5, NOW)).toBeUndefined();

    // A new code replaces the old one and starts again from zero attempts.
    expect(await repo.armCode(flow.id, { hash: 'h2', expiresAt: NOW + 10 * MINUTE, contatoId: '1' }, NOW)).toBe(true);
    expect(await repo.countAttempt(flow.id, 'h1', 5, NOW)).toBeUndefined();
    expect(await repo.countAttempt(flow.id, 'h2', 5, NOW)).toBe(1);
    expect(await repo.countAttempt(flow.id, 'h2', 5, NOW + 10 * MINUTE)).toBeUndefined();
  });

  it('a verification consumes the code once; a void only removes the code it names', async () => {
    const flow = await newFlow();
    await repo.armCode(flow.id, { hash: 'h1', expiresAt: NOW + 10 * MINUTE, contatoId: '1' }, NOW);
    await repo.voidCode(flow.id, 'outro');
    expect((await repo.find(flow.id, clienteId, 1))?.codigoHash).toBe('h1');
    const verifications = await Promise.all([repo.markVerified(flow.id, 'h1', NOW), repo.markVerified(flow.id, 'h1', NOW)]);
    expect(verifications.sort()).toEqual([false, true]);
    expect(await repo.find(flow.id, clienteId, 1)).toMatchObject({ verificadoEm: NOW, codigoHash: null });
    await repo.armCode(flow.id, { hash: 'h3', expiresAt: NOW + 10 * MINUTE, contatoId: '3' }, NOW);
    expect(await repo.find(flow.id, clienteId, 1)).toMatchObject({ verificadoEm: null, codigoHash: 'h3', contatoEscolhido: '3' });
    await repo.voidCode(flow.id, 'h3');
    expect((await repo.find(flow.id, clienteId, 1))?.codigoHash).toBeNull();
  });

  it('a verified flow is claimed for its password change once; a release gives it back', async () => {
    const flow = await newFlow();
    expect(await repo.claimConclusion(flow.id, NOW)).toBe(false);
    await repo.armCode(flow.id, { hash: 'h1', expiresAt: NOW + 10 * MINUTE, contatoId: '1' }, NOW);
    await repo.markVerified(flow.id, 'h1', NOW);

    const claims = await Promise.all([repo.claimConclusion(flow.id, NOW + 1), repo.claimConclusion(flow.id, NOW + 1)]);
    expect(claims.sort()).toEqual([false, true]);
    await repo.releaseConclusion(flow.id, NOW + 1);
    expect(await repo.claimConclusion(flow.id, NOW + 2)).toBe(true);
    // A concluded flow takes no new code, and an expired one no claim.
    expect(await repo.armCode(flow.id, { hash: 'h9', expiresAt: NOW + 10 * MINUTE, contatoId: '1' }, NOW + 3)).toBe(false);
    const late = await newFlow();
    await repo.armCode(late.id, { hash: 'h1', expiresAt: NOW + 10 * MINUTE, contatoId: '1' }, NOW);
    await repo.markVerified(late.id, 'h1', NOW);
    expect(await repo.claimConclusion(late.id, NOW + 30 * MINUTE)).toBe(false);
  });
});
