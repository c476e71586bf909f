import type { RouteOptions } from 'fastify';
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorCatalogue } from '../errors.ts';
import { apiErrorSchema, clientesFailureSchema, invalidTokenSchema } from './envelope.ts';
import {
  apiErrorExample,
  clientesFailureExample,
  exampleFromSchema,
  integerExample,
  operationKey,
  parameterExamples,
  requestExamples,
  responseExamples,
  TEMP_AUTH_PATH,
} from './openapi-examples.ts';
import { faviconSvg } from './favicon.ts';

/**
 * The OpenAPI document at `/docs/json` and the page at `/docs`, made worth reading in one place
 * instead of in every route file: routes declare their schemas, summaries and the statuses their
 * own logic answers; this module adds, to the generated document only (validation and
 * serialization never see it):
 * - the statuses every route of a surface can answer whatever its logic (a painel route without a
 *   session is 401, a write without the CSRF header 403, any body too large 413…), each pointing at
 *   the surface's error envelope, declared once under `components.schemas` from `envelope.ts`;
 * - a description for every operation (what it is for and how to authenticate), a description for
 *   every response instead of "Default Response", and an example on every JSON body
 *   (openapi-examples.ts: the seeds' on `/clientes`, then hand-written or built from the schema);
 * - what the seeds require but the route checks itself (the chave passe parameters are validated
 *   by the handler, after the token, to answer the seed's 401/400 in that order);
 * - integer examples that read as values (epoch-ms timestamps, status codes) instead of
 *   Number.MIN_SAFE_INTEGER, and the operators' public API listed first.
 */

export type Surface = 'tempAuth' | 'clientes' | 'app' | 'sdk' | 'painel' | 'painelPublico' | 'operacao';

/** The infrastructure's own routes (surface `operacao`); other routes outside the APIs describe themselves. */
const OPERATION_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type RouteFacts = { guarded: boolean; publica: boolean; somenteAdminPlataforma: boolean };
type Operation = {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { in: string; name: string; required?: boolean; description?: string; schema?: Record<string, unknown>; example?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: unknown; example?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown; example?: unknown }> }>;
  security?: Record<string, string[]>[];
};
type Document = {
  openapi: string;
  info: Record<string, unknown>;
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
};

const key = operationKey;
const openapiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

/** Which API a path belongs to: decides the error envelope, the authentication and the order. */
export function surfaceOf(path: string, facts: RouteFacts | undefined): Surface {
  if (path === TEMP_AUTH_PATH) return 'tempAuth';
  if (path.startsWith('/clientes/')) return 'clientes';
  if (path.startsWith('/app/')) return 'app';
  if (path.startsWith('/sdk/')) return 'sdk';
  if (path.startsWith('/painel/api/')) return facts?.guarded && !facts.publica ? 'painel' : 'painelPublico';
  return 'operacao';
}

// ——— Error envelopes, one JSON schema per surface, generated from envelope.ts ———

const envelopeComponents = {
  FalhaClientes: clientesFailureSchema,
  FalhaTokenTemporario: invalidTokenSchema,
  ErroApi: apiErrorSchema,
} as const;
type EnvelopeName = keyof typeof envelopeComponents;

const envelopeOf: Record<Surface, EnvelopeName | undefined> = {
  tempAuth: 'FalhaClientes',
  clientes: 'FalhaClientes',
  app: 'ErroApi',
  sdk: 'ErroApi',
  painel: 'ErroApi',
  painelPublico: 'ErroApi',
  operacao: undefined,
};

/** The envelope of one error status: on the temporary token every refusal is the seed's 401 body, and an outage the /clientes one (error-handler.ts). */
function envelopeFor(surface: Surface, status: number): EnvelopeName | undefined {
  return surface === 'tempAuth' && status === 401 ? 'FalhaTokenTemporario' : envelopeOf[surface];
}

