import { describe, expect, it } from 'vitest';
import {
  REMOVE,
  cpfs,
  declaredRequiredPaths,
  requiredTargets,
  seedAutorizacaoBody,
  seedIdentificacaoBody,
  setAt,
  validResponse,
  type RequiredTarget,
} from '../../../test/support/contract-samples.ts';
import { M, operatorMethods, type FieldSpec, type OperatorMethod } from './contract-spec.ts';
import { contracts } from './contracts.ts';
import { validateResponse, validateValue, type Violation, type ViolationKind } from './validator.ts';

/**
 * The catalogue of broken operator responses (issue 3, first "Done when"): each entry is a body an
 * operator could send and the exact set of violations Ponte must report for it — no more, no less.
 */

type Pair = { caminho: string; tipo: ViolationKind };
type Case = { name: string; method: OperatorMethod; status: number; body: string; expected: Pair[] };

const byPath = (a: Pair, b: Pair) => a.caminho.localeCompare(b.caminho) || a.tipo.localeCompare(b.tipo);
const pairsOf = (violations: Violation[]): Pair[] => violations.map(({ caminho, tipo }) => ({ caminho, tipo })).sort(byPath);
const v = (caminho: string, tipo: ViolationKind): Pair => ({ caminho, tipo });

/** The method's valid sample with `changes` applied (path → new value, or REMOVE), as body text. */
function changed(method: OperatorMethod, changes: Record<string, unknown>): string {
  let body: unknown = validResponse(method);
  for (const [path, value] of Object.entries(changes)) body = setAt(body, path, value);
  return JSON.stringify(body);
}

const ok = (name: string, method: OperatorMethod, body: string, status = 200): Case => ({ name, method, status, body, expected: [] });
const broken = (name: string, method: OperatorMethod, body: string, expected: Pair[], status = 200): Case => ({ name, method, status, body, expected });

// ---------------------------------------------------------------------------------------------
// Generated from the declarations: every required field missing, null, blank and of the wrong type.
// ---------------------------------------------------------------------------------------------

const BLANK = ' \t\n ';

/** A JSON value of a type the field does not accept. */
function wrongTypeFor(spec: FieldSpec): unknown {
  switch (spec.type) {
    case 'string':
      return 42;
    case 'number':
      return '1';
    case 'boolean':
      return 'true';
    case 'object':
      return [];
    case 'array':
      return {};
    default:
      // No required field has these types today; a new one needs its own expectations here.
      throw new Error(`sem caso gerado para campo obrigatório do tipo ${spec.type}`);
  }
}

function generatedCases(method: OperatorMethod): Case[] {
  const contract = contracts[method];
  return requiredTargets(contract.response, validResponse(method)).flatMap(({ path, spec }: RequiredTarget): Case[] => {
    const mutate = (value: unknown) => (path === '$' ? JSON.stringify(value) : changed(method, { [path]: value }));
    // The body cannot be "missing" inside JSON (an empty body is its absence), and neither can an
    // array item (removing one is the list's business: see the itens_insuficientes cases).
    const missing =
      path === '$'
        ? [broken(`${method}: corpo vazio`, method, '', acceptsEmptySuccess(method) ? [] : [v('$', 'json_invalido')])]
        : path.endsWith(']')
          ? []
          : [broken(`${method}: ${path} ausente`, method, changed(method, { [path]: REMOVE }), [v(path, 'ausente')])];
    return [
      ...missing,
      broken(`${method}: ${path} null`, method, mutate(null), [v(path, 'nulo')]),
      broken(`${method}: ${path} em branco`, method, mutate(BLANK), [v(path, spec.type === 'string' ? 'vazio' : 'tipo')]),
      broken(`${method}: ${path} com tipo errado`, method, mutate(wrongTypeFor(spec)), [v(path, 'tipo')]),
    ];
  });
}

// ---------------------------------------------------------------------------------------------
// Hand-written cases.
// ---------------------------------------------------------------------------------------------

const chave = (value: string) => changed('autorizacao', { 'auth[0].chave': value });

