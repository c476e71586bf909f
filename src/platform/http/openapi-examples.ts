import { errorCatalogue, type ErrorCode } from '../errors.ts';
import { invalidTokenBody } from './envelope.ts';

/**
 * The examples of the OpenAPI document (`/docs/json`): the seeds' own on `/clientes`
 * (api-de-acesso-a-dados, token-temporario, with Ponte's messages), hand-written request bodies
 * where a generic one would teach nothing (a login, a grupo, a form), and, for every other body,
 * one built from the schema with values that read as the real thing (an e-mail, a CPF, a `grp_…`
 * id, an epoch-ms instant) instead of "string" and 0. `openapi-docs.ts` attaches them.
 */

export const operationKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;
const key = operationKey;

export const TEMP_AUTH_PATH = '/clientes/auth/temp-authorization';
/** 15/02/2022 11:56:28 UTC, the seed's own timestamp. */
export const EXAMPLE_NOW_MS = 1644936988177;
const EXAMPLE_CHAVE_PASSE = 'Jd8Qm2rX0sVt5kLw9pZb3nHc7yUe1aGf4iOq6TjRvKx';
const EXAMPLE_CHAVE_FUNCIONALIDADE = '8f14e45f-ceea-467a-9af5-2b7c6d1e0a31';
const EXAMPLE_CLIENT_TOKEN = 'ptk_Jm3x9QvT2bL8sWk4nZr7cYd1';
const EXAMPLE_APP_ID = 'app_sbx_4Qm8vTz2LkR7';
const EXAMPLE_REQUEST_ID = 'req_5f0c2a9e81d4b7c36a1e0f92';

// ——— The seeds' examples on /clientes ———

const failure = (status: number, message: string, critical: unknown[] = []) => ({ status: false, data: [], message, critical, statusCode: status, timestamp: EXAMPLE_NOW_MS });
const success = (data: unknown) => ({ status: true, data, message: 'Dados carregados com sucesso.', critical: [], statusCode: 200, timestamp: EXAMPLE_NOW_MS });

const chavePasseFailures = {
  '400': failure(400, 'Parâmetros obrigatórios ausentes: chavePasse.', [{ campo: 'chavePasse', mensagem: 'O parâmetro chavePasse é obrigatório.' }]),
  '401': failure(401, errorCatalogue.INVALID_TOKEN.message),
  '403': failure(403, errorCatalogue.CHAVE_PASSE_RECUSADA.message),
  '429': failure(429, errorCatalogue.RATE_LIMITED.message),
  '500': failure(500, errorCatalogue.INTERNAL.message),
  '503': failure(503, errorCatalogue.SERVICE_UNAVAILABLE.message),
};

const integracaoExample = { numero_cartao_benef: '00010002000001000', cpf_benef: '92188083970', abcdef: 9288701 };