/** The example of an error status in the surface's envelope (a route's own examples come first). */
function envelopeExample(envelope: EnvelopeName | undefined, status: string, schema: unknown): unknown {
  if (status.startsWith('2')) return undefined;
  const ownError = (schema as { properties?: { error?: unknown } } | undefined)?.properties?.error !== undefined;
  if (envelope === 'ErroApi' || ownError) return apiErrorExample(status);
  if (envelope === 'FalhaClientes') return clientesFailureExample(status);
  return undefined;
}

/** Statuses a route answers because of the surface it is on, whatever its own logic. */
function surfaceStatuses(surface: Surface, method: string, path: string, facts: RouteFacts | undefined, operation: Operation): number[] {
  const write = UNSAFE.has(method);
  const hasInput = write || (operation.parameters?.length ?? 0) > 0;
  // A body is parsed before any route logic: malformed JSON (400), too large (413), not JSON (415).
  const body = write ? [400, 413, 415] : [];
  switch (surface) {
    case 'tempAuth':
      // The seed: every refusal is the 401; an unexpected failure is the /clientes envelope.
      return [401, 500];
    case 'clientes':
      return [400, 401, 403, 429, ...body, 500];
    case 'app':
      // Every app route reads X-App-Id (404 APP_NOT_FOUND) and validates it (400).
      return [400, 404, ...body, 500];
    case 'painel':
      return [
        ...(hasInput ? [400] : []),
        401,
        ...(write || facts?.somenteAdminPlataforma ? [403] : []),
        ...(path.includes('{') ? [404] : []),
        ...body,
        500,
      ];
    case 'painelPublico':
    case 'sdk':
      return [...(hasInput ? [400] : []), ...body, 500];
    case 'operacao':
      return [];
  }
}

// ——— Words ———

const surfaceNotes: Record<Surface, string> = {
  tempAuth:
    '**Autenticação:** header `Authorization` com o token do cliente (painel → APIs), cru ou `Bearer <token>`. Toda recusa responde exatamente `{"success":false,"message":"Invalid token."}` com HTTP 401, como no contrato.',
  clientes:
    '**Autenticação:** header `Authorization` com um token do cliente (cru ou `Bearer <token>`) que tenha a API da rota — **chavePasse** em `/clientes/chavePasse/...`, **seguranca** em `/clientes/utilitarios/seguranca/...` —, ou um token temporário gerado com ele. Respostas no envelope `{status, data, message, critical, statusCode, timestamp}`; o id da requisição vem no header `x-request-id`.',
  app: '**Identificação:** header `X-App-Id` com o id público da instância (painel → cliente → Aplicativo e identificadores). Rotas de usuário logado pedem também `Authorization: Bearer <token da sessão>`. Erros em `{error: {code, message, requestId, details?}}`.',
  painel:
    '**Autenticação:** sessão do painel (cookie `ponte_sessao`, aberta por `POST /painel/api/auth/login`). Escritas exigem também o header `X-CSRF-Token` devolvido por `GET /painel/api/auth/sessao`. Um cliente do qual você não participa responde 404. Erros em `{error: {code, message, requestId, details?}}`.',
  painelPublico: 'Rota pública do painel (sem sessão). Erros em `{error: {code, message, requestId, details?}}`.',
  sdk: 'Para páginas de terceiros que embutem funcionalidades. Erros em `{error: {code, message, requestId, details?}}`.',
  operacao: 'Para balanceadores de carga, orquestradores e monitoração; sem autenticação.',
};