const autorizacaoCases: Case[] = [
  ok('autorização: exemplo de sucesso do seed', 'autorizacao', seedAutorizacaoBody),
  ok('autorização: vários pares e atributos extras', 'autorizacao', JSON.stringify({ auth: [{ token: 'a', chave: 'X-Api-Key', extra: 1 }, { token: 'b', chave: 'x-tenant' }], status: 200 })),
  ...['Authorization', 'authorization', 'AUTHORIZATION', 'AuThOrIzAtIoN'].map((name) =>
    broken(`autorização: chave "${name}" é reservada`, 'autorizacao', chave(name), [v('auth[0].chave', 'formato')]),
  ),
  ...['Host', 'Connection', 'content-length', 'Transfer-Encoding'].map((name) =>
    broken(`autorização: chave hop-by-hop/de enquadramento "${name}"`, 'autorizacao', chave(name), [v('auth[0].chave', 'formato')]),
  ),
  broken('autorização: chave com espaço', 'autorizacao', chave('meu token'), [v('auth[0].chave', 'formato')]),
  broken('autorização: chave com ç', 'autorizacao', chave('autorizaçao'), [v('auth[0].chave', 'formato')]),
  broken('autorização: chave com dois-pontos', 'autorizacao', chave('X-Token:'), [v('auth[0].chave', 'formato')]),
  broken('autorização: auth vazio', 'autorizacao', JSON.stringify({ auth: [] }), [v('auth', 'itens_insuficientes')]),
  broken('autorização: segundo par quebrado em dois pontos', 'autorizacao', JSON.stringify({ auth: [{ token: 't', chave: 'ok' }, { chave: 'Authorization' }] }), [
    v('auth[1].chave', 'formato'),
    v('auth[1].token', 'ausente'),
  ]),
  broken('autorização: "Auth" com maiúscula', 'autorizacao', JSON.stringify({ Auth: [{ token: 't', chave: 'k' }] }), [v('auth', 'nome_incorreto')]),
  broken('autorização: item de auth que é texto', 'autorizacao', JSON.stringify({ auth: ['meutoken'] }), [v('auth[0]', 'tipo')]),
  // Failure answers are checked against {mensagem}, whatever the success contract says.
  ok('autorização: falha do seed com status e mensagem', 'autorizacao', JSON.stringify({ status: 400, mensagem: 'Usuário/senha não encontrados' }), 400),
  broken('autorização: falha sem mensagem', 'autorizacao', JSON.stringify({ status: 401 }), [v('mensagem', 'ausente')], 401),
  broken('autorização: falha com mensagem em branco', 'autorizacao', JSON.stringify({ mensagem: '   ' }), [v('mensagem', 'vazio')], 500),
  broken('autorização: falha com mensagem null', 'autorizacao', JSON.stringify({ mensagem: null }), [v('mensagem', 'nulo')], 403),
  broken('autorização: falha com mensagem numérica', 'autorizacao', JSON.stringify({ mensagem: 404 }), [v('mensagem', 'tipo')], 404),
  broken('autorização: falha em HTML', 'autorizacao', '<html><body>502 Bad Gateway</body></html>', [v('$', 'json_invalido')], 502),
  broken('autorização: 3xx é falha, não sucesso', 'autorizacao', seedAutorizacaoBody, [v('mensagem', 'ausente')], 302),
];

const identificacao = (changes: Record<string, unknown>) => changed('recuperarSenhaIdentificacao', changes);