/** Response examples by operation and status; where absent, one is built from the schema. */
export const responseExamples: Record<string, Record<string, unknown>> = {
  [key('POST', TEMP_AUTH_PATH)]: {
    '200': {
      status: true,
      data: {
        token:
          'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJrZXkiOiJhNTNiYTg3MmYxY2VhZjQzNzA2OTFiYzIxOWNiOTJjODI1YWNiNjc3MzllYjc4YTg4MjJjZWE1YTIyNjdjYjhjIiwiYXVkIjoiY2xpZW50ZV90ZW1wb3JhcmlvIiwiaWRDbGllbnRlIjo0OTIsImlhdCI6MTY4OTAxMDA2MywiZXhwIjoxNjg5MDUzMjYzfQ.G9jgfwozpPa7Orn9fe7KHE5dJ4UgCpxbyxeNJ449Amk',
        expireAt: 1689053263462,
      },
      message: 'Token gerado com sucesso!',
      statusCode: 200,
      timestamp: 1689010063463,
    },
    '401': invalidTokenBody,
    '500': failure(500, errorCatalogue.INTERNAL.message),
    '503': failure(503, errorCatalogue.SERVICE_UNAVAILABLE.message),
  },
  [key('GET', '/clientes/chavePasse/usuario')]: { '200': success({ chaveUnica: 'teste@teste.com', integracao: integracaoExample }), ...chavePasseFailures },
  [key('GET', '/clientes/chavePasse/grupoFamiliar')]: {
    '200': success([
      { chaveUnica: 'teste@teste.com', nome: 'Ana Beatriz Moreira', dataNascimento: '1980-03-14', integracao: integracaoExample, usuarioLogado: true },
      { chaveUnica: '10020030250', nome: 'Carlos Eduardo Moreira', dataNascimento: '2012-07-02', integracao: { numero_cartao_benef: '00010002000001001' }, usuarioLogado: false },
    ]),
    ...chavePasseFailures,
  },
  [key('GET', '/clientes/chavePasse/sistema')]: {
    '200': success({
      plataforma: 'android',
      versaoApp: '3.12.0',
      dispositivo: 'Samsung SM-A546E',
      idioma: 'pt-BR',
      geolocalizacao: { latitude: -23.5613, longitude: -46.6565, precisaoMetros: 35 },
      abertoEm: EXAMPLE_NOW_MS - 4_000,
      instanciaApp: '1',
    }),
    ...chavePasseFailures,
  },
  [key('GET', '/clientes/chavePasse/chavePasse')]: {
    '200': success({
      funcionalidade: { nome: 'Telemedicina', chaveFuncionalidade: EXAMPLE_CHAVE_FUNCIONALIDADE },
      criadaEm: EXAMPLE_NOW_MS - 4_000,
      expiraEm: EXAMPLE_NOW_MS - 4_000 + 30 * 60_000,
      instanciaApp: '1',
    }),
    ...chavePasseFailures,
  },
};
responseExamples[key('GET', TEMP_AUTH_PATH)] = responseExamples[key('POST', TEMP_AUTH_PATH)]!;

export const parameterExamples: Record<string, unknown> = {
  instanciaApp: '1',
  chavePasse: EXAMPLE_CHAVE_PASSE,
  chaveFuncionalidade: EXAMPLE_CHAVE_FUNCIONALIDADE,
  authorization: EXAMPLE_CLIENT_TOKEN,
  'x-app-id': EXAMPLE_APP_ID,
};

// ——— Request bodies worth writing by hand ———

const PAINEL = '/painel/api/clientes/{clienteId}';
const INSTANCIA = `${PAINEL}/instancias/{instancia}`;
// The fields of the default forms (forms.defaults.ts: the contract's form fields, plus the new senha's confirmation).
const camposDeLogin = { login: '529.982.247-25', senha: 'S3nha-do-beneficiario' };
const novaSenha = { novaSenha: 'N0va-senha-segura', confirmacaoNovaSenha: 'N0va-senha-segura' };
const formularioDeLogin = {
  nome: 'Login por CPF',
  finalidade: 'login',
  campos: [
    { nome: 'cpf', rotulo: 'CPF', tipo: 'cpf', obrigatorio: true },
    { nome: 'senha', rotulo: 'Senha', tipo: 'senha', obrigatorio: true, min: 6, max: 64 },
  ],
};

