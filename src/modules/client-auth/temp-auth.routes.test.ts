import { randomBytes } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientToken, createCliente } from '../../../test/support/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';

const TEMP_AUTH = '/clientes/auth/temp-authorization';

/** Every response, success or failure, carries its request id (in the header only). */
async function call(t: TestApp, options: Omit<InjectOptions, 'url'> & { authorization?: string }): Promise<LightMyRequestResponse> {
  const { authorization, headers, ...rest } = options;
  const response = await t.app.inject({
    method: 'POST',
    url: TEMP_AUTH,
    ...rest,
    headers: { ...(authorization !== undefined ? { authorization } : {}), ...headers },
  });
  expect(response.headers['x-request-id']).toMatch(/^req_[0-9a-f]+$/);
  return response;
}

/** The seed's failure: HTTP 401 and exactly these two fields, nothing else. */
function expectInvalidToken(response: LightMyRequestResponse): void {
  expect(response.statusCode).toBe(401);
  const body: unknown = JSON.parse(response.body);
  expect(body).toStrictEqual({ success: false, message: 'Invalid token.' });
  expect(Object.keys(body as object)).toEqual(['success', 'message']);
}

/** A successful mint: the seed envelope and a JWT of exactly 12 hours for `cliente`'s token. */
function expectMinted(response: LightMyRequestResponse, expected: { codigo: number; chavePublica: string }): string {
  expect(response.statusCode).toBe(200);
  const body = response.json();
  expect(body).toMatchObject({ status: true, message: 'Token gerado com sucesso!', statusCode: 200 });
  const claims = decodeJwt(body.data.token);
  expect(claims).toMatchObject({ key: expected.chavePublica, idCliente: expected.codigo, aud: 'cliente_temporario' });
  expect(claims.exp! - claims.iat!).toBe(43_200);
  return body.data.token as string;
}

// Each failing call gets its own loopback address so the per-IP failure limit never interferes.
let lastOctet = 0;
const freshIp = () => `127.0.2.${++lastOctet}`;

