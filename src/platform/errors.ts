/**
 * The closed catalogue of errors Ponte can answer with. Each code has exactly one HTTP status and
 * a default Portuguese message that says what to do; a throw site may give a more specific message.
 * Rendering per surface (the `/clientes` envelope, the temp-auth 401, the app and painel shapes)
 * lives in `http/error-handler.ts`.
 */
export const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, message: 'Dados inválidos. Corrija os campos indicados e tente novamente.' },
  MISSING_PARAMETERS: { status: 400, message: 'Parâmetros obrigatórios ausentes.' },
  MALFORMED_REQUEST: { status: 400, message: 'Requisição malformada: o corpo não é um JSON válido.' },
  INVALID_TOKEN: { status: 401, message: 'Invalid token.' },
  UNAUTHENTICATED: { status: 401, message: 'Sessão ausente ou expirada. Entre novamente no painel.' },
  INVALID_CREDENTIALS: { status: 401, message: 'E-mail ou senha incorretos.' },
  CSRF_REJECTED: { status: 403, message: 'Falha na verificação de segurança (CSRF). Recarregue a página e tente novamente.' },
  FORBIDDEN: { status: 403, message: 'Seu perfil não tem permissão para esta ação.' },
  TOKEN_SCOPE_MISSING: { status: 403, message: 'O token informado não tem acesso a esta API. Gere um token com a API necessária no painel, seção APIs.' },
  NOT_FOUND: { status: 404, message: 'Recurso não encontrado.' },
  ROUTE_NOT_FOUND: { status: 404, message: 'Rota não encontrada. Consulte a documentação em /docs.' },
  APP_NOT_FOUND: { status: 404, message: 'Aplicativo não identificado: envie o header X-App-Id com o id público da instância.' },
  CONFLICT: { status: 409, message: 'Já existe um registro com estes dados.' },
  OPERATOR_CONTRACT_VIOLATED: { status: 422, message: 'A resposta da API da operadora não segue o contrato. Corrija os pontos indicados e tente novamente.' },
  OPERATOR_REFUSED: { status: 422, message: 'A operadora não aceitou a solicitação.' },
  ELEGIBILIDADE_INATIVA: { status: 422, message: 'A elegibilidade não está ativa nesta instância: configure a URL da elegibilidade e ative-a em Integração, no painel, antes de usar o chaveAuth ou funcionalidades embutidas com login.' },
  BENEFICIARIO_NAO_RECONHECIDO: { status: 422, message: 'A operadora não reconheceu este beneficiário.' },
  CHAVE_PASSE_RECUSADA: { status: 403, message: 'Acesso negado: a chave passe não é válida para esta consulta.' },
  FUNCIONALIDADE_BLOQUEADA: { status: 403, message: 'Você não tem acesso a esta funcionalidade. Em caso de dúvida, procure sua operadora.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'Corpo da requisição maior que o permitido.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Tipo de conteúdo não suportado. Envie Content-Type: application/json.' },
  RATE_LIMITED: { status: 429, message: 'Muitas tentativas. Aguarde e tente novamente.' },
  OPERATOR_UNAVAILABLE: { status: 502, message: 'Não foi possível falar com a operadora agora. Tente novamente em instantes.' },
  INTERNAL: { status: 500, message: 'Ocorreu uma falha interna no servidor. Por favor tente novamente mais tarde.' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'Serviço temporariamente indisponível. Tente novamente em instantes.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export type ErrorDetail = { field?: string; message: string };

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly options: {
      /** Problems per field or parameter, rendered as `critical` on `/clientes` and `details` elsewhere. */
      details?: ErrorDetail[];
      /** Seconds the caller should wait, sent as `Retry-After`. */
      retryAfterSeconds?: number;
      cause?: unknown;
    } = {},
  ) {
    super(message ?? errorCatalogue[code].message, { cause: options.cause });
    this.name = 'AppError';
    this.status = errorCatalogue[code].status;
  }
}

/** Guard clause: `assertThat(token !== undefined, 'INVALID_TOKEN')`. */
export function assertThat(condition: unknown, code: ErrorCode, message?: string): asserts condition {
  if (!condition) throw new AppError(code, message);
}

export function statusOf(code: ErrorCode): number {
  return errorCatalogue[code].status;
}
