import { describe, expectTypeOf, it } from 'vitest';
import type { LoginResponse, Permissao } from '../app-sessions/perfil.ts';
import type { ResponseOf } from './contracts.ts';

/**
 * The types of operator data come from the contract declarations (`Infer<>` in contract-spec.ts),
 * never restated: these checks fail to compile (`npm test` runs tsc first) if a declaration and
 * the type the code relies on part ways.
 */
describe('types inferred from the contracts', () => {
  it('M fields are required and never null; OP and C fields optional or null', () => {
    expectTypeOf<LoginResponse['usuarioLogado']['chaveUnica']>().toEqualTypeOf<string>();
    expectTypeOf<LoginResponse['usuarioLogado']['nome']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<LoginResponse['beneficiarios']>().toEqualTypeOf<ResponseOf<'login'>['beneficiarios']>();
    expectTypeOf<NonNullable<LoginResponse['beneficiarios']>[number]['dadosPessoais']['dataNascimento']>().toEqualTypeOf<string>();
  });

  it('oneOf becomes a union of its values', () => {
    expectTypeOf<ResponseOf<'recuperarSenhaIdentificacao'>['contatos'][number]['tipo']>().toEqualTypeOf<1 | 2>();
    expectTypeOf<LoginResponse['contratos'][number]['tipo']>().toEqualTypeOf<'beneficiario' | 'profissionalSaude'>();
  });

  it('stringOrNull, free-form objects and any keep their meaning', () => {
    expectTypeOf<Permissao['mensagemBloqueio']>().toEqualTypeOf<string | null | undefined>();
    expectTypeOf<NonNullable<LoginResponse['beneficiarios']>[number]['integracao']>().toEqualTypeOf<Record<string, unknown>>();
    expectTypeOf<LoginResponse['usuarioLogado']['integracao']>().toEqualTypeOf<unknown>();
    expectTypeOf<ResponseOf<'autorizacao'>['auth'][number]>().toEqualTypeOf<{ token: string; chave: string }>();
  });
});