export const requestExamples: Record<string, unknown> = {
  [key('POST', '/painel/api/auth/login')]: { email: 'ana.souza@operadora.com.br', senha: 'uma senha longa e só sua' },
  [key('PUT', '/painel/api/auth/senha')]: { senhaAtual: 'a senha de hoje', senhaNova: 'uma senha nova, longa e só sua' },
  [key('POST', '/painel/api/auth/senha/esqueci')]: { email: 'ana.souza@operadora.com.br' },
  [key('POST', '/app/v1/sessoes')]: { campos: camposDeLogin },
  [key('POST', '/app/v1/senha')]: { campos: { senhaAtual: 'S3nha-do-beneficiario', ...novaSenha } },
  [key('POST', '/app/v1/recuperacao')]: { campos: { cpf: '529.982.247-25', dataNascimento: '1985-04-12' } },
  [key('POST', '/app/v1/recuperacao/{id}/nova-senha')]: { campos: novaSenha },
  [key('POST', '/clientes/utilitarios/seguranca/chaveAuth')]: { chaveUnica: '52998224725', instanciaApp: 1 },
  [key('POST', `${INSTANCIA}/grupos`)]: { nome: 'Autorização do portal', url: 'https://api.operadora.com.br/ponte/autorizacao', usuario: 'ponte', senha: 'senha-do-grupo', ttlSegundos: 3600 },
  [key('PUT', `${INSTANCIA}/integracao`)]: {
    baseUrl: 'https://api.operadora.com.br/ponte',
    timeoutMs: 10000,
    grupoId: 'grp_9b1e4c7a2f6d08e35a1c4b70',
    metodos: { login: { url: null, formularioId: null }, trocarSenha: { url: 'https://api.operadora.com.br/ponte/v2/trocar-senha', formularioId: null } },
    headers: [
      { nome: 'X-Canal', valor: 'app', secreto: false },
      { nome: 'X-Api-Key', valor: 'chave-da-operadora', secreto: true },
    ],
  },
  [key('POST', `${INSTANCIA}/validador`)]: { metodo: 'login', entrada: camposDeLogin, expectativa: 'sucesso' },
  [key('POST', `${INSTANCIA}/formularios`)]: formularioDeLogin,
  [key('PUT', `${INSTANCIA}/formularios/{formularioId}`)]: formularioDeLogin,
  [key('POST', `${INSTANCIA}/formularios/testar`)]: { valores: { cpf: '529.982.247-25', senha: 'S3nha-do-beneficiario' }, definicao: formularioDeLogin },
  [key('POST', `${INSTANCIA}/formularios/{formularioId}/testar`)]: { valores: { cpf: '529.982.247-25', senha: 'S3nha-do-beneficiario' } },
  [key('POST', `${INSTANCIA}/funcionalidades`)]: { nome: 'Telemedicina', url: 'https://portal.operadora.com.br/telemedicina', validadeMinutos: 5, ativa: true },
  [key('POST', `${PAINEL}/tokens`)]: { apis: ['chavePasse'], descricao: 'Backend do portal do beneficiário' },
  [key('POST', `${PAINEL}/origens`)]: { origem: 'https://portal.operadora.com.br' },
};

// ——— Error envelopes ———

const errorCodeByStatus: Record<string, ErrorCode> = {
  '400': 'VALIDATION_FAILED',
  '401': 'UNAUTHENTICATED',
  '403': 'FORBIDDEN',
  '404': 'NOT_FOUND',
  '409': 'CONFLICT',
  '413': 'PAYLOAD_TOO_LARGE',
  '415': 'UNSUPPORTED_MEDIA_TYPE',
  '422': 'OPERATOR_CONTRACT_VIOLATED',
  '429': 'RATE_LIMITED',
  '500': 'INTERNAL',
  '502': 'OPERATOR_UNAVAILABLE',
  '503': 'SERVICE_UNAVAILABLE',
};

/** The `{error: {code, message, requestId}}` envelope of a status, or undefined for one outside the catalogue. */
export function apiErrorExample(status: string): unknown {
  const code = errorCodeByStatus[status];
  if (!code) return undefined;
  const error = { code, message: errorCatalogue[code].message, requestId: EXAMPLE_REQUEST_ID };
  return { error: status === '400' ? { ...error, details: [{ field: 'nome', message: 'Obrigatório.' }] } : error };
}

/** The `/clientes` failure envelope of a status. */
export function clientesFailureExample(status: string): unknown {
  const code = errorCodeByStatus[status];
  return code ? failure(Number(status), errorCatalogue[code].message) : undefined;
}

// ——— Values by name, for the bodies built from their schema ———

/** An example for an integer property, by name: epoch-ms instants, durations, counts. */
export function integerExample(name: string): number | undefined {
  if (/^(timestamp|.*(Em|At))$/.test(name)) return /expir|expire/i.test(name) ? EXAMPLE_NOW_MS + 12 * 3600_000 : EXAMPLE_NOW_MS;
  if (name === 'statusCode' || name === 'status') return 200;
  if (/^(numero|instancia|instanciaApp)$/.test(name)) return 1;
  if (/ms$|Ms$|latencia/i.test(name)) return 120;
  if (/dias$/i.test(name)) return 30;
  if (/segundos$/i.test(name)) return 3600;
  if (/minutos$/i.test(name)) return 5;
  return undefined;
}

