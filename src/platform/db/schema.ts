import type { Generated, Kysely, Transaction } from 'kysely';

/**
 * Table types shared by SQLite and PostgreSQL. To keep one migration history portable:
 * times are epoch milliseconds (`bigint`), flags are `0 | 1` integers, JSON is text.
 */
export interface ClientesTable {
  id: string;
  nome: string;
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

export interface DatabaseSchema {
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
