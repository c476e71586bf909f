import fc from 'fast-check';
import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { jsonNestingExceeds, MAX_JSON_DEPTH } from '../json-depth.ts';
import { registerErrorHandling } from './error-handler.ts';
import { forbiddenInputError, hasForbiddenCharacters, registerInputGuard, renderFrameworkError } from './input-guard.ts';

/** An independent oracle: in a `u` regex a valid pair is one code point, so only lone halves match. */
const forbiddenByRegex = (s: string) => /[\0\uD800-\uDFFF]/u.test(s);

describe('hasForbiddenCharacters', () => {
  it.each([
    ['NUL alone', '\u0000', true],
    ['NUL inside', 'a\u0000b', true],
    ['lone high surrogate', 'x\ud800', true],
    ['lone low surrogate', '\udc00x', true],
    ['pair in the wrong order', '\ude00\ud83d', true],
    ['high surrogate at the end', '😀\ud83d', true],
    ['emoji (valid pair)', 'olá 😀', false],
    ['ASCII', 'joao@exemplo.com.br', false],
    ['Latin-1 and the replacement character', 'ção \ufffd', false],
    ['empty', '', false],
    ['the escape text, not the character', '\\u0000 %00', false],
  ])('%s', (_label, text, expected) => {
    expect(hasForbiddenCharacters(text)).toBe(expected);
  });

  it('agrees with a regular-expression oracle on arbitrary UTF-16', () => {
    const units = fc.oneof(fc.string({ unit: fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)) }), fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 12 }).map((codes) => String.fromCharCode(...codes)));
    fc.assert(fc.property(units, (s) => hasForbiddenCharacters(s) === forbiddenByRegex(s)));
  });
});

describe('forbiddenInputError', () => {
  const detailsOf = (error: AppError | undefined) => {
    expect(error).toBeInstanceOf(AppError);
    return { code: error!.code, status: error!.status, details: error!.options.details };
  };

  it('lets clean values through, whatever their shape', () => {
    for (const value of [undefined, null, 0, true, 'texto', [], {}, { a: [1, 'b', { c: null }] }, Object.assign(Object.create(null) as object, { q: ['1', '2'] })]) {
      expect(forbiddenInputError(value)).toBeUndefined();
    }
  });

  it('names the field that holds a NUL, by its path in the body', () => {
    const found = detailsOf(forbiddenInputError({ campos: { login: 'ok', contatos: ['a', 'b\u0000'] } }));
    expect(found).toMatchObject({ code: 'VALIDATION_FAILED', status: 400, details: [{ field: 'campos.contatos.1', message: expect.stringContaining('nulo') }] });
  });

  it('refuses a key with a lone surrogate, showing it escaped', () => {
    const found = detailsOf(forbiddenInputError({ ok: 1, ['a\ud800']: 2 }));
    expect(found.details).toEqual([{ field: 'a\\ud800', message: expect.stringContaining('Unicode') }]);
  });

  it('names a bare string body "corpo"', () => {
    expect(detailsOf(forbiddenInputError('\udfff')).details).toEqual([{ field: 'corpo', message: expect.any(String) }]);
  });

  it('refuses a structure deeper than any parsed body as malformed, without overflowing', () => {
    let deep: unknown = 'folha';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(detailsOf(forbiddenInputError(deep)).code).toBe('MALFORMED_REQUEST');
  });

  it('walks exactly what the JSON parser accepts', () => {
    const atLimit = JSON.parse('['.repeat(MAX_JSON_DEPTH) + '"\\u0000"' + ']'.repeat(MAX_JSON_DEPTH)) as unknown;
    expect(detailsOf(forbiddenInputError(atLimit)).code).toBe('VALIDATION_FAILED');
  });
});

