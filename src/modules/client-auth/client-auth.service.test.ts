import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { createClientToken, createCliente } from '../../../test/support/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { tokenFromAuthorization, type ClientAuthenticator } from './client-auth.service.ts';

const system = { userId: null, label: 'teste' };
/** Where these calls come from: far fewer failures than the per-IP limit. */
const IP = '127.0.4.1';

/** 'OK' when `authenticate` accepts, else the AppError code it threw. */
async function outcome(authenticator: ClientAuthenticator, ...args: Parameters<ClientAuthenticator['authenticate']>): Promise<string> {
  try {
    await authenticator.authenticate(...args);
    return 'OK';
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

describe('tokenFromAuthorization', () => {
  it.each([
    ['ptk_abc', 'ptk_abc'],
    ['Bearer ptk_abc', 'ptk_abc'],
    ['bearer ptk_abc', 'ptk_abc'],
    ['BEARER   ptk_abc  ', 'ptk_abc'],
    ['  ptk_abc  ', 'ptk_abc'],
    ['a.b.c', 'a.b.c'],
  ])('reads %j as %j', (header, token) => {
    expect(tokenFromAuthorization(header)).toBe(token);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['only spaces', '   '],
    ['space inside the token', 'ptk_ab c'],
    ['space inside after Bearer', 'Bearer ptk_ab c'],
    ['Bearer twice', 'Bearer Bearer ptk_abc'],
    ['tab inside', 'ptk_ab\tc'],
    ['a header sent twice', ['ptk_abc', 'ptk_abc']],
    ['over 4096 characters', `ptk_${'a'.repeat(4093)}`],
  ])('refuses %s', (_label, header) => {
    expect(tokenFromAuthorization(header)).toBeUndefined();
  });

  it('accepts exactly 4096 characters', () => {
    const header = `ptk_${'a'.repeat(4092)}`;
    expect(header).toHaveLength(4096);
    expect(tokenFromAuthorization(header)).toBe(header);
  });
});

describe('client authenticator', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('accepts a temp token where its parent is accepted, with the parent’s apis and cliente', async () => {
    const cliente = await createCliente(t);
    const { token, plaintext } = await createClientToken(t, cliente.id, ['chavePasse', 'seguranca']);
    const temp = await t.services.tempTokens.mint({ clienteCodigo: cliente.codigo, parentChave: token.chavePublica });

    const viaParent = await t.services.authenticator.authenticate(plaintext, { api: 'seguranca', allowTemp: true, ip: IP });
    const principal = { clienteId: cliente.id, clienteCodigo: cliente.codigo, tokenId: token.id, tokenChave: token.chavePublica, apis: ['chavePasse', 'seguranca'] };
    expect(viaParent).toEqual({ ...principal, viaTempToken: false });
    const viaTemp = await t.services.authenticator.authenticate(`Bearer ${temp.token}`, { api: 'seguranca', allowTemp: true, ip: IP });
    expect(viaTemp).toEqual({ ...principal, viaTempToken: true });
    // Where temp tokens are not allowed (minting another one), the same token is invalid.
    expect(await outcome(t.services.authenticator, temp.token, { allowTemp: false, ip: IP })).toBe('INVALID_TOKEN');
  });

  it('stops accepting a temp token as soon as its parent is revoked on the same node', async () => {
    const cliente = await createCliente(t);
    const { token, plaintext } = await createClientToken(t, cliente.id);
    const temp = await t.services.tempTokens.mint({ clienteCodigo: cliente.codigo, parentChave: token.chavePublica });
    // Warm every cache: the parent by hash and by its public key, the temp token's verified claims.
    expect(await outcome(t.services.authenticator, plaintext, { allowTemp: true, ip: IP })).toBe('OK');
    expect(await outcome(t.services.authenticator, temp.token, { allowTemp: true, ip: IP })).toBe('OK');

    await t.services.tokens.revoke({ clienteId: cliente.id, tokenId: token.id, actor: system });

    expect(await outcome(t.services.authenticator, temp.token, { allowTemp: true, ip: IP })).toBe('INVALID_TOKEN');
    expect(await outcome(t.services.authenticator, plaintext, { allowTemp: true, ip: IP })).toBe('INVALID_TOKEN');
  });

  it('refuses a token, or its temp token, lacking the API with TOKEN_SCOPE_MISSING', async () => {
    const cliente = await createCliente(t);
    const { token, plaintext } = await createClientToken(t, cliente.id, ['chavePasse']);
    const temp = await t.services.tempTokens.mint({ clienteCodigo: cliente.codigo, parentChave: token.chavePublica });
    expect(await outcome(t.services.authenticator, plaintext, { api: 'seguranca', allowTemp: true, ip: IP })).toBe('TOKEN_SCOPE_MISSING');
    expect(await outcome(t.services.authenticator, temp.token, { api: 'seguranca', allowTemp: true, ip: IP })).toBe('TOKEN_SCOPE_MISSING');
    expect(await outcome(t.services.authenticator, plaintext, { api: 'chavePasse', allowTemp: true, ip: IP })).toBe('OK');
  });

  it('refuses a temp token whose parent belongs to another cliente', async () => {
    const owner = await createCliente(t, 'Dona do token');
    const other = await createCliente(t, 'Outra operadora');
    const { token } = await createClientToken(t, owner.id);
    // Validly signed, but claiming a cliente its parent token does not belong to.
    const crossed = await t.services.tempTokens.mint({ clienteCodigo: other.codigo, parentChave: token.chavePublica });
    expect(await outcome(t.services.authenticator, crossed.token, { allowTemp: true, ip: IP })).toBe('INVALID_TOKEN');
    const genuine = await t.services.tempTokens.mint({ clienteCodigo: owner.codigo, parentChave: token.chavePublica });
    expect(await outcome(t.services.authenticator, genuine.token, { allowTemp: true, ip: IP })).toBe('OK');
  });

  it('refuses a temp token whose parent does not exist', async () => {
    const cliente = await createCliente(t);
    const orphan = await t.services.tempTokens.mint({ clienteCodigo: cliente.codigo, parentChave: '0'.repeat(64) });
    expect(await outcome(t.services.authenticator, orphan.token, { allowTemp: true, ip: IP })).toBe('INVALID_TOKEN');
  });
});

describe('revocation across nodes', () => {
  it('a node that did not revoke stops accepting within its cache TTL', async () => {
    const nodeA = await createTestApp();
    try {
      const nodeB = await createTestApp({
        database: nodeA.database,
        kv: nodeA.kv,
        keyring: nodeA.keyring,
        env: { PONTE_TOKEN_CACHE_TTL_SECONDS: '1' },
      });
      try {
        const cliente = await createCliente(nodeA);
        const { token, plaintext } = await createClientToken(nodeA, cliente.id);
        const temp = await nodeA.services.tempTokens.mint({ clienteCodigo: cliente.codigo, parentChave: token.chavePublica });
        const credentials = [plaintext, temp.token];
        for (const node of [nodeA, nodeB]) {
          for (const credential of credentials) expect(await outcome(node.services.authenticator, credential, { allowTemp: true, ip: IP })).toBe('OK');
        }

        await nodeA.services.tokens.revoke({ clienteId: cliente.id, tokenId: token.id, actor: system });

        for (const credential of credentials) expect(await outcome(nodeA.services.authenticator, credential, { allowTemp: true, ip: IP })).toBe('INVALID_TOKEN');
        // Node B may trust its cache for up to 1 s; it must refuse well within 3 s.
        const deadline = Date.now() + 3_000;
        const refusedByB = new Set<string>();
        while (refusedByB.size < credentials.length && Date.now() < deadline) {
          for (const credential of credentials) {
            if ((await outcome(nodeB.services.authenticator, credential, { allowTemp: true, ip: IP })) === 'INVALID_TOKEN') refusedByB.add(credential);
          }
          await sleep(100);
        }
        expect([...refusedByB].sort()).toEqual([...credentials].sort());
      } finally {
        // Node A owns the database and the key-value store: B goes first.
        await nodeB.close();
      }
    } finally {
      await nodeA.close();
    }
  });
});