/** What each public and app operation is for, beyond its summary (the painel's summaries already say it). */
const operationDescriptions: Record<string, string> = {
  [key('POST', TEMP_AUTH_PATH)]:
    'O backend da operadora troca o token do cliente (longo, guardado no servidor dela) por um token temporário de 12 horas, para usar onde o token de origem vale — por exemplo, numa página carregada na WebView. Corpo vazio ou ausente (com `Content-Type: application/json`, como no exemplo do contrato). Um token temporário não gera outro.',
  [key('GET', TEMP_AUTH_PATH)]: 'O mesmo que o `POST`, para clientes HTTP que não enviam corpo.',
  [key('GET', '/clientes/chavePasse/usuario')]:
    'A página da operadora aberta numa funcionalidade customizada recebe `chavePasse` na query string da URL e consulta, pelo backend dela, quem é o usuário logado: a `chaveUnica` e os dados de `integracao` que a operadora devolveu no login. Os três parâmetros são obrigatórios; qualquer divergência (chave expirada ou de outra funcionalidade, instância ou cliente; funcionalidade inativa; sessão encerrada) responde o mesmo 403.',
  [key('GET', '/clientes/chavePasse/grupoFamiliar')]:
    'Os beneficiários que o login devolveu (o grupo familiar visível ao usuário), cada um com `chaveUnica`, nome, data de nascimento, `integracao` e `usuarioLogado: true` para quem abriu a funcionalidade. Mesmos parâmetros e mesmas recusas de `/clientes/chavePasse/usuario`.',
  [key('GET', '/clientes/chavePasse/sistema')]:
    'O que o app informou ao abrir a funcionalidade: plataforma, versão do app, dispositivo, idioma e a geolocalização quando o usuário permitiu, com o momento da abertura. Mesmos parâmetros e mesmas recusas de `/clientes/chavePasse/usuario`.',
  [key('GET', '/clientes/chavePasse/chavePasse')]:
    'Os metadados da própria chave passe: a funcionalidade a que ela dá acesso, quando foi criada e quando expira. Útil para a página saber até quando pode consultar. Mesmos parâmetros e mesmas recusas de `/clientes/chavePasse/usuario`.',
  [key('GET', '/app/v1/configuracao')]:
    'O primeiro pedido do app ao abrir: o cliente, a instância, os formulários a exibir (login, recuperação e troca de senha), os fluxos disponíveis e as funcionalidades ativas.',
  [key('POST', '/app/v1/sessoes')]:
    'Envia os campos do formulário de login à API de login da operadora (com os headers da integração e do grupo de autorização), confere a resposta contra o contrato e abre uma sessão do app. O token da sessão volta no corpo e vai depois em `Authorization: Bearer`. Login recusado pela operadora: 401; resposta fora do contrato: 422; operadora fora do ar: 502.',
  [key('GET', '/app/v1/sessoes/atual')]: 'O perfil do usuário e as funcionalidades visíveis para ele, da sessão em `Authorization: Bearer`.',
  [key('DELETE', '/app/v1/sessoes/atual')]: 'Encerra a sessão: o token deixa de valer e as chaves passe abertas por ela são invalidadas.',
  [key('POST', '/app/v1/senha')]: 'Envia o formulário de troca de senha à API da operadora, com os headers de segurança que ela devolveu no login.',
  [key('POST', '/app/v1/funcionalidades/{chaveFuncionalidade}/abrir')]:
    'Gera uma chave passe de uso da funcionalidade e devolve a URL a carregar na WebView, com `chavePasse`, `chaveFuncionalidade` e `instanciaApp` na query string. A página da operadora usa esses valores na API de acesso a dados (`/clientes/chavePasse/...`).',
  [key('POST', '/app/v1/recuperacao')]:
    'Passo 1 da recuperação de senha: envia o formulário de identificação à operadora e devolve os contatos ofuscados (e-mail, celular) para o usuário escolher onde receber o código.',
  [key('GET', '/healthz')]: 'Responde 200 enquanto o processo estiver de pé, sem consultar dependências (liveness).',
  [key('GET', '/readyz')]: 'Responde 200 quando o nó pode atender: banco de dados e armazenamento chave-valor respondem e o nó não está encerrando (readiness). 503 tira o nó do balanceamento.',
  [key('GET', '/metrics')]: 'Métricas no formato texto do Prometheus: duração das requisições por rota e status, indisponibilidade de dependências, retenção, central de logs e as métricas do processo Node.',
};

const successWords: Record<string, string> = {
  '200': 'Sucesso.',
  '201': 'Criado.',
  '202': 'Aceito: o trabalho continua em segundo plano.',
  '204': 'Feito, sem corpo na resposta.',
};