describe('jsonNestingExceeds', () => {
  const nested = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

  it(`accepts ${MAX_JSON_DEPTH} levels and refuses ${MAX_JSON_DEPTH + 1}`, () => {
    expect(jsonNestingExceeds(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonNestingExceeds(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(jsonNestingExceeds('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1))).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes and backslashes included', () => {
    const inString = JSON.stringify({ a: '['.repeat(1000), b: '\\"[[[[', c: '\\', d: '"{{{{' });
    expect(jsonNestingExceeds(inString, 1)).toBe(false);
    expect(jsonNestingExceeds('["\\\\", [[1]]]', 2)).toBe(true);
    expect(jsonNestingExceeds('["\\"", [1]]', 2)).toBe(false);
  });

  it('counts depth, not the number of brackets', () => {
    expect(jsonNestingExceeds(`[${'[],'.repeat(10_000)}[]]`, 2)).toBe(false);
  });

  it('never throws on text that is not JSON', () => {
    for (const text of ['', '{', ']]]]', '"', '"\\', 'abc', '\u0000']) expect(() => jsonNestingExceeds(text)).not.toThrow();
  });

  it('scans 400 000 levels in one pass', () => {
    expect(jsonNestingExceeds('['.repeat(400_000) + ']'.repeat(400_000))).toBe(true);
  });

  it('agrees with the depth of the value it serializes', () => {
    const depthOf = (value: unknown): number =>
      typeof value === 'object' && value !== null ? 1 + Math.max(0, ...Object.values(value as object).map(depthOf)) : 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (value, limit) => {
        expect(jsonNestingExceeds(JSON.stringify(value), limit)).toBe(depthOf(value) > limit);
      }),
    );
  });
});

describe('the input guard on a Fastify app', () => {
  let app: FastifyInstance;
  const calls: string[] = [];

  beforeAll(async () => {
    app = Fastify({ frameworkErrors: renderFrameworkError });
    registerInputGuard(app);
    registerErrorHandling(app);
    app.post('/painel/api/itens/:id', async (request) => {
      calls.push((request.params as { id: string }).id);
      return { ok: true };
    });
    app.get('/clientes/itens/:id', async () => ({ ok: true }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  const refused = async (options: InjectOptions) => {
    const response = await app.inject(options);
    expect(response.statusCode, response.body).toBe(400);
    return response.json();
  };

  it('lets a clean request reach its handler', async () => {
    const response = await app.inject({ method: 'POST', url: '/painel/api/itens/abc?q=ção', payload: { nome: 'olá 😀', lista: [{ a: 1 }] } });
    expect(response.statusCode, response.body).toBe(200);
    expect(calls).toEqual(['abc']);
  });

  it('refuses %00 in a path parameter before the handler runs', async () => {
    const body = await refused({ method: 'POST', url: '/painel/api/itens/a%00b', payload: {} });
    expect(body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'id' }] });
    expect(calls).toEqual(['abc']);
  });

  it('refuses NUL in a query value or key', async () => {
    expect((await refused({ method: 'POST', url: '/painel/api/itens/x?q=%00', payload: {} })).error.details).toEqual([{ field: 'q', message: expect.any(String) }]);
    expect((await refused({ method: 'POST', url: '/painel/api/itens/x?%00=1', payload: {} })).error.details).toEqual([{ field: '\\u0000', message: expect.any(String) }]);
  });

  it('refuses %00 in a path no route matched', async () => {
    expect((await refused({ method: 'GET', url: '/nada/%00' })).error.details).toEqual([{ field: 'caminho', message: expect.any(String) }]);
  });

  it('refuses NUL and lone surrogates in JSON bodies, keys included', async () => {
    const json = { 'content-type': 'application/json' };
    const cases = ['{"nome":"a\\u0000"}', '{"nome":"\\ud800"}', '{"\\u0000":1}', '[{"a":["\\udc00"]}]', '"\\u0000"'];
    for (const payload of cases) expect((await refused({ method: 'POST', url: '/painel/api/itens/x', headers: json, payload })).error.code).toBe('VALIDATION_FAILED');
  });

  it('answers in the /clientes envelope on that surface', async () => {
    const body = await refused({ method: 'GET', url: '/clientes/itens/%00' });
    expect(body).toMatchObject({ status: false, statusCode: 400, critical: [{ campo: 'id', mensagem: expect.any(String) }] });
  });

  it('renders an undecodable URL as a 400 in the surface shape', async () => {
    expect((await refused({ method: 'GET', url: '/clientes/itens/%ZZ' })).critical).toEqual([{ campo: 'caminho', mensagem: expect.any(String) }]);
    expect((await refused({ method: 'POST', url: '/painel/api/itens/%ED%A0%80', payload: {} })).error.code).toBe('VALIDATION_FAILED');
  });
});