const identificacaoCases: Case[] = [
  ok('identificação: exemplo de sucesso do seed (ofuscado null incluso)', 'recuperarSenhaIdentificacao', seedIdentificacaoBody),
  ok('identificação: sem seguranca e sem integracao', 'recuperarSenhaIdentificacao', identificacao({ seguranca: REMOVE, integracao: REMOVE })),
  ok('identificação: seguranca null', 'recuperarSenhaIdentificacao', identificacao({ seguranca: null })),
  ...[['texto'], 42, 'livre', [1, { a: null }], null].map((integracao) =>
    ok(`identificação: integracao ${JSON.stringify(integracao)} (qualquer JSON)`, 'recuperarSenhaIdentificacao', identificacao({ integracao })),
  ),
  ok('identificação: expiracao ausente', 'recuperarSenhaIdentificacao', identificacao({ 'seguranca.auth[0].expiracao': REMOVE })),
  broken('identificação: contatos vazio', 'recuperarSenhaIdentificacao', identificacao({ contatos: [] }), [v('contatos', 'itens_insuficientes')]),
  broken('identificação: tipo 3', 'recuperarSenhaIdentificacao', identificacao({ 'contatos[0].tipo': 3 }), [v('contatos[0].tipo', 'valor_nao_permitido')]),
  broken('identificação: tipo 0', 'recuperarSenhaIdentificacao', identificacao({ 'contatos[2].tipo': 0 }), [v('contatos[2].tipo', 'valor_nao_permitido')]),
  broken('identificação: tipo "1" em texto', 'recuperarSenhaIdentificacao', identificacao({ 'contatos[0].tipo': '1' }), [v('contatos[0].tipo', 'tipo')]),
  broken('identificação: tipo true', 'recuperarSenhaIdentificacao', identificacao({ 'contatos[1].tipo': true }), [v('contatos[1].tipo', 'tipo')]),
  ...['id#1', 'contato 1', 'çid', 'a.b', 'id/2'].map((id) =>
    broken(`identificação: id de contato "${id}" com especiais`, 'recuperarSenhaIdentificacao', identificacao({ 'contatos[1].id': id }), [v('contatos[1].id', 'formato')]),
  ),
  ok('identificação: id com letras, números, - e _', 'recuperarSenhaIdentificacao', identificacao({ 'contatos[1].id': 'Contato_2-b' })),
  broken('identificação: id numérico', 'recuperarSenhaIdentificacao', identificacao({ 'contatos[0].id': 1 }), [v('contatos[0].id', 'tipo')]),
  broken('identificação: ofuscado numérico (OP, mas com tipo)', 'recuperarSenhaIdentificacao', identificacao({ 'contatos[2].ofuscado': 279 }), [
    v('contatos[2].ofuscado', 'tipo'),
  ]),
  broken('identificação: seguranca.auth vazio', 'recuperarSenhaIdentificacao', identificacao({ 'seguranca.auth': [] }), [v('seguranca.auth', 'itens_insuficientes')]),
  broken('identificação: seguranca sem auth', 'recuperarSenhaIdentificacao', identificacao({ seguranca: {} }), [v('seguranca.auth', 'ausente')]),
  broken('identificação: seguranca em texto', 'recuperarSenhaIdentificacao', identificacao({ seguranca: 'JWT abc' }), [v('seguranca', 'tipo')]),
  broken('identificação: item de seguranca sem token', 'recuperarSenhaIdentificacao', identificacao({ 'seguranca.auth[0].token': REMOVE }), [
    v('seguranca.auth[0].token', 'ausente'),
  ]),
  broken('identificação: expiracao em texto', 'recuperarSenhaIdentificacao', identificacao({ 'seguranca.auth[0].expiracao': '1574366666921' }), [
    v('seguranca.auth[0].expiracao', 'tipo'),
  ]),
  broken('identificação: expiracao fracionária', 'recuperarSenhaIdentificacao', identificacao({ 'seguranca.auth[0].expiracao': 1574366666921.5 }), [
    v('seguranca.auth[0].expiracao', 'tipo'),
  ]),
  ...['X Token', 'Token.Seguro', 'Host', 'Connection', 'sessão'].map((name) =>
    broken(`identificação: chave de seguranca "${name}"`, 'recuperarSenhaIdentificacao', identificacao({ 'seguranca.auth[0].chave': name }), [
      v('seguranca.auth[0].chave', 'formato'),
    ]),
  ),
  broken('identificação: "chave_unica" no lugar de chaveUnica', 'recuperarSenhaIdentificacao', identificacao({ chaveUnica: REMOVE, chave_unica: '10102' }), [
    v('chaveUnica', 'nome_incorreto'),
  ]),
  broken('identificação: "Contatos" com maiúscula', 'recuperarSenhaIdentificacao', JSON.stringify({ chaveUnica: '1', Contatos: [{ id: '1', contato: 'a@b.c', tipo: 1 }] }), [
    v('contatos', 'nome_incorreto'),
  ]),
  broken('identificação: vários erros de uma vez', 'recuperarSenhaIdentificacao', identificacao({ chaveUnica: '', 'contatos[0].tipo': 9, 'contatos[1].contato': null, 'contatos[2].id': '' }), [
    v('chaveUnica', 'vazio'),
    v('contatos[0].tipo', 'valor_nao_permitido'),
    v('contatos[1].contato', 'nulo'),
    v('contatos[2].id', 'vazio'),
  ]),
  ok('identificação: falha do seed', 'recuperarSenhaIdentificacao', JSON.stringify({ mensagem: 'Beneficiário não encontrado' }), 404),
  broken('identificação: falha com corpo de sucesso e sem mensagem', 'recuperarSenhaIdentificacao', seedIdentificacaoBody, [v('mensagem', 'ausente')], 422),
];

