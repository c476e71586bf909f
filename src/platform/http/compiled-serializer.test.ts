import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sessaoCriadaSchema } from '../../modules/app-sessions/app-api.schemas.ts';
import { chavePasseViews } from '../../modules/chave-passe/chave-passe-data.routes.ts';
import { compiledResponse, responseSerializerCompiler } from './compiled-serializer.ts';
import { clientesEnvelopeSchema } from './envelope.ts';

/**
 * The compiled serializer of the hot routes must write, byte for byte, what Zod's serializer wrote:
 * the same properties in the same order, undeclared ones left out, strings escaped alike, an
 * `unknown` value (the operator's `integracao`) as it came, and a missing required property an error.
 */

const compile = (schema: z.ZodType) => responseSerializerCompiler({ schema: compiledResponse(schema), method: 'GET', url: '/teste' });
const zodBytes = (schema: z.ZodType, data: unknown) => JSON.stringify(schema.parse(data));

// Strings JSON writers disagree on when careless: quotes, backslashes, controls, U+2028/2029, lone surrogates, emoji, HTML.
const tricky = 'Zé "Aspas" \\ barra\n\t\u0001 \u2028\u2029 \ud800 😀 </script><b>';
const integracao = { numero_cartao_benef: '00010002000001000', cpf: '92188083970', n: 9288701, f: 1.5, neg: -0, ok: true, nada: null, lista: [1, 'dois', { três: [null] }], [tricky]: tricky };

const login = {
  perfil: {
    usuario: { login: '52998224725', chaveUnica: '52998224725', nome: tricky, esquemaCor: null, extra: 'não declarado' },
    contratos: [{ numeroContrato: '000123', tipo: 'titular', descricaoContrato: null }],
    beneficiarios: [
      { chaveUnica: '52998224725', nome: 'Ana', dataNascimento: '1980-03-14' },
      { chaveUnica: '10020030250', nome: tricky, dataNascimento: '2012-07-02', integracao },
    ],
  },
  funcionalidades: [{ chaveFuncionalidade: '8f14e45f', nome: 'Telemedicina', bloqueada: true, mensagemBloqueio: tricky }],
  expiraEm: 1644936988177,
  token: 'asn_Vd3kQ9sLx2Rm7TzB1nWc8YpE4hGu6aJf',
};

const envelope = (data: unknown) => ({ status: true, data, message: 'Dados carregados com sucesso.', critical: [], statusCode: 200, timestamp: 1644936988177 });

describe('compiled response serializer', () => {
  it('writes the login answer exactly as Zod did, undeclared properties left out', () => {
    const bytes = compile(sessaoCriadaSchema)(login);
    expect(bytes).toBe(zodBytes(sessaoCriadaSchema, login));
    expect(bytes).not.toContain('não declarado');
    expect(JSON.parse(bytes).perfil.usuario.nome).toBe(tricky);
  });

  it.each([
    ['usuario', { chaveUnica: '52998224725', integracao }],
    ['usuario', { chaveUnica: '52998224725', integracao: {} }],
    ['usuario', { chaveUnica: tricky, integracao: [integracao, 'texto', 42, null] }],
    ['grupoFamiliar', [{ chaveUnica: '1', nome: tricky, dataNascimento: '1980-03-14', integracao, usuarioLogado: true }, { chaveUnica: '2', nome: 'B', dataNascimento: '2012-07-02', integracao: undefined, usuarioLogado: false }]],
    ['grupoFamiliar', []],
    ['sistema', { plataforma: 'android', versaoApp: '3.12.0', dispositivo: null, idioma: 'pt-BR', geolocalizacao: { latitude: -23.5613, longitude: -46.6565, precisaoMetros: null }, abertoEm: 1644936984177, instanciaApp: '1' }],
    ['sistema', { plataforma: 'ios', versaoApp: '1', dispositivo: tricky, idioma: null, geolocalizacao: null, abertoEm: 1, instanciaApp: '2' }],
    ['chavePasse', { funcionalidade: { nome: tricky, chaveFuncionalidade: '8f14e45f' }, criadaEm: 1, expiraEm: 2, instanciaApp: '1' }],
  ] as const)('writes /clientes/chavePasse/%s exactly as Zod did (%#)', (view, data) => {
    const schema = clientesEnvelopeSchema(chavePasseViews[view].data);
    expect(compile(schema)(envelope(data))).toBe(zodBytes(schema, envelope(data)));
  });

  it('refuses an answer missing a required property, as Zod did (the route answers 500)', () => {
    const { token: _token, ...semToken } = login;
    expect(() => zodBytes(sessaoCriadaSchema, semToken)).toThrow();
    expect(() => compile(sessaoCriadaSchema)(semToken)).toThrow();
  });

  it('refuses to compile a schema with an optional property, whose order it would change', () => {
    expect(() => compile(z.object({ a: z.string().optional(), b: z.string() }))).toThrow(/\$\.a é opcional/);
  });

  it('leaves unmarked schemas to Zod, which also refuses a wrong type', () => {
    const schema = z.object({ n: z.number() });
    const serialize = responseSerializerCompiler({ schema, method: 'GET', url: '/teste' });
    expect(serialize({ n: 1 })).toBe('{"n":1}');
    expect(() => serialize({ n: 'um' })).toThrow();
  });
});