function errorWords(status: string, surface: Surface, path: string): string {
  const clientes = surface === 'clientes';
  switch (status) {
    case '400':
      return clientes
        ? `Parâmetro obrigatório ausente ou inválido: \`critical\` lista cada um como \`{campo, mensagem}\` ("${errorCatalogue.MISSING_PARAMETERS.message}").`
        : 'Dados inválidos (`error.details` lista cada campo com a mensagem) ou corpo que não é JSON válido.';
    case '401':
      if (surface === 'tempAuth') return 'Token ausente, inválido, revogado ou temporário — e qualquer outra recusa (corpo inválido, tipo de conteúdo, tamanho): sempre este corpo, como no contrato. Depois de muitas falhas a partir do mesmo endereço, também com `Retry-After`.';
      if (clientes) return `Token do cliente ausente, inválido ou revogado ("${errorCatalogue.INVALID_TOKEN.message}").`;
      if (surface === 'app') return 'Sessão do app ausente, expirada ou encerrada; no login, usuário ou senha recusados pela operadora.';
      if (path === '/painel/api/auth/login') return 'E-mail ou senha incorretos, ou conta desativada (a mesma resposta para os três).';
      return 'Sem sessão do painel, ou sessão expirada: entre de novo (`POST /painel/api/auth/login`).';
    case '403':
      if (clientes && !path.startsWith('/clientes/chavePasse/')) return `O token não tem a API desta rota, ou a operação não é permitida ("${errorCatalogue.TOKEN_SCOPE_MISSING.message}").`;
      if (clientes) return 'O token não tem a API chavePasse, ou a chave passe não vale para esta consulta (expirada, de outra funcionalidade, instância ou cliente, funcionalidade inativa, sessão encerrada) — uma só resposta, sem dizer qual parte falhou.';
      if (surface === 'app') return 'A funcionalidade está bloqueada para este usuário.';
      return 'Escrita sem o header `X-CSRF-Token` da sessão, ou o seu papel não permite esta ação.';
    case '404':
      if (surface === 'app') return 'Header `X-App-Id` ausente ou desconhecido, ou o recurso pedido não existe.';
      return 'Não encontrado — inclusive um cliente do qual você não participa.';
    case '409':
      return 'Conflito com o estado atual: o registro já existe, está em uso, ou o passo já foi feito.';
    case '413':
      return 'Corpo maior que o limite (PONTE_BODY_LIMIT_BYTES, 1 MiB por padrão).';
    case '415':
      return 'Tipo de conteúdo não suportado: envie `Content-Type: application/json`.';
    case '422':
      return 'A operadora recusou ou respondeu fora do contrato do método: `error.details` lista cada violação.';
    case '429':
      return 'Tentativas demais: aguarde os segundos do header `Retry-After` e tente de novo.';
    case '500':
      return 'Falha inesperada, registrada no log do servidor com o id do header `x-request-id`.';
    case '502':
      return 'A operadora não respondeu a tempo ou não pôde ser alcançada.';
    case '503':
      return path === '/readyz'
        ? 'Não pronto: uma dependência não respondeu a tempo ou o nó está encerrando.'
        : 'Banco de dados ou armazenamento chave-valor indisponível: tente de novo depois dos segundos do header `Retry-After`.';
    default:
      return successWords[status] ?? `HTTP ${status}.`;
  }
}

/** Query parameters the seed marks "Requerido: Sim" on the chave passe data API. */
const CHAVE_PASSE_REQUIRED = new Set(['instanciaApp', 'chavePasse', 'chaveFuncionalidade']);

// ——— Numbers that read as values ———