const idPrefixByName: Record<string, string> = {
  clienteId: 'cli',
  grupoId: 'grp',
  formularioId: 'frm',
  funcionalidadeId: 'fun',
  tokenId: 'tok',
  usuarioId: 'usr',
  atorId: 'usr',
  conviteId: 'cnv',
  origemId: 'org',
  logId: 'log',
  requestId: 'req',
  correlationId: 'req',
  contatoId: 'msg',
};

const stringByName: Record<string, string> = {
  email: 'ana.souza@operadora.com.br',
  remetenteEndereco: 'nao-responda@operadora.com.br',
  enviadoPara: 'a***@operadora.com.br',
  ofuscado: '(11) 9****-4321',
  nome: 'Operadora Exemplo Saúde',
  remetenteNome: 'Operadora Exemplo',
  remetente: 'Operadora Exemplo',
  rotulo: 'CPF',
  senha: 'uma senha longa e só sua',
  senhaAtual: 'a senha de hoje',
  senhaNova: 'uma senha nova, longa e só sua',
  senhaGrupo: 'senha-do-grupo',
  usuario: 'ponte',
  login: '52998224725',
  chaveUnica: '52998224725',
  chaveUnicaTeste: '52998224725',
  chaveUsuario: '52998224725',
  dataNascimento: '1985-04-12',
  codigo: '482913',
  url: 'https://api.operadora.com.br/ponte/login',
  baseUrl: 'https://api.operadora.com.br/ponte',
  urlEfetiva: 'https://api.operadora.com.br/ponte/login',
  urlPadrao: 'https://api.operadora.com.br/ponte/login',
  location: 'https://sso.operadora.com.br/entrar',
  origem: 'https://portal.operadora.com.br',
  token: 'asn_Vd3kQ9sLx2Rm7TzB1nWc8YpE4hGu6aJf',
  csrfToken: '6f1d0c8a2b9e4f7a3c5d1e0b8a7f6c2d',
  appId: EXAMPLE_APP_ID,
  prefixo: 'ptk_Jm3x',
  descricao: 'Backend do portal do beneficiário',
  chaveFuncionalidade: EXAMPLE_CHAVE_FUNCIONALIDADE,
  chavePasse: EXAMPLE_CHAVE_PASSE,
  instanciaApp: '1',
  plataforma: 'android',
  versaoApp: '3.12.0',
  dispositivo: 'Samsung SM-A546E',
  idioma: 'pt-BR',
  mensagem: 'Operação concluída.',
  message: 'Operação concluída.',
  mensagemBloqueio: 'Disponível apenas para titulares.',
  numeroContrato: '000123456',
  descricaoContrato: 'Plano Ambulatorial + Hospitalar',
  emailAssunto: 'Seu código de recuperação de senha',
  emailTexto: 'Use o código {{codigo}} para criar uma nova senha.',
  texto: 'Use o código 482913 para criar uma nova senha.',
  statusText: 'OK',
  metodo: 'POST',
  caminho: 'usuario.chaveUnica',
  explicacao: 'A operadora respondeu no formato do contrato.',
  smtpUrl: 'smtps://envio@operadora.com.br:senha@smtp.operadora.com.br:465',
  regiao: 'sa-east-1',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  accountSid: 'AC0123456789abcdef0123456789abcdef',
  provedor: 'smtp',
  sms: 'Seu código da Operadora Exemplo: {{codigo}}',
  sucessoCampo: 'enviado',
  corpo: '{"mensagem":"Usuário ou senha inválidos."}',
  acao: 'grupo.criado',
  ator: 'ana.souza@operadora.com.br',
  convidadoPor: 'ana.souza@operadora.com.br',
  app: 'Operadora Exemplo',
  destino: 'a***@operadora.com.br',
  motivo: 'chave_expirada',
  motivoTexto: 'A chave passe expirou (vale de 1 a 10 minutos, conforme a funcionalidade).',
  operacao: 'login',
  ultimoErro: 'A operadora respondeu 401 em /autorizacao: confira usuário e senha do grupo.',
  erro: 'A operadora não respondeu em 10 s.',
  observacao: 'Valor secreto: não é copiado; defina-o em Produção.',
  sandbox: 'https://sandbox.operadora.com.br/ponte',
  producao: 'https://api.operadora.com.br/ponte',
  headers: 'X-Canal: app',
  ignorados: 'apelido',
  resultado: 'aprovado',
  // Forms: a field's mask, pattern, help and the field a confirmation repeats.
  campo: 'cpf',
  confirma: 'senha',
  mascara: '000.000.000-00',
  padrao: '^\\d{11}$',
  ajuda: 'Somente os 11 números do CPF.',
  valor: 'app',
  valores: 'cpf, senha',
  esquemaCor: 'claro',
  // Contracts: a field as the contract table shows it.
  sufixo: '/login',
  tipo: 'titular',
  tipoRotulo: 'Texto',
  criterio: 'M',
  criterioRotulo: 'Mandatório',
  condicao: 'Obrigatório quando o login devolve contratos.',
  regra: 'CPF com 11 dígitos, sem pontuação.',
  esperado: 'texto não vazio',
  recebido: 'null',
  field: 'nome',
  database: 'ok',
  kv: 'ok',
};

