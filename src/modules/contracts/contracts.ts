import { C, M, OP, type Infer, type MethodContract, type OperatorMethod } from './contract-spec.ts';

/**
 * The operator methods of docs/ESPECIFICACAO.md §3, declared once. Sources: the seeds (autorização, recuperar senha —
 * identificação) and docs/ESPECIFICACAO.md §3.1 for login (reconstructed from the platform's public documents).
 */

const anyContratoOfTipo = (tipo: string) => (root: unknown) => {
  const contratos = (root as { contratos?: unknown } | null)?.contratos;
  return Array.isArray(contratos) && contratos.some((c) => (c as { tipo?: unknown } | null)?.tipo === tipo);
};

/** `seguranca`: per-user headers the operator returns; Ponte sends each back as `chave: token`. */
const seguranca = OP.object('Tokens de segurança: cada item vira o header `chave: token` nas chamadas seguintes deste usuário', {
  auth: M.array(
    'Headers a enviar nas próximas chamadas',
    M.object('Header de segurança', {
      chave: M.string('Nome do header onde o token será enviado', { rule: 'asciiHeaderName' }),
      token: M.string('Valor do header, com o prefixo quando houver (ex.: "JWT 123xyz")'),
      expiracao: OP.number('Quando o token expira, em epoch milissegundos', { integer: true }),
    }),
    1,
  ),
});

const failure = M.object('Resposta de falha (status HTTP diferente de 2xx)', {
  mensagem: M.string('Mensagem exibida ao usuário'),
});

const successMessage = M.object('Resposta de sucesso (status 2xx)', {
  mensagem: OP.string('Mensagem exibida ao usuário'),
});

const permissao = M.object('Permissão de uma funcionalidade para este usuário', {
  funcionalidade: M.string('Identificador da funcionalidade'),
  acesso: M.boolean('false bloqueia a funcionalidade'),
  mensagemBloqueio: OP.stringOrNull('Texto exibido quando bloqueada (null usa o texto padrão)'),
  ocultar: M.boolean('true esconde a funcionalidade'),
});

const beneficiario = M.object('Beneficiário visível para este login', {
  chaveUnica: M.string('Chave única da pessoa (CPF recomendado)'),
  integracao: M.object('Dados da operadora para identificar o beneficiário; devolvidos nas chamadas seguintes'),
  dadosPessoais: M.object('Dados pessoais', {
    nome: M.string('Nome completo'),
    dataNascimento: M.string('Data de nascimento', { rule: 'date' }),
    cpf: OP.string('CPF, somente dígitos', { rule: 'cpf' }),
  }),
  cartao: OP.object('Cartão virtual'),
  bloqueio: OP.object('Bloqueio do beneficiário'),
});

const loginResponse = M.object('Resposta de sucesso do login', {
  usuarioLogado: M.object('Usuário que entrou', {
    login: M.string('Identificador usado no login'),
    chaveUnica: M.string('Chave única da pessoa (CPF recomendado)'),
    nome: OP.string('Nome exibido'),
    contato: OP.object('Contatos', {
      email: OP.string('E-mail'),
      telefoneCelular: OP.string('Celular'),
      telefoneFixo: OP.string('Telefone fixo'),
    }),
    esquemaCor: OP.string('Slug do esquema de cores'),
    integracao: OP.any('Dados livres da operadora, devolvidos nas chamadas seguintes'),
  }),
  contratos: M.array(
    'Contratos do usuário',
    M.object('Contrato', {
      numeroContrato: M.string('Número do contrato'),
      tipo: M.string('Perfil do contrato', { oneOf: ['beneficiario', 'profissionalSaude'] }),
      descricaoContrato: OP.string('Descrição do contrato'),
      permissoes: OP.array('Funcionalidades bloqueadas ou ocultas', permissao),
    }),
    1,
  ),
  beneficiarios: C(M.array('Beneficiários visíveis para este login', beneficiario, 1), {
    holds: anyContratoOfTipo('beneficiario'),
    text: 'obrigatório quando algum contrato tem tipo "beneficiario"',
  }),
  profissionaisSaude: C(M.array('Profissionais de saúde ligados ao login', M.object('Profissional de saúde'), 1), {
    holds: anyContratoOfTipo('profissionalSaude'),
    text: 'obrigatório quando algum contrato tem tipo "profissionalSaude"',
  }),
  seguranca,
  segmentacao: OP.array('Segmentos do usuário', OP.any('Segmento')),
  mosia: OP.object('Roteamento do chat'),
  agenteRelacionamento: OP.object('Agente de relacionamento'),
  compartilhamentoRisco: OP.object('Compartilhamento de risco'),
});