describe('POST /clientes/auth/temp-authorization', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers the seed envelope with a 12-hour HS256 JWT', async () => {
    const cliente = await createCliente(t);
    const { token, plaintext } = await createClientToken(t, cliente.id);
    const before = Date.now();
    const response = await t.app.inject({
      method: 'POST',
      url: '/clientes/auth/temp-authorization',
      headers: { authorization: plaintext, 'content-type': 'application/json' },
    });
    const after = Date.now();
    expect(response.statusCode).toBe(200);
    const body = response.json();
    // Exactly the seed's five attributes: no `critical` on this success body.
    expect(Object.keys(body).sort()).toEqual(['data', 'message', 'status', 'statusCode', 'timestamp']);
    expect(body).toMatchObject({ status: true, message: 'Token gerado com sucesso!', statusCode: 200 });
    expect(Object.keys(body.data).sort()).toEqual(['expireAt', 'token']);
    const claims = decodeJwt(body.data.token);
    expect(decodeProtectedHeader(body.data.token)).toMatchObject({ alg: 'HS256', typ: 'JWT', kid: 'k1' });
    expect(claims).toEqual({ key: token.chavePublica, aud: 'cliente_temporario', idCliente: cliente.codigo, iat: expect.any(Number), exp: expect.any(Number) });
    expect(claims.key).toMatch(/^[0-9a-f]{64}$/);
    expect(typeof claims.idCliente).toBe('number');
    expect(claims.exp! - claims.iat!).toBe(43_200);
    // 12 h after the request was handled: bounded by the clock before and after the call, never by a speed
    // (a `>= 43_200_000 - 5` margin against `timestamp` failed under load).
    expect(body.data.expireAt).toBeGreaterThanOrEqual(before + 43_200_000);
    expect(body.data.expireAt).toBeLessThanOrEqual(after + 43_200_000);
    expect(body.data.expireAt - body.timestamp).toBeLessThanOrEqual(43_200_000);
    expect(Math.floor(body.data.expireAt / 1000)).toBe(claims.exp);
  });

  describe('accepted requests', () => {
    let expected: { codigo: number; chavePublica: string };
    let plaintext: string;
    beforeAll(async () => {
      const cliente = await createCliente(t);
      const created = await createClientToken(t, cliente.id);
      expected = { codigo: cliente.codigo, chavePublica: created.token.chavePublica };
      plaintext = created.plaintext;
    });

    it('accepts GET as well as POST', async () => {
      expectMinted(await call(t, { method: 'GET', authorization: plaintext }), expected);
    });

    it.each(['Bearer', 'bearer', 'BEARER', 'BeArEr'])('accepts "%s <token>"', async (scheme) => {
      expectMinted(await call(t, { authorization: `${scheme} ${plaintext}` }), expected);
    });

    it('accepts Content-Type: application/json with an empty body, as the seed example sends it', async () => {
      const response = await call(t, { authorization: plaintext, headers: { 'content-type': 'application/json' }, payload: '' });
      expectMinted(response, expected);
    });
  });

  describe('refused requests: HTTP 401 with exactly the seed body', () => {
    let plaintext: string;
    beforeAll(async () => {
      const cliente = await createCliente(t);
      plaintext = (await createClientToken(t, cliente.id)).plaintext;
    });

    it('refuses a request without Authorization', async () => {
      expectInvalidToken(await call(t, { remoteAddress: freshIp() }));
    });

    it('refuses an empty Authorization', async () => {
      expectInvalidToken(await call(t, { authorization: '', remoteAddress: freshIp() }));
    });

    it('refuses "Bearer" alone and "Bearer " with nothing after it', async () => {
      expectInvalidToken(await call(t, { authorization: 'Bearer', remoteAddress: freshIp() }));
      expectInvalidToken(await call(t, { authorization: 'Bearer    ', remoteAddress: freshIp() }));
    });

    it('refuses a token with spaces inside, raw or after Bearer', async () => {
      const split = `${plaintext.slice(0, 10)} ${plaintext.slice(10)}`;
      expectInvalidToken(await call(t, { authorization: split, remoteAddress: freshIp() }));
      expectInvalidToken(await call(t, { authorization: `Bearer ${split}`, remoteAddress: freshIp() }));
      expectInvalidToken(await call(t, { authorization: `Bearer Bearer ${plaintext}`, remoteAddress: freshIp() }));
    });

    it('refuses an unknown token', async () => {
      expectInvalidToken(await call(t, { authorization: `ptk_${randomBytes(32).toString('base64url')}`, remoteAddress: freshIp() }));
    });

    it('refuses a revoked token', async () => {
      const cliente = await createCliente(t);
      const { token, plaintext: revoked } = await createClientToken(t, cliente.id);
      expect((await call(t, { authorization: revoked })).statusCode).toBe(200);
      await t.services.tokens.revoke({ tokenId: token.id, actor: { userId: null, label: 'teste' } });
      expectInvalidToken(await call(t, { authorization: revoked, remoteAddress: freshIp() }));
    });

    it('refuses a temp token used to mint another temp token, raw or as Bearer', async () => {
      const temp = (await call(t, { authorization: plaintext })).json().data.token as string;
      expectInvalidToken(await call(t, { authorization: temp, remoteAddress: freshIp() }));
      expectInvalidToken(await call(t, { authorization: `Bearer ${temp}`, remoteAddress: freshIp() }));
    });

    it('refuses a well-formed JWT signed with another key under the same kid', async () => {
      const cliente = await createCliente(t);
      const { token } = await createClientToken(t, cliente.id);
      const now = Math.floor(Date.now() / 1000);
      const forged = await new SignJWT({ key: token.chavePublica, aud: 'cliente_temporario', idCliente: cliente.codigo })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: 'k1' })
        .setIssuedAt(now)
        .setExpirationTime(now + 43_200)
        .sign(randomBytes(32));
      expectInvalidToken(await call(t, { authorization: forged, remoteAddress: freshIp() }));
    });

    it('refuses an Authorization longer than 4096 characters', async () => {
      expectInvalidToken(await call(t, { authorization: `ptk_${'a'.repeat(4_100)}`, remoteAddress: freshIp() }));
      // Even when it holds a valid token: the length bound applies to the header as sent.
      expectInvalidToken(await call(t, { authorization: `Bearer${' '.repeat(4_100)}${plaintext}`, remoteAddress: freshIp() }));
    });
  });
});

describe('per-IP limit on failed authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { PONTE_AUTH_FAILURES_PER_IP: '3' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('past 3 failures an IP still gets the seed 401, now with Retry-After; a valid token from it is still minted', async () => {
    const cliente = await createCliente(t);
    const { token, plaintext } = await createClientToken(t, cliente.id);
    const blocked = '127.0.3.1';
    for (let i = 0; i < 3; i += 1) {
      const response = await call(t, { authorization: `ptk_${randomBytes(32).toString('base64url')}`, remoteAddress: blocked });
      expectInvalidToken(response);
      expect(response.headers['retry-after']).toBeUndefined();
    }

    // Over the limit: the seed says errors are always 401, so the refusal stays that body and says when to retry.
    for (const authorization of [`ptk_${randomBytes(32).toString('base64url')}`, 'lixo', undefined]) {
      const refused = await call(t, { ...(authorization === undefined ? {} : { authorization }), remoteAddress: blocked });
      expectInvalidToken(refused);
      const retryAfter = Number(refused.headers['retry-after']);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(t.config.authFailureWindowSeconds);
    }

    // Someone else's failures never refuse a valid token: cached here, or never seen on this node.
    expectMinted(await call(t, { authorization: plaintext, remoteAddress: blocked }), { codigo: cliente.codigo, chavePublica: token.chavePublica });
    const fresh = await createClientToken(t, cliente.id);
    expectMinted(await call(t, { authorization: `Bearer ${fresh.plaintext}`, remoteAddress: blocked }), { codigo: cliente.codigo, chavePublica: fresh.token.chavePublica });
  });
});