const login = (changes: Record<string, unknown>) => changed('login', changes);
const contrato = (tipo: string, numeroContrato = '1') => ({ numeroContrato, tipo });
const beneficiario = { chaveUnica: cpfs.outro, integracao: {}, dadosPessoais: { nome: 'Ana', dataNascimento: '2000-02-29' } };
const profissional = { crm: '1' };
const usuarioLogado = { login: 'ana', chaveUnica: cpfs.outro };
const loginOf = (rest: Record<string, unknown>) => JSON.stringify({ usuarioLogado, ...rest });

const loginCases: Case[] = [
  ok('login: completo, com beneficiários, permissões e profissionais', 'login', JSON.stringify(validResponse('login'))),
  ok('login: campos OP null ou []', 'login', login({
    'usuarioLogado.nome': null,
    'usuarioLogado.contato': null,
    'usuarioLogado.integracao': null,
    'contratos[0].permissoes': [],
    'contratos[0].descricaoContrato': null,
    'beneficiarios[0].dadosPessoais.cpf': null,
    'beneficiarios[0].cartao': null,
    seguranca: null,
    segmentacao: [],
    mosia: null,
    agenteRelacionamento: null,
    compartilhamentoRisco: null,
  })),
  ok('login: atributos desconhecidos são mantidos, não apontados', 'login', login({
    versaoApi: '2.1',
    'usuarioLogado.apelido': 'Mari',
    'contratos[0].plano': { id: 1 },
    'beneficiarios[1].dadosPessoais.sexo': 'M',
    'seguranca.auth[0].escopo': 'app',
  })),
  // The C rules of docs/ESPECIFICACAO.md §3.1.
  broken('login C: contrato beneficiario sem beneficiarios', 'login', loginOf({ contratos: [contrato('beneficiario')] }), [v('beneficiarios', 'ausente')]),
  broken('login C: contrato beneficiario com beneficiarios null', 'login', loginOf({ contratos: [contrato('beneficiario')], beneficiarios: null }), [v('beneficiarios', 'nulo')]),
  broken('login C: contrato beneficiario com beneficiarios []', 'login', loginOf({ contratos: [contrato('beneficiario')], beneficiarios: [] }), [
    v('beneficiarios', 'itens_insuficientes'),
  ]),
  ok('login C: beneficiario com beneficiarios preenchido', 'login', loginOf({ contratos: [contrato('beneficiario')], beneficiarios: [beneficiario] })),
  ok('login C: só profissionalSaude dispensa beneficiarios', 'login', loginOf({ contratos: [contrato('profissionalSaude')], profissionaisSaude: [profissional] })),
  ok('login C: só profissionalSaude aceita beneficiarios []', 'login', loginOf({ contratos: [contrato('profissionalSaude')], beneficiarios: [], profissionaisSaude: [profissional] })),
  broken('login C: só profissionalSaude exige profissionaisSaude', 'login', loginOf({ contratos: [contrato('profissionalSaude')] }), [v('profissionaisSaude', 'ausente')]),
  broken('login C: profissionaisSaude []', 'login', loginOf({ contratos: [contrato('profissionalSaude')], profissionaisSaude: [] }), [
    v('profissionaisSaude', 'itens_insuficientes'),
  ]),
  broken('login C: os dois tipos exigem os dois', 'login', loginOf({ contratos: [contrato('profissionalSaude', '1'), contrato('beneficiario', '2')] }), [
    v('beneficiarios', 'ausente'),
    v('profissionaisSaude', 'ausente'),
  ]),
  broken('login C: os dois tipos, um deles presente', 'login', loginOf({ contratos: [contrato('beneficiario', '1'), contrato('profissionalSaude', '2')], beneficiarios: [beneficiario] }), [
    v('profissionaisSaude', 'ausente'),
  ]),
  broken('login: tipo de contrato fora do enum', 'login', loginOf({ contratos: [contrato('titular')], beneficiarios: [beneficiario] }), [v('contratos[0].tipo', 'valor_nao_permitido')]),
  broken('login: tipo de contrato com maiúscula', 'login', login({ 'contratos[1].tipo': 'ProfissionalSaude' }), [v('contratos[1].tipo', 'valor_nao_permitido')]),
  broken('login: contratos vazio', 'login', loginOf({ contratos: [] }), [v('contratos', 'itens_insuficientes')]),
  // Deep paths.
  broken('login: data inexistente em beneficiarios[1]', 'login', login({ 'beneficiarios[1].dadosPessoais.dataNascimento': '1990-02-30' }), [
    v('beneficiarios[1].dadosPessoais.dataNascimento', 'formato'),
  ]),
  broken('login: data no formato brasileiro', 'login', login({ 'beneficiarios[0].dadosPessoais.dataNascimento': '05/08/1993' }), [
    v('beneficiarios[0].dadosPessoais.dataNascimento', 'formato'),
  ]),
  broken('login: CPF com dígito verificador errado', 'login', login({ 'beneficiarios[0].dadosPessoais.cpf': '12345678900' }), [v('beneficiarios[0].dadosPessoais.cpf', 'formato')]),
  broken('login: CPF com pontuação', 'login', login({ 'beneficiarios[1].dadosPessoais.cpf': '111.444.777-35' }), [v('beneficiarios[1].dadosPessoais.cpf', 'formato')]),
  broken('login: CPF com dígitos repetidos', 'login', login({ 'beneficiarios[0].dadosPessoais.cpf': '11111111111' }), [v('beneficiarios[0].dadosPessoais.cpf', 'formato')]),
  broken('login: CPF numérico', 'login', login({ 'beneficiarios[0].dadosPessoais.cpf': 52998224725 }), [v('beneficiarios[0].dadosPessoais.cpf', 'tipo')]),
  broken('login: acesso "false" em texto', 'login', login({ 'contratos[0].permissoes[2].acesso': 'false' }), [v('contratos[0].permissoes[2].acesso', 'tipo')]),
  broken('login: ocultar ausente', 'login', login({ 'contratos[0].permissoes[1].ocultar': REMOVE }), [v('contratos[0].permissoes[1].ocultar', 'ausente')]),
  broken('login: mensagemBloqueio numérica', 'login', login({ 'contratos[0].permissoes[1].mensagemBloqueio': 0 }), [v('contratos[0].permissoes[1].mensagemBloqueio', 'tipo')]),
  broken('login: permissoes objeto em vez de lista', 'login', login({ 'contratos[0].permissoes': { carteirinha: true } }), [v('contratos[0].permissoes', 'tipo')]),
  broken('login: integracao do beneficiário em texto', 'login', login({ 'beneficiarios[1].integracao': '00012346' }), [v('beneficiarios[1].integracao', 'tipo')]),
  broken('login: contato do usuário em texto', 'login', login({ 'usuarioLogado.contato': 'maria@exemplo.com.br' }), [v('usuarioLogado.contato', 'tipo')]),
  broken('login: email numérico', 'login', login({ 'usuarioLogado.contato.email': 1 }), [v('usuarioLogado.contato.email', 'tipo')]),
  // Attribute names must match exactly.
  broken('login: usuario_logado', 'login', JSON.stringify({ usuario_logado: usuarioLogado, contratos: [contrato('profissionalSaude')], profissionaisSaude: [profissional] }), [
    v('usuarioLogado', 'nome_incorreto'),
  ]),
  broken('login: UsuarioLogado', 'login', JSON.stringify({ UsuarioLogado: usuarioLogado, contratos: [contrato('profissionalSaude')], profissionaisSaude: [profissional] }), [
    v('usuarioLogado', 'nome_incorreto'),
  ]),
  broken('login: chave_unica dentro de usuarioLogado', 'login', login({ 'usuarioLogado.chaveUnica': REMOVE, 'usuarioLogado.chave_unica': cpfs.titular }), [
    v('usuarioLogado.chaveUnica', 'nome_incorreto'),
  ]),
  broken('login: vários erros profundos de uma vez', 'login', login({
    'usuarioLogado.login': '',
    'contratos[0].permissoes[0].funcionalidade': null,
    'contratos[0].permissoes[2].acesso': 'false',
    'beneficiarios[0].dadosPessoais.cpf': '12345678900',
    'beneficiarios[1].dadosPessoais.dataNascimento': '1990-02-30',
    'seguranca.auth[0].chave': 'Conexão',
  }), [
    v('beneficiarios[0].dadosPessoais.cpf', 'formato'),
    v('beneficiarios[1].dadosPessoais.dataNascimento', 'formato'),
    v('contratos[0].permissoes[0].funcionalidade', 'nulo'),
    v('contratos[0].permissoes[2].acesso', 'tipo'),
    v('seguranca.auth[0].chave', 'formato'),
    v('usuarioLogado.login', 'vazio'),
  ]),
  broken('login: falha com corpo de login e sem mensagem', 'login', JSON.stringify(validResponse('login')), [v('mensagem', 'ausente')], 401),
  ok('login: falha com mensagem', 'login', JSON.stringify({ mensagem: 'Usuário ou senha inválidos' }), 401),
];