const echoedIdentity = {
  chaveUnica: M.string('Chave única devolvida no login ou na identificação'),
  integracao: OP.any('O objeto integracao devolvido pela operadora, ecoado sem alteração'),
};

export const contracts = {
  autorizacao: {
    method: 'autorizacao',
    label: 'Grupo de autorização',
    suffix: '/autorizacao',
    request: {
      formFields: {},
      fixedFields: { usuario: M.string('Usuário do grupo de autorização'), senha: M.string('Senha do grupo de autorização') },
    },
    response: M.object('Resposta de sucesso da autorização', {
      auth: M.array(
        'Pares enviados como headers em toda chamada da integração vinculada',
        M.object('Par chave/token', {
          token: M.string('Token de retorno do webservice'),
          chave: M.string('Nome do header; "Authorization" é reservado', { rule: 'headerNameNotAuthorization' }),
        }),
        1,
      ),
    }),
    failure,
    retryable: false,
  },
  login: {
    method: 'login',
    label: 'Login',
    suffix: '/login',
    request: { formFields: { login: M.string('CPF ou matrícula'), senha: M.string('Senha') }, fixedFields: {} },
    response: loginResponse,
    failure,
    retryable: false,
  },
  recuperarSenhaIdentificacao: {
    method: 'recuperarSenhaIdentificacao',
    label: 'Recuperar senha — identificação',
    suffix: '/recuperarSenhaIdentificacao',
    request: {
      formFields: { cpf: M.string('CPF', { rule: 'cpf' }), dataNascimento: M.string('Data de nascimento', { rule: 'date' }) },
      fixedFields: {},
    },
    response: M.object('Resposta de sucesso da identificação', {
      chaveUnica: M.string('Chave única da pessoa'),
      integracao: OP.any('Qualquer estrutura JSON válida'),
      contatos: M.array(
        'Contatos vinculados ao usuário; ao menos um válido',
        M.object('Contato', {
          id: M.string('Identificação do contato', { rule: 'ascii' }),
          contato: M.string('O contato (e-mail ou celular)'),
          tipo: M.number('1 = Email, 2 = Celular', { oneOf: [1, 2] }),
          ofuscado: OP.string('O contato ofuscado; se ausente, a Ponte ofusca no padrão dela'),
        }),
        1,
      ),
      seguranca,
    }),
    failure,
    retryable: false,
  },
  recuperarSenhaNovaSenha: {
    method: 'recuperarSenhaNovaSenha',
    label: 'Recuperar senha — nova senha',
    suffix: '/recuperarSenhaNovaSenha',
    request: { formFields: { novaSenha: M.string('Nova senha') }, fixedFields: echoedIdentity },
    response: successMessage,
    failure,
    retryable: false,
  },
  trocarSenha: {
    method: 'trocarSenha',
    label: 'Trocar senha',
    suffix: '/trocarSenha',
    request: { formFields: { senhaAtual: M.string('Senha atual'), novaSenha: M.string('Nova senha') }, fixedFields: echoedIdentity },
    response: successMessage,
    failure,
    retryable: false,
  },
  /**
   * Known-beneficiary login (platform reference §2.4): the person's chave única (and `integracao`,
   * when Ponte has it), no password; the answer is the login's, under the same contract. Used by
   * chaveAuth, embedded funcionalidades and relogin; it must be activated per instância.
   */
  elegibilidade: {
    method: 'elegibilidade',
    label: 'Elegibilidade (relogin e chaveAuth)',
    suffix: '/elegibilidade',
    request: {
      formFields: {},
      fixedFields: {
        chaveUnica: M.string('Chave única da pessoa: a do login (relogin) ou a informada no chaveAuth'),
        integracao: OP.any('O objeto integracao do login (relogin); {} quando a Ponte ainda não o tem (chaveAuth)'),
      },
    },
    response: loginResponse,
    failure,
    retryable: false,
  },
} satisfies Record<OperatorMethod, MethodContract>;

/** The type of a method's successful response, after the contract check. */
export type ResponseOf<Method extends OperatorMethod> = Infer<(typeof contracts)[Method]['response']>;

export function contractOf(method: OperatorMethod): MethodContract {
  return contracts[method];
}