/** Where a name means something else inside its parent (`campos.nome` is a field's name, not a company's). */
const stringByPlace: Record<string, string> = {
  'campos.nome': 'cpf',
  'instancia.nome': 'Sandbox',
  'grupos.nome': 'Autorização do portal',
  'funcionalidades.nome': 'Telemedicina',
  'funcionalidade.nome': 'Telemedicina',
  'formularios.nome': 'Login por CPF',
  'login.nome': 'Login por CPF',
  'recuperarSenhaIdentificacao.nome': 'Identificação por CPF',
  'recuperarSenhaNovaSenha.nome': 'Nova senha',
  'trocarSenha.nome': 'Trocar senha',
  'usuarios.nome': 'Ana Souza',
  'beneficiarios.nome': 'Ana Beatriz Moreira',
  'usuario.nome': 'Ana Beatriz Moreira',
  'contratos.nome': 'Login',
  'opcoes.rotulo': 'Titular',
  'opcoes.valor': 'titular',
};

/** The kind of the `id` of a list's items, by the list's name (in a body or in the path). */
const idPrefixByCollection: Record<string, string> = {
  clientes: 'cli',
  grupos: 'grp',
  formularios: 'frm',
  funcionalidades: 'fun',
  tokens: 'tok',
  usuarios: 'usr',
  convites: 'cnv',
  origens: 'org',
  logs: 'log',
  auditoria: 'aud',
  eventos: 'aud',
  mensagens: 'msg',
  recuperacao: 'rec',
  sessoes: 'asn',
};

function idPrefixOfPath(path: string): string {
  const collections = path.split('/').filter((segment) => idPrefixByCollection[segment]);
  return idPrefixByCollection[collections.at(-1) ?? ''] ?? 'req';
}

function exampleId(prefix: string): string {
  return `${prefix}_5f0c2a9e81d4b7c36a1e0f92`;
}

function stringExample(node: Record<string, unknown>, byName: string | undefined, name: string, idPrefix: string): string {
  if (node.format === 'email') return stringByName.email!;
  if (node.format === 'uri') return stringByName.url!;
  if (node.format === 'date-time') return new Date(EXAMPLE_NOW_MS).toISOString();
  let value = byName ?? (idPrefixByName[name] ? exampleId(idPrefixByName[name]!) : name === 'id' ? exampleId(idPrefix) : `exemplo de ${name || 'texto'}`);
  if (typeof node.pattern === 'string' && !new RegExp(node.pattern, 'u').test(value)) value = name && new RegExp(node.pattern, 'u').test(name) ? name : value;
  if (typeof node.maxLength === 'number' && value.length > node.maxLength) value = value.slice(0, node.maxLength);
  if (typeof node.minLength === 'number' && value.length < node.minLength) value = value.padEnd(node.minLength, 'x');
  return value;
}