const senhaCases: Case[] = operatorMethods
  .filter((method) => method === 'recuperarSenhaNovaSenha' || method === 'trocarSenha')
  .flatMap((method) => [
    ok(`${method}: sucesso sem mensagem`, method, '{}'),
    ok(`${method}: sucesso com mensagem null`, method, '{"mensagem":null}'),
    ok(`${method}: sucesso com atributos extras`, method, '{"mensagem":"ok","protocolo":123}', 201),
    broken(`${method}: mensagem numérica no sucesso`, method, '{"mensagem":123}', [v('mensagem', 'tipo')]),
    broken(`${method}: "Mensagem" com maiúscula no sucesso`, method, '{"Mensagem":"ok"}', [v('mensagem', 'nome_incorreto')]),
    ok(`${method}: falha com mensagem`, method, '{"mensagem":"Senha atual incorreta"}', 400),
    broken(`${method}: falha sem mensagem`, method, '{}', [v('mensagem', 'ausente')], 400),
    broken(`${method}: falha com mensagem em branco`, method, '{"mensagem":"\\t\\n"}', [v('mensagem', 'vazio')], 500),
    broken(`${method}: falha com "Mensagem"`, method, '{"Mensagem":"x"}', [v('mensagem', 'nome_incorreto')], 422),
  ]);

