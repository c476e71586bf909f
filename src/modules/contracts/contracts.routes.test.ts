import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliente, loginAs } from '../../../test/support/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import type { CampoContratoDto } from './contracts.schemas.ts';
import { operatorMethods } from './contract-spec.ts';
import { contracts } from './contracts.ts';

/**
 * `GET /painel/api/contratos`: the painel's contract view reads the one declaration of each
 * operator method (contracts.ts) — every field, in order, with criterion, type, rule and condition.
 */

type Contrato = { metodo: string; nome: string; sufixo: string; requisicao: { camposFormulario: CampoContratoDto[]; camposFixos: CampoContratoDto[] }; resposta: CampoContratoDto; falha: CampoContratoDto };

const byName = (campos: CampoContratoDto[], nome: string) => {
  const found = campos.find((c) => c.nome === nome);
  if (!found) throw new Error(`campo ${nome} ausente`);
  return found;
};

describe('painel API: contratos', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('needs a painel session', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/painel/api/contratos' });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('answers any logged-in user, even a leitor, with every method as declared', async () => {
    const cliente = await createCliente(t);
    const leitor = await loginAs(t, { clienteId: cliente.id, role: 'leitor' });
    const response = await t.app.inject({ method: 'GET', url: '/painel/api/contratos', headers: { cookie: leitor.cookieHeader } });
    expect(response.statusCode).toBe(200);
    const { contratos } = response.json() as { contratos: Contrato[] };

    expect(contratos.map((c) => c.metodo)).toEqual([...operatorMethods]);
    for (const contrato of contratos) {
      const declared = contracts[contrato.metodo as keyof typeof contracts];
      expect(contrato.nome).toBe(declared.label);
      expect(contrato.sufixo).toBe(declared.suffix);
      expect(contrato.resposta.campos.map((c) => c.nome)).toEqual(Object.keys(declared.response.fields ?? {}));
      expect(contrato.requisicao.camposFormulario.map((c) => c.nome)).toEqual(Object.keys(declared.request.formFields));
      expect(contrato.requisicao.camposFixos.map((c) => c.nome)).toEqual(Object.keys(declared.request.fixedFields));
      expect(byName(contrato.falha.campos, 'mensagem')).toMatchObject({ criterio: 'M', tipo: 'string' });
    }
  });

  it('carries arrays, rules, allowed values and conditions down the tree', async () => {
    const admin = await loginAs(t, { platformAdmin: true });
    const { contratos } = (await t.app.inject({ method: 'GET', url: '/painel/api/contratos', headers: { cookie: admin.cookieHeader } })).json() as { contratos: Contrato[] };
    const autorizacao = contratos.find((c) => c.metodo === 'autorizacao')!;
    const auth = byName(autorizacao.resposta.campos, 'auth');
    expect(auth).toMatchObject({ criterio: 'M', tipo: 'array', minItens: 1, campos: [] });
    const chave = byName(auth.itens!.campos, 'chave');
    expect(chave).toMatchObject({ criterio: 'M', tipo: 'string', tipoRotulo: 'String', regra: 'headerNameNotAuthorization' });
    expect(chave.esperado).toContain('Authorization');

    const login = contratos.find((c) => c.metodo === 'login')!;
    const beneficiarios = byName(login.resposta.campos, 'beneficiarios');
    expect(beneficiarios.criterio).toBe('C');
    expect(beneficiarios.condicao).toBe('obrigatório quando algum contrato tem tipo "beneficiario"');
    const tipo = byName(byName(login.resposta.campos, 'contratos').itens!.campos, 'tipo');
    expect(tipo.valores).toEqual(['beneficiario', 'profissionalSaude']);

    const identificacao = contratos.find((c) => c.metodo === 'recuperarSenhaIdentificacao')!;
    const contatoTipo = byName(byName(identificacao.resposta.campos, 'contatos').itens!.campos, 'tipo');
    expect(contatoTipo).toMatchObject({ tipo: 'number', valores: [1, 2] });
    expect(byName(identificacao.requisicao.camposFormulario, 'cpf').regra).toBe('cpf');
  });
});
