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
  /** Stable numeric code, unique: the `idCliente` claim of temp tokens (migration 0008). */
  codigo: number;
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
  /** 64 lowercase hex characters, unique: the `key` claim of this token's temp tokens (migration 0008). */
  chave_publica: string;
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
  /** The instância changed (1 Sandbox, 2 Produção); null for changes of the whole cliente (migration 0011). */
  instancia: number | null;
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
  /** JSON array of origins the grupo's tokens may go to (confirmed with its senha); null before that rule. */
  grupo_destinos_json: string | null;
  /** 1 once elegibilidade was activated (after a passing live check); migration 0010. */
  elegibilidade_ativa?: number;
  /** Relogin interval in hours; null = off. */
  relogin_horas?: number | null;
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
  /** `saida`: Ponte called the operator; `entrada`: the operator called Ponte's /clientes API (migration 0011). */
  direcao: string;
  /** Why Ponte refused an `entrada` call (shown in the painel only; the caller gets the generic answer). */
  motivo: string | null;
  /** The token do cliente an `entrada` call used. */
  token_id: string | null;
}

export interface FormulariosTable {
  id: string;
  cliente_id: string;
  instancia: number;
  nome: string;
  /** Which operator method the form feeds (`login`, `recuperarSenhaIdentificacao`, …). */
  finalidade: string;
  /** JSON array of field definitions (`forms.schemas.ts`). */
  campos_json: string;
  created_at: number;
  updated_at: number;
}

export interface FuncionalidadesTable {
  id: string;
  cliente_id: string;
  instancia: number;
  nome: string;
  url: string;
  /** The public `chaveFuncionalidade` (UUID). */
  chave: string;
  /** The id `permissoes[].funcionalidade` refers to. */
  codigo: string;
  validade_minutos: number;
  ativa: number;
  created_at: number;
  updated_at: number;
}

export interface OrigensTable {
  id: string;
  cliente_id: string;
  /** `scheme://host[:port]`, as browsers send in `Origin`. */
  origem: string;
  created_at: number;
}

export interface AppSessionsTable {
  id: string;
  token_hash: string;
  cliente_id: string;
  instancia: number;
  chave_unica_hash: string;
  /** The validated login profile, sealed (personal data). */
  perfil_selado: string;
  /** The operator's `seguranca` pairs, sealed. */
  seguranca_selada: string | null;
  created_at: number;
  last_seen_at: number;
  idle_expires_at: number;
  expires_at: number;
  revoked_at: number | null;
  /** When the login data last came from the operator (login or relogin); null = created_at. Migration 0010. */
  renovada_em?: number | null;
  /** `login` (password) or `chaveAuth`. */
  origem?: string;
}

export interface ChavesPasseTable {
  id: string;
  key_hash: string;
  session_id: string;
  cliente_id: string;
  instancia: number;
  funcionalidade_id: string;
  /** What the app reported when opening (platform, version, device, locale, geolocation), sealed. */
  sistema_selado: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface RecuperacoesTable {
  id: string;
  cliente_id: string;
  instancia: number;
  /** chaveUnica, integracao, seguranca and the contacts as the operator sent them, sealed. */
  estado_selado: string;
  contato_escolhido: string | null;
  codigo_hash: string | null;
  codigo_expires_at: number | null;
  tentativas: number;
  verificado_em: number | null;
  concluido_em: number | null;
  created_at: number;
  expires_at: number;
}

export interface MensagensEnviadasTable {
  id: string;
  cliente_id: string;
  instancia: number;
  /** `email` | `sms` */
  canal: string;
  destino: string;
  texto: string;
  created_at: number;
}

/** How recovery codes reach people for one instância (migration 0009, modules/mensagens). */
export interface EnvioMensagensTable {
  id: string;
  cliente_id: string;
  instancia: number;
  /** JSON: SMS provider and its non-secret settings, e-mail sender, templates. */
  config_json: string;
  /** The SMS provider's secrets (JSON), sealed and bound to the provider's origin. */
  sms_segredos_selado: string | null;
  /** The cliente's own SMTP URL (credentials included), sealed. */
  smtp_url_selado: string | null;
  updated_by: string | null;
  created_at: number;
  updated_at: number;
}

/** One change every node must drop its cached copies of (`platform/invalidation.ts`); kept ~10 minutes. */
export interface InvalidacoesTable {
  /** Only grows: nodes read the rows after the last id they saw. */
  id: Generated<number>;
  /** An `InvalidationTopic`. */
  topico: string;
  /** What to drop within the topic (a token id, a session id…); null drops the whole topic. */
  chave: string | null;
  criado_em: number;
}

/** An invitation of an e-mail into a cliente (`painel-users/painel-convites.*`); deleted when accepted. */
export interface PainelConvitesTable {
  id: string;
  cliente_id: string;
  /** Normalized (trimmed, lowercase). */
  email: string;
  papel: string;
  /** SHA-256 of the link's token: the token itself is only in the e-mail. */
  token_hash: string;
  convidado_por: string | null;
  criado_em: number;
  expira_em: number;
}

/** A painel "esqueci minha senha" link (SHA-256 of its token); deleted when used. */
export interface PainelRedefinicoesSenhaTable {
  token_hash: string;
  user_id: string;
  criado_em: number;
  expira_em: number;
}

export interface ChavesDerivadasTable {
  nome: string;
  chave_selada: string;
  criada_em: number;
}

export interface DatabaseSchema {
  formularios: FormulariosTable;
  funcionalidades: FuncionalidadesTable;
  origens: OrigensTable;
  app_sessions: AppSessionsTable;
  chaves_passe: ChavesPasseTable;
  recuperacoes: RecuperacoesTable;
  mensagens_enviadas: MensagensEnviadasTable;
  envio_mensagens: EnvioMensagensTable;
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
  invalidacoes: InvalidacoesTable;
  painel_convites: PainelConvitesTable;
  painel_redefinicoes_senha: PainelRedefinicoesSenhaTable;
  chaves_derivadas: ChavesDerivadasTable;
}

export type Db = Kysely<DatabaseSchema>;
/** Every repository method accepts an optional transaction; `Executor` is either. */
export type Executor = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;

// Kysely's Generated is re-exported for later tables with database-side defaults.
export type { Generated };