/** Elegibilidade answers under the login's contract (issue 15): valid, M violations, refusal. */
const elegibilidadeCases: Case[] = [
  ok('elegibilidade: a resposta do login', 'elegibilidade', JSON.stringify(validResponse('elegibilidade'))),
  broken('elegibilidade: login vazio em usuarioLogado', 'elegibilidade', login({ 'usuarioLogado.login': '' }), [v('usuarioLogado.login', 'vazio')]),
  broken('elegibilidade: chaveUnica ausente em usuarioLogado', 'elegibilidade', login({ 'usuarioLogado.chaveUnica': REMOVE }), [v('usuarioLogado.chaveUnica', 'ausente')]),
  broken('elegibilidade: contratos vazio', 'elegibilidade', loginOf({ contratos: [] }), [v('contratos', 'itens_insuficientes')]),
  broken('elegibilidade: ocultar ausente numa permissão', 'elegibilidade', login({ 'contratos[0].permissoes[1].ocultar': REMOVE }), [v('contratos[0].permissoes[1].ocultar', 'ausente')]),
  ok('elegibilidade: recusa com mensagem', 'elegibilidade', JSON.stringify({ mensagem: 'Beneficiário sem elegibilidade ativa' }), 403),
  broken('elegibilidade: recusa sem mensagem', 'elegibilidade', '{}', [v('mensagem', 'ausente')], 404),
];

/** "2xx; mensagem OP": a success with no body at all is accepted when nothing in it is mandatory. */
function acceptsEmptySuccess(method: OperatorMethod): boolean {
  return !Object.values(contracts[method].response.fields ?? {}).some((f) => f.criterion === 'M');
}

/** Bodies that are not an object at all, for every method. */
const rootCases: Case[] = operatorMethods.flatMap((method) => [
  broken(`${method}: corpo que não é JSON`, method, 'OK', [v('$', 'json_invalido')]),
  broken(`${method}: JSON truncado`, method, '{"auth": [', [v('$', 'json_invalido')]),
  broken(`${method}: só espaços`, method, '   ', acceptsEmptySuccess(method) ? [] : [v('$', 'json_invalido')]),
  broken(`${method}: array na raiz`, method, '[{"mensagem":"ok"}]', [v('$', 'tipo')]),
  broken(`${method}: string na raiz`, method, '"sucesso"', [v('$', 'tipo')]),
  broken(`${method}: número na raiz`, method, '200', [v('$', 'tipo')]),
  broken(`${method}: boolean na raiz`, method, 'true', [v('$', 'tipo')]),
  broken(`${method}: null na raiz`, method, 'null', [v('$', 'nulo')]),
  broken(`${method}: corpo vazio na falha`, method, '', [v('$', 'json_invalido')], 500),
  broken(`${method}: array na raiz da falha`, method, '["erro"]', [v('$', 'tipo')], 400),
]);