const SAFE = Number.MAX_SAFE_INTEGER;
/** Drops ±MAX_SAFE_INTEGER bounds (Zod's `.int()`), which UIs would show as the example, and names a sane one. */
function tidyNumbers(schema: unknown, name = ''): void {
  if (Array.isArray(schema)) {
    for (const item of schema) tidyNumbers(item, name);
    return;
  }
  if (!schema || typeof schema !== 'object') return;
  const node = schema as Record<string, unknown>;
  if (node.minimum === -SAFE) delete node.minimum;
  if (node.maximum === SAFE) delete node.maximum;
  if ((node.type === 'integer' || node.type === 'number') && node.examples === undefined && node.example === undefined) {
    const example = integerExample(name);
    if (example !== undefined && (typeof node.minimum !== 'number' || example >= node.minimum) && (typeof node.maximum !== 'number' || example <= node.maximum)) {
      node.examples = [example];
    }
  }
  for (const [prop, value] of Object.entries(node)) {
    if (prop === 'properties' && value && typeof value === 'object') {
      for (const [child, childSchema] of Object.entries(value)) tidyNumbers(childSchema, child);
    } else if (typeof value === 'object') tidyNumbers(value, name);
  }
}

// ——— Order ———

const surfaceRank: Record<Surface, number> = { tempAuth: 0, clientes: 1, app: 2, sdk: 3, painelPublico: 4, painel: 4, operacao: 5 };

const tagDescriptions: Record<string, string> = {
  'API do cliente': 'API pública que o backend da operadora chama: token temporário (contrato "Token temporário").',
  'API do cliente — chave passe': 'API pública de acesso a dados: a página da operadora aberta numa funcionalidade customizada descobre quem a abriu (contrato "API de acesso a dados").',
  'API do app (beneficiário)': 'O que o app do beneficiário chama: configuração, login, troca e recuperação de senha, funcionalidades.',
  Operação: 'Saúde e métricas para a infraestrutura.',
};

/**
 * Collects what the document needs to know about each route (its `config` flags, and whether the
 * painel guard runs before it) and builds the swagger options. `collect` goes on the app's
 * `onRoute`; `markGuarded` on the `onRoute` of the scope where the painel guard is registered.
 */
