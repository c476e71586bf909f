import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientToken, createCliente } from '../../../test/support/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';

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
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual(['critical', 'data', 'message', 'status', 'statusCode', 'timestamp']);
    expect(body).toMatchObject({ status: true, message: 'Token gerado com sucesso!', statusCode: 200, critical: [] });
    expect(Object.keys(body.data).sort()).toEqual(['expireAt', 'token']);
    const claims = decodeJwt(body.data.token);
    expect(decodeProtectedHeader(body.data.token)).toMatchObject({ alg: 'HS256', typ: 'JWT', kid: 'k1' });
    expect(claims).toEqual({ key: token.id, aud: 'cliente_temporario', idCliente: cliente.id, iat: expect.any(Number), exp: expect.any(Number) });
    expect(claims.exp! - claims.iat!).toBe(43_200);
    expect(body.data.expireAt - body.timestamp).toBeGreaterThanOrEqual(43_200_000 - 5);
    expect(body.data.expireAt).toBeGreaterThanOrEqual(before + 43_200_000);
    expect(Math.floor(body.data.expireAt / 1000)).toBe(claims.exp);
  });
});