const generated = operatorMethods.flatMap(generatedCases);
const handWritten = [...autorizacaoCases, ...identificacaoCases, ...loginCases, ...elegibilidadeCases, ...senhaCases, ...rootCases];
const catalogue = [...generated, ...handWritten];

const PORTUGUESE = /obrigatório|esperado|recebido|não|inválid|incorreto|ausente|vazio/;
const ENGLISH = /\b(expected|received|missing|required|invalid|must|should|null value)\b/i;

describe('catálogo de respostas de operadora', () => {
  it('is large and covers every method with broken and valid bodies', () => {
    expect(handWritten.filter((c) => c.expected.length > 0).length).toBeGreaterThanOrEqual(40);
    for (const method of operatorMethods) {
      expect(catalogue.some((c) => c.method === method && c.expected.length > 0)).toBe(true);
      expect(catalogue.some((c) => c.method === method && c.expected.length === 0)).toBe(true);
    }
    expect(new Set(catalogue.map((c) => c.name)).size).toBe(catalogue.length);
  });

  it.each(operatorMethods)('the valid sample of %s reaches every required field the contract declares', (method) => {
    const reached = requiredTargets(contracts[method].response, validResponse(method)).map((t) => t.path);
    expect(reached.sort()).toEqual(declaredRequiredPaths(contracts[method].response).sort());
  });

  it.each(catalogue.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { violations } = validateResponse(contracts[c.method], c.status, c.body);
    expect(pairsOf(violations)).toEqual([...c.expected].sort(byPath));
    for (const violation of violations) {
      expect(violation.mensagem).toContain(violation.caminho);
      expect(violation.mensagem).toMatch(PORTUGUESE);
      expect(violation.mensagem).not.toMatch(ENGLISH);
      expect(violation.esperado.length).toBeGreaterThan(0);
      expect(violation.recebido.length).toBeGreaterThan(0);
      expect(['M', 'C', 'OP']).toContain(violation.criterio);
    }
  });

  it('reports the criterion of the broken field: M, C with its rule, OP', () => {
    const conditional = validateResponse(contracts.login, 200, loginOf({ contratos: [contrato('beneficiario')] })).violations;
    expect(conditional).toMatchObject([{ caminho: 'beneficiarios', criterio: 'C' }]);
    // The message says why a C field became mandatory.
    expect(conditional[0]!.mensagem).toContain('beneficiario');

    const mandatory = validateResponse(contracts.autorizacao, 200, chave('Authorization')).violations;
    expect(mandatory).toMatchObject([{ caminho: 'auth[0].chave', criterio: 'M' }]);
    expect(mandatory[0]!.mensagem).toContain('Authorization');

    const optional = validateResponse(contracts.recuperarSenhaIdentificacao, 200, identificacao({ 'seguranca.auth[0].expiracao': '1' })).violations;
    expect(optional).toMatchObject([{ caminho: 'seguranca.auth[0].expiracao', criterio: 'OP' }]);
  });

  it('names the allowed values of an enum in esperado', () => {
    const [violation] = validateResponse(contracts.recuperarSenhaIdentificacao, 200, identificacao({ 'contatos[0].tipo': 3 })).violations;
    expect(violation!.esperado).toContain('1');
    expect(violation!.esperado).toContain('2');
    expect(violation!.recebido).toContain('3');
  });
});