export function createApiDocs(options: { version: string; favicon?: string }) {
  const mark = Buffer.from(options.favicon ?? faviconSvg);
  const facts = new Map<string, RouteFacts>();
  const guarded = new Set<string>();
  const methodsOf = (route: RouteOptions) => (Array.isArray(route.method) ? route.method : [route.method]);

  function factsOf(method: string, path: string): RouteFacts | undefined {
    const found = facts.get(key(method, path));
    return found ? { ...found, guarded: guarded.has(key(method, path)) } : undefined;
  }

  function transformObject(input: { openapiObject: Partial<Document> }): Document {
    // The named Zod schemas (recursive ones, such as a contract's field) become components first.
    const document = jsonSchemaTransformObject(input as Parameters<typeof jsonSchemaTransformObject>[0]) as Document;
    const components = (document.components ??= {});
    const schemas = (components.schemas ??= {});
    // Only the output shape of a named schema is referenced (its input twin would be an orphan).
    for (const name of Object.keys(schemas)) if (name.endsWith('Input') && schemas[name.slice(0, -'Input'.length)]) delete schemas[name];
    for (const [name, schema] of Object.entries(envelopeComponents)) {
      const json = z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
      delete json.$schema;
      schemas[name] = json;
    }
    for (const schema of Object.values(schemas) as Record<string, unknown>[]) {
      // A component is addressed by its place in the document, not by an `$id` of its own.
      delete schema.$schema;
      delete schema.$id;
      tidyNumbers(schema);
    }

    const entries = Object.entries(document.paths).map(([path, operations], index) => ({ path, operations, index }));
    for (const { path, operations } of entries) {
      for (const [method, operation] of Object.entries(operations)) {
        const upper = method.toUpperCase();
        const routeFacts = factsOf(upper, path);
        const surface = surfaceOf(path, routeFacts);
        const responses = (operation.responses ??= {});

        // The statuses of the surface, in its own envelope, where the route did not declare them.
        for (const status of surfaceStatuses(surface, upper, path, routeFacts, operation)) {
          const envelope = envelopeFor(surface, status);
          if (envelope) responses[String(status)] ??= { content: { 'application/json': { schema: { $ref: `#/components/schemas/${envelope}` } } } };
        }
        for (const [status, response] of Object.entries(responses)) {
          if (!response.description || response.description === 'Default Response') response.description = errorWords(status, surface, path);
          const media = response.content?.['application/json'];
          if (media) media.example = responseExamples[key(upper, path)]?.[status] ?? envelopeExample(envelopeFor(surface, Number(status)), status, media.schema) ?? exampleFromSchema(media.schema, schemas, path);
        }
        const body = operation.requestBody?.content?.['application/json'];
        if (body) body.example = requestExamples[key(upper, path)] ?? exampleFromSchema(body.schema, schemas, path);
        operation.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));

        for (const parameter of operation.parameters ?? []) {
          if (path.startsWith('/clientes/chavePasse/') && parameter.in === 'query' && CHAVE_PASSE_REQUIRED.has(parameter.name)) parameter.required = true;
          const example = parameterExamples[parameter.name];
          if (example !== undefined && parameter.example === undefined) parameter.example = example;
        }

        const own = operationDescriptions[key(upper, path)] ?? operation.description;
        const note = surface === 'operacao' && !OPERATION_PATHS.has(path) ? undefined : surfaceNotes[surface];
        operation.description = [own, note].filter(Boolean).join('\n\n') || operation.summary;
        if (surface === 'tempAuth' || surface === 'clientes') operation.security = [{ tokenDoCliente: [] }];
        else if (surface === 'painel') operation.security = [{ sessaoPainel: [], ...(UNSAFE.has(upper) ? { csrf: [] } : {}) }];
        else if (surface === 'app') operation.security = [{ appId: [] }];
        tidyNumbers(operation);
      }
    }

    // The operators' public API first, then the app's, the painel's, and operation last.
    const rank = ({ path, operations }: (typeof entries)[number]) => Math.min(...Object.keys(operations).map((m) => surfaceRank[surfaceOf(path, factsOf(m.toUpperCase(), path))]));
    entries.sort((a, b) => rank(a) - rank(b) || a.index - b.index);
    document.paths = Object.fromEntries(entries.map(({ path, operations }) => [path, operations]));

    const tagNames: string[] = [];
    for (const { operations } of entries) for (const operation of Object.values(operations)) for (const tag of operation.tags ?? []) if (!tagNames.includes(tag)) tagNames.push(tag);
    document.tags = tagNames.map((name) => ({ name, ...(tagDescriptions[name] ? { description: tagDescriptions[name] } : {}) }));
    return document;
  }

  const swagger: FastifyDynamicSwaggerOptions = {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ponte — API',
        version: options.version,
        description: [
          'Integração entre apps de planos de saúde e os sistemas das operadoras, compatível com os contratos públicos do Mosia Omnichannel.',
          '',
          '- **API do cliente** (`/clientes/...`): chamada pelos sistemas da operadora — token temporário e API de acesso a dados da chave passe, exatamente como nos contratos.',
          '- **API do app** (`/app/v1/...`): chamada pelo app do beneficiário, identificado pelo header `X-App-Id`.',
          '- **API do painel** (`/painel/api/...`): a interface web do painel; sessão por cookie e header `X-CSRF-Token` nas escritas.',
          '- **Operação**: `/healthz`, `/readyz` e `/metrics`.',
          '',
          'Instantes são epoch em milissegundos (inteiros); o id de cada requisição volta no header `x-request-id`.',
        ].join('\n'),
      },
      components: {
        securitySchemes: {
          tokenDoCliente: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Token do cliente (painel → APIs), cru ou `Bearer <token>`; na API de dados, também um token temporário.' },
          appId: { type: 'apiKey', in: 'header', name: 'X-App-Id', description: 'Id público do app na instância (painel → cliente → Aplicativo e identificadores).' },
          sessaoPainel: { type: 'apiKey', in: 'cookie', name: 'ponte_sessao', description: 'Aberta por POST /painel/api/auth/login.' },
          csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'Devolvido por GET /painel/api/auth/sessao; exigido nas escritas do painel.' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: transformObject as FastifyDynamicSwaggerOptions['transformObject'],
  };

  const ui: FastifySwaggerUiOptions = {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true, displayRequestDuration: true, filter: true, defaultModelsExpandDepth: 0, tryItOutEnabled: false },
    logo: { type: 'image/svg+xml', content: mark, href: '/docs', target: '_self' },
    theme: {
      title: 'Ponte — documentação da API',
      favicon: [{ filename: 'favicon.svg', rel: 'icon', sizes: 'any', type: 'image/svg+xml', content: mark }],
      js: [{ filename: 'ponte-pt-br.js', content: swaggerUiPortuguese }],
      css: [{ filename: 'ponte.css', content: '.swagger-ui .topbar { background: #364fc7; } .swagger-ui .topbar .link img { height: 32px; }' }],
    },
  };

  return {
    swagger,
    ui,
    /** For the app's `onRoute`: keeps each route's `config` flags. */
    collect(route: RouteOptions): void {
      const config = (route.config ?? {}) as { publica?: boolean; somenteAdminPlataforma?: boolean };
      for (const method of methodsOf(route)) {
        facts.set(key(method, openapiPath(route.url)), { guarded: false, publica: config.publica === true, somenteAdminPlataforma: config.somenteAdminPlataforma === true });
      }
    },
    /** For the `onRoute` of the scope behind the painel guard. */
    markGuarded(route: RouteOptions): void {
      for (const method of methodsOf(route)) guarded.add(key(method, openapiPath(route.url)));
    },
  };
}

