import type { Generated, Kysely, Transaction } from 'kysely';

/**
 * Table types shared by SQLite and PostgreSQL. To keep one migration history portable:
 * times are epoch milliseconds (`bigint`), flags are `0 | 1` integers, JSON is text.
 */
export interface ClientesTable {
  id: string;
  nome: string;
  /** How long the central de logs keeps this cliente's calls. */
  log_retention_days: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface InstanciasTable {
  id: string;
  cliente_id: string;
  /** 1 = Sandbox, 2 = Produção (the wire's `instanciaApp`). */
  numero: number;
  /** Public id the beneficiary app uses to name its cliente and instância. */
  app_id: string;
  created_at: number;
}

export interface PainelUsersTable {
  id: string;
  email: string;
  nome: string;
  password_hash: string;
  is_platform_admin: number;
  active: number;
  failed_logins: number;
  locked_until: number | null;
  last_login_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface PainelMembershipsTable {
  user_id: string;
  cliente_id: string;
  role: string;
  created_at: number;
}

export interface PainelSessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  idle_expires_at: number;
  expires_at: number;
}

export interface ClientTokensTable {
  id: string;
  cliente_id: string;
  token_hash: string;
  /** The first characters of the plaintext, shown in lists so people can tell tokens apart. */
  token_start: string;
  /** JSON array of API names (`chavePasse`, `seguranca`). */
  apis: string;
  descricao: string;
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface AuditEventsTable {
  id: string;
  cliente_id: string | null;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  target_type: string;
  target_id: string;
  before_json: string | null;
  after_json: string | null;
  request_id: string | null;
  created_at: number;
}

export interface GruposAutorizacaoTable {
  id: string;
  cliente_id: string;
  instancia: number;
  nome: string;
  url: string;
  usuario: string;
  /** AES-256-GCM sealed by the master key (`crypto.ts`). */
  senha_selada: string;
  ttl_segundos: number;
  /** `ativo` | `falhando` */
  status: string;
  ultima_renovacao_em: number | null;
  ultimo_erro: string | null;
  ultimo_erro_em: number | null;
  created_at: number;
  updated_at: number;
}

export interface IntegracoesTable {
  id: string;
  cliente_id: string;
  instancia: number;
  base_url: string | null;
  /** JSON: per-method `{url}` overrides, keyed by method name. */
  metodos_json: string;
  timeout_ms: number;
  /** JSON: static headers `[{nome, valor?, valorSelado?, secreto}]`; secret values only sealed. */
  headers_json: string;
  grupo_id: string | null;
  updated_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface OutboundLogsTable {
  id: string;
  cliente_id: string;
  instancia: number;
  operacao: string;
  url: string;
  request_headers_json: string;
  request_body_json: string | null;
  status: number | null;
  status_text: string | null;
  response_body: string | null;
  latency_ms: number;
  resultado: string;
  violacoes_json: string | null;
  /** Keyed hash of the user's chaveUnica (often a CPF): searchable without being stored. */
  chave_usuario_hash: string | null;
  chave_usuario_mascarada: string | null;
  correlation_id: string | null;
  created_at: number;
}

export interface DatabaseSchema {
  grupos_autorizacao: GruposAutorizacaoTable;
  integracoes: IntegracoesTable;
  outbound_logs: OutboundLogsTable;
  clientes: ClientesTable;
  instancias: InstanciasTable;
  painel_users: PainelUsersTable;
  painel_memberships: PainelMembershipsTable;
  painel_sessions: PainelSessionsTable;
  client_tokens: ClientTokensTable;
  audit_events: AuditEventsTable;
}

export type Db = Kysely<DatabaseSchema>;
/** Every repository method accepts an optional transaction; `Executor` is either. */
export type Executor = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;

// Kysely's Generated is re-exported for later tables with database-side defaults.
export type { Generated };