describe('violations never carry sensitive values', () => {
  /** The validator's report for one changed sample, with the raw value that must not appear. */
  const cases: { name: string; method: OperatorMethod; changes: Record<string, unknown>; secret: string; caminho: string }[] = [
    { name: 'cpf com dígito errado', method: 'login', changes: { 'beneficiarios[0].dadosPessoais.cpf': '12345678900' }, secret: '12345678900', caminho: 'beneficiarios[0].dadosPessoais.cpf' },
    { name: 'cpf numérico', method: 'login', changes: { 'beneficiarios[0].dadosPessoais.cpf': 52998224725 }, secret: '52998224725', caminho: 'beneficiarios[0].dadosPessoais.cpf' },
    { name: 'contato numérico', method: 'recuperarSenhaIdentificacao', changes: { 'contatos[2].contato': 27997157620 }, secret: '27997157620', caminho: 'contatos[2].contato' },
    { name: 'contato do usuário em texto', method: 'login', changes: { 'usuarioLogado.contato': 'maria@exemplo.com.br' }, secret: 'maria@exemplo', caminho: 'usuarioLogado.contato' },
    { name: 'telefone numérico', method: 'login', changes: { 'usuarioLogado.contato.telefoneCelular': 27997157620 }, secret: '27997157620', caminho: 'usuarioLogado.contato.telefoneCelular' },
    { name: 'token numérico da autorização', method: 'autorizacao', changes: { 'auth[0].token': 987654321987 }, secret: '987654321987', caminho: 'auth[0].token' },
    { name: 'token numérico de seguranca', method: 'recuperarSenhaIdentificacao', changes: { 'seguranca.auth[0].token': 555666777888 }, secret: '555666777888', caminho: 'seguranca.auth[0].token' },
    { name: 'data de nascimento inválida', method: 'login', changes: { 'beneficiarios[1].dadosPessoais.dataNascimento': '1990-02-30' }, secret: '1990-02-30', caminho: 'beneficiarios[1].dadosPessoais.dataNascimento' },
    { name: 'auth da autorização como lista de textos', method: 'autorizacao', changes: { auth: ['Bearer segredo-do-grupo'] }, secret: 'segredo-do-grupo', caminho: 'auth[0]' },
    { name: 'seguranca como texto', method: 'recuperarSenhaIdentificacao', changes: { seguranca: 'JWT segredo-do-usuario' }, secret: 'segredo-do-usuario', caminho: 'seguranca' },
    { name: 'seguranca.auth como texto', method: 'login', changes: { 'seguranca.auth': 'JWT segredo-do-usuario' }, secret: 'segredo-do-usuario', caminho: 'seguranca.auth' },
    { name: 'chaveUnica numérica (CPF)', method: 'recuperarSenhaIdentificacao', changes: { chaveUnica: 52998224725 }, secret: '52998224725', caminho: 'chaveUnica' },
    { name: 'login numérico (CPF)', method: 'login', changes: { 'usuarioLogado.login': 52998224725 }, secret: '52998224725', caminho: 'usuarioLogado.login' },
  ];

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { violations } = validateResponse(contracts[c.method], 200, changed(c.method, c.changes));
    expect(violations.map((x) => x.caminho)).toEqual([c.caminho]);
    const [violation] = violations;
    expect(violation!.recebido).not.toContain(c.secret);
    expect(violation!.mensagem).not.toContain(c.secret);
    expect(violation!.esperado).not.toContain(c.secret);
  });

  it('describes a wrong-format cpf by its length, not its digits', () => {
    const { violations } = validateResponse(contracts.login, 200, changed('login', { 'beneficiarios[0].dadosPessoais.cpf': '123456789000' }));
    expect(violations).toMatchObject([{ caminho: 'beneficiarios[0].dadosPessoais.cpf', tipo: 'formato' }]);
    expect(violations[0]!.recebido).toContain('12');
    expect(violations[0]!.recebido).not.toMatch(/\d{3}/);
  });

  it('never echoes a senha, also when validating what Ponte sends', () => {
    const requestSpec = M.object('Corpo enviado ao grupo de autorização', contracts.autorizacao.request.fixedFields);
    const asNumber = validateValue(requestSpec, { usuario: 'demo', senha: 314159265 });
    expect(pairsOf(asNumber)).toEqual([v('senha', 'tipo')]);
    expect(asNumber[0]!.recebido).not.toContain('314159265');
    expect(asNumber[0]!.mensagem).not.toContain('314159265');

    const asArray = validateValue(requestSpec, { usuario: 'demo', senha: ['segredo'] });
    expect(JSON.stringify(asArray)).not.toContain('segredo');
  });

  it('does show non-sensitive wrong values, so the operator can find them', () => {
    const { violations } = validateResponse(contracts.login, 200, changed('login', { 'contratos[0].permissoes[2].acesso': 'false' }));
    expect(violations[0]!.recebido).toContain('false');
  });
});