/**
 * Swagger UI has no translations: this script, served beside it, sets the page language and
 * rewrites its fixed English labels as they appear (the descriptions are already Portuguese).
 */
const swaggerUiPortuguese = `(() => {
  document.documentElement.lang = 'pt-BR';
  const words = {
    'Try it out': 'Testar', 'Cancel': 'Cancelar', 'Execute': 'Executar', 'Clear': 'Limpar', 'Parameters': 'Parâmetros',
    'Request body': 'Corpo da requisição', 'Responses': 'Respostas', 'Response': 'Resposta', 'Description': 'Descrição', 'Name': 'Nome', 'Code': 'Código',
    'Links': 'Links', 'No links': 'Sem links', 'Example Value': 'Exemplo', 'Schema': 'Esquema', 'Media type': 'Tipo de mídia',
    'Authorize': 'Autorizar', 'Available authorizations': 'Autorizações disponíveis', 'Logout': 'Sair', 'Close': 'Fechar',
    'Request URL': 'URL da requisição', 'Server response': 'Resposta do servidor', 'Response body': 'Corpo da resposta',
    'Response headers': 'Headers da resposta', 'Details': 'Detalhes', 'Download': 'Baixar', 'Filter by tag': 'Filtrar por tag',
    'Value': 'Valor', 'Servers': 'Servidores', 'Schemas': 'Esquemas', 'No parameters': 'Sem parâmetros', 'required': 'obrigatório',
    'Request duration': 'Duração da requisição', 'Loading...': 'Carregando…', 'Undocumented': 'Não documentado',
    'Controls Accept header.': 'Define o header Accept.', 'Authorized': 'Autorizado', 'Expand all': 'Expandir tudo', 'Collapse all': 'Recolher tudo',
  };
  const translate = (root) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.nodeValue.trim();
      if (words[text] && !node.parentElement.closest('.markdown, .renderedMarkdown, pre, code, textarea')) node.nodeValue = node.nodeValue.replace(text, words[text]);
    }
    for (const input of root.querySelectorAll ? root.querySelectorAll('input[placeholder="Filter by tag"]') : []) input.placeholder = 'Filtrar por tag';
  };
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === 'characterData') { if (change.target.parentElement) translate(change.target.parentElement); continue; }
      for (const node of change.addedNodes) if (node.nodeType === 1) translate(node); else if (node.nodeType === 3 && node.parentElement) translate(node.parentElement);
    }
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
  translate(document.body);
})();
`;