function numberExample(node: Record<string, unknown>, name: string): number {
  // Zod's `.int()` bounds (±MAX_SAFE_INTEGER) say nothing about the value.
  const bound = (value: unknown) => (typeof value === 'number' && Math.abs(value) < Number.MAX_SAFE_INTEGER ? value : undefined);
  const min = bound(node.minimum);
  const max = bound(node.maximum);
  const wanted = integerExample(name) ?? (name === 'min' ? 6 : name === 'max' ? 64 : undefined) ?? min ?? 1;
  return Math.min(Math.max(wanted, min ?? wanted), max ?? wanted);
}

type Schemas = Record<string, unknown>;
/** Where a recursive schema meets itself again: an empty list or a null ends the example there. */
const RECURSION = Symbol('recursion');

/**
 * An example value for a JSON schema (draft 2020-12, as fastify-type-provider-zod writes it):
 * every property, one item per array, the first choice of an enum or a union, and the values
 * by name above. A map keyed by an enum gets every key; a free-form map stays empty (its meaning
 * is in the hand-written examples).
 */
export function exampleFromSchema(schema: unknown, schemas: Schemas, path = ''): unknown {
  const value = build(schema, schemas, '', new Set(), idPrefixOfPath(path));
  return value === RECURSION ? null : value;
}

function build(schema: unknown, schemas: Schemas, name: string, refs: Set<string>, idPrefix: string, parent = ''): unknown {
  if (!schema || typeof schema !== 'object') return null;
  const node = schema as Record<string, unknown>;
  if (typeof node.$ref === 'string') {
    if (refs.has(node.$ref)) return RECURSION;
    return build(schemas[node.$ref.replace('#/components/schemas/', '')], schemas, name, new Set([...refs, node.$ref]), idPrefix, parent);
  }
  if ('const' in node) return node.const;
  if (Array.isArray(node.enum)) return node.enum[0];
  if (Array.isArray(node.examples) && node.examples.length > 0) return node.examples[0];
  for (const union of ['anyOf', 'oneOf'] as const) {
    const choices = node[union];
    if (Array.isArray(choices)) {
      const choice = choices.find((c) => (c as { type?: unknown }).type !== 'null') ?? choices[0];
      const value = build(choice, schemas, name, refs, idPrefix, parent);
      return value === RECURSION && choices.some((c) => (c as { type?: unknown }).type === 'null') ? null : value;
    }
  }
  const type = Array.isArray(node.type) ? (node.type.find((t) => t !== 'null') ?? 'null') : node.type;
  switch (type) {
    case 'object': {
      const properties = Object.entries((node.properties ?? {}) as Record<string, unknown>).map(([child, childSchema]) => [child, build(childSchema, schemas, child, refs, idPrefixByCollection[name] ?? idPrefix, name)] as const);
      const keys = (node.propertyNames as { enum?: unknown[] } | undefined)?.enum;
      const entries = keys && node.additionalProperties ? keys.map((k) => [String(k), build(node.additionalProperties, schemas, String(k), refs, idPrefix, name)] as const) : [];
      return Object.fromEntries([...properties, ...entries].map(([k, v]) => [k, v === RECURSION ? null : v]));
    }
    case 'array': {
      const item = build(node.items ?? {}, schemas, name, refs, idPrefixByCollection[name] ?? idPrefix, parent);
      if (item === RECURSION) return [];
      return Array.from({ length: Math.max(1, typeof node.minItems === 'number' ? node.minItems : 1) }, () => item);
    }
    case 'string':
      return stringExample(node, stringByPlace[`${parent}.${name}`] ?? stringByName[name], name, idPrefix);
    case 'integer':
    case 'number':
      return numberExample(node, name);
    case 'boolean':
      return typeof node.default === 'boolean' ? node.default : true;
    case 'null':
      return null;
    default:
      // `{}` (any value): a string reads best.
      return stringByName[name] ?? 'exemplo';
  }
}
