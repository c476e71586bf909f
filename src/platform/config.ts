import { z } from 'zod';
import { LOOPBACK_CIDRS, parseCidrList } from './http-client/ssrf-guard.ts';

/**
 * The only module that reads `process.env`. Everything else receives a `Config`.
 *
 * Secrets (master keys, JWT keys) are not resolved here: `keyring.ts` turns the raw
 * variables into keys, generating development keys into the data folder when allowed.
 */

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = z.coerce
  .number({ error: 'deve ser um número inteiro entre 0 e 65535' })
  .int('deve ser um número inteiro entre 0 e 65535')
  .min(0, 'deve ser um número inteiro entre 0 e 65535')
  .max(65535, 'deve ser um número inteiro entre 0 e 65535');

const positiveInt = (max: number) =>
  z.coerce
    .number({ error: `deve ser um número inteiro entre 1 e ${max}` })
    .int(`deve ser um número inteiro entre 1 e ${max}`)
    .min(1, `deve ser um número inteiro entre 1 e ${max}`)
    .max(max, `deve ser um número inteiro entre 1 e ${max}`);

const url = (protocols: string[], hint: string) =>
  z
    .string()
    .max(2048)
    .refine((value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, hint);

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

const envSchema = z.object({
  // Unset means production rules (real keys, no loopback calls, no demo): development is asked
  // for explicitly (NODE_ENV=development, `ponte --dev …` or `npm start`, which runs the demo).
  NODE_ENV: z.enum(['development', 'test', 'production'], {
    error: 'deve ser development, test ou production',
  }).default('production'),
  // An empty PORT means unset: coerced, '' would become 0 and silently listen on a random port.
  PORT: z.preprocess(emptyAsUndefined, port.default(3000)),
  PONTE_SIMULATOR_PORT: z.preprocess(emptyAsUndefined, port.default(3001)),
  // Unset: the port after the simulator's (a free one when the simulator's is 0).
  PONTE_PORTAL_PORT: z.preprocess(emptyAsUndefined, port.optional()),
  HOST: z.string().min(1).max(255).default('0.0.0.0'),
  PONTE_DATA_DIR: z.string().min(1).max(1024).default('./data'),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    url(['postgres:', 'postgresql:'], 'deve ser uma URL postgres://usuario@host:porta/banco').optional(),
  ),
  REDIS_URL: z.preprocess(
    emptyAsUndefined,
    url(['redis:', 'rediss:'], 'deve ser uma URL redis://host:porta').optional(),
  ),
  LOG_LEVEL: z.enum(logLevels, { error: `deve ser um de: ${logLevels.join(', ')}` }).default('info'),
  PONTE_MASTER_KEYS: z.preprocess(emptyAsUndefined, z.string().max(8192).optional()),
  PONTE_JWT_KEYS: z.preprocess(emptyAsUndefined, z.string().max(8192).optional()),
  PONTE_TOKEN_CACHE_TTL_SECONDS: positiveInt(300).default(30),
  PONTE_INVALIDATION_POLL_MS: positiveInt(60_000).default(250),
  PONTE_AUTH_FAILURES_PER_IP: positiveInt(100_000).default(30),
  PONTE_AUTH_FAILURE_WINDOW_SECONDS: positiveInt(86_400).default(600),
  // Unset keeps the app-sessions policy (10 per identifier, 100 per IP, per 15 minutes).
  PONTE_APP_LOGIN_MAX_PER_IDENTIFIER: z.preprocess(emptyAsUndefined, positiveInt(100_000_000).optional()),
  PONTE_APP_LOGIN_MAX_PER_IP: z.preprocess(emptyAsUndefined, positiveInt(100_000_000).optional()),
  PONTE_DB_CONNECT_TIMEOUT_MS: positiveInt(600_000).default(2_000),
  PONTE_DB_STATEMENT_TIMEOUT_MS: positiveInt(3_600_000).default(5_000),
  PONTE_DB_QUERY_TIMEOUT_MS: positiveInt(3_600_000).default(6_000),
  PONTE_REDIS_COMMAND_TIMEOUT_MS: positiveInt(600_000).default(500),
  PONTE_REDIS_CONNECT_TIMEOUT_MS: positiveInt(600_000).default(2_000),
  PONTE_STARTUP_WAIT_SECONDS: positiveInt(86_400).default(60),
  PONTE_READY_CHECK_TIMEOUT_MS: positiveInt(60_000).default(1_000),
  PONTE_SHUTDOWN_GRACE_SECONDS: positiveInt(3_600).default(10),
  PONTE_BODY_LIMIT_BYTES: positiveInt(50 * 1024 * 1024).default(1024 * 1024),
  PONTE_OUTBOUND_ALLOWLIST: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .max(4096)
      .refine((value) => {
        try {
          parseCidrList(value);
          return true;
        } catch {
          return false;
        }
      }, 'deve ser uma lista de faixas CIDR separadas por vírgula (ex.: 10.0.0.0/8,::1/128) ou none')
      .optional(),
  ),
  PONTE_OUTBOUND_MAX_CONCURRENCY: positiveInt(1024).default(32),
  PONTE_RETENTION_INTERVAL_SECONDS: positiveInt(86_400).default(600),
  PONTE_TRUST_PROXY: z
    .string()
    .trim()
    .max(4096)
    .default('false')
    .transform((value, ctx) => {
      const parsed = parseTrustProxy(value);
      if (parsed === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: 'deve ser true, false, quantos proxies há à frente da Ponte (ex.: 1) ou a lista de IPs/faixas CIDR desses proxies (ex.: 10.0.0.0/8,192.168.1.10)',
        });
        return z.NEVER;
      }
      return parsed;
    }),
  PONTE_CLIENTES_MAX_PER_TOKEN_PER_MINUTE: positiveInt(100_000_000).default(600),
  PONTE_SMTP_URL: z.preprocess(
    emptyAsUndefined,
    url(['smtp:', 'smtps:'], 'deve ser uma URL smtp://usuario:senha@host:porta (ou smtps:// para TLS direto)').optional(),
  ),
  PONTE_PUBLIC_URL: z.preprocess(emptyAsUndefined, url(['http:', 'https:'], 'deve ser a URL pública da Ponte, como https://ponte.operadora.com.br').optional()),
  PONTE_SMTP_FROM: z
    .string()
    .trim()
    .min(3, 'deve ser um remetente como Ponte <nao-responda@operadora.com.br>')
    .max(320, 'deve ter no máximo 320 caracteres')
    .default('Ponte <nao-responda@ponte.local>'),
});

export type TrustProxy = boolean | number | string[];

/** `true`/`false`, a hop count (1–100) or a comma-separated list of IPs and CIDR ranges; undefined when it is none of these. */
export function parseTrustProxy(raw: string): TrustProxy | undefined {
  const value = raw.trim();
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops >= 1 && hops <= 100 ? hops : undefined;
  }
  const entries = value.split(',').map((entry) => entry.trim());
  // `none` means an empty list to parseCidrList, but here it would be an address Fastify cannot parse.
  if (entries.some((entry) => entry === '' || entry === 'none')) return undefined;
  try {
    parseCidrList(entries.join(','));
  } catch {
    return undefined;
  }
  return entries;
}

export type Config = {
  nodeEnv: 'development' | 'test' | 'production';
  port: number;
  /** Where `serve --demo` runs the bundled operator simulator. */
  simulatorPort: number;
  /** Where `serve --demo` runs the simulator's portal do beneficiário (an origin of its own). */
  portalPort: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  logLevel: (typeof logLevels)[number];
  /** Raw `PONTE_MASTER_KEYS`: `v2:<base64 32 bytes>,v1:<…>` — the first one encrypts. */
  masterKeys: string | undefined;
  /** Raw `PONTE_JWT_KEYS`: `<kid>:<base64 ≥32 bytes>,…` — the first one signs, all verify. */
  jwtKeys: string | undefined;
  /** How long a verified token do cliente stays cached: the safety net if a revocation's invalidation never arrives. */
  tokenCacheTtlSeconds: number;
  /**
   * How often a node reads the changes other nodes and processes recorded (revocations, logouts,
   * painel edits); with the default, every node drops a stale cached copy within 1 s.
   */
  invalidationPollMs: number;
  authFailuresPerIp: number;
  authFailureWindowSeconds: number;
  /**
   * App logins allowed per identifier and per IP in the policy's window; undefined keeps the
   * policy's own maximum (`appSessionPolicy`). Raised for load tests, which log in as one user.
   */
  appLoginMaxPerIdentifier: number | undefined;
  appLoginMaxPerIp: number | undefined;
  /** PostgreSQL connect (or wait for a pooled connection), server statement and client query timeouts. */
  databaseTimeouts: { connectTimeoutMs: number; statementTimeoutMs: number; queryTimeoutMs: number };
  /** Redis command (queued while reconnecting included) and connect timeouts. */
  redisTimeouts: { commandTimeoutMs: number; connectTimeoutMs: number };
  /** How long `serve` keeps retrying an unreachable database before giving up. */
  startupWaitSeconds: number;
  /** Budget of each `/readyz` check (database, key-value store). */
  readyCheckTimeoutMs: number;
  /** After SIGTERM/SIGINT: how long in-flight requests may take before connections are cut. */
  shutdownGraceSeconds: number;
  bodyLimitBytes: number;
  /**
   * Which proxies' `X-Forwarded-For` decides `request.ip` (Fastify's `trustProxy`): false (the
   * socket address), true (the left-most entry, which the client itself can write), a hop count
   * (the entry that many proxies back from the socket) or the proxies' addresses and CIDR ranges.
   */
  trustProxy: TrustProxy;
  /** Requests one token do cliente (its temp tokens included) may make to `/clientes` per minute. */
  clientesMaxPerTokenPerMinute: number;
  /**
   * Internal addresses operators may still be called on (CIDR list, or `none`). Defaults to
   * loopback in development and test, none in production.
   */
  outboundAllowlist: string;
  /** Calls in flight per operator origin before further calls queue (bulkhead). */
  outboundMaxConcurrency: number;
  /**
   * How often the retention job deletes ended sessions, chaves passe, recuperações and painel
   * sessions, and central de logs entries past their cliente's retention (default 600 s).
   */
  retentionIntervalSeconds: number;
  /**
   * Where recovery codes go by e-mail (`smtp://user:pass@host:port`, `smtps://` for TLS from the
   * start; nodemailer options as query parameters). Unset: the development outbox, or a clear
   * error in production.
   */
  smtpUrl: string | undefined;
  /** The `From` of those e-mails. */
  smtpFrom: string;
  /**
   * Where people reach this Ponte (`https://ponte.operadora.com.br`): painel invitation and
   * password links in e-mails start with it — never with the request's Host, which a caller
   * chooses. Unset: `http://localhost:<PORT>` outside production; in production those e-mails are
   * refused with a message naming the variable.
   */
  publicUrl: string | undefined;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuração inválida:\n${problems.map((line) => `  - ${line}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses and validates the environment; throws `ConfigError` with one line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'ambiente');
      const received = env[name];
      const shown = received === undefined ? '' : ` (recebido: "${isSecretVariable(name) ? '***' : received}")`;
      return `${name}: ${issue.message}${shown}`;
    });
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    simulatorPort: e.PONTE_SIMULATOR_PORT,
    portalPort: e.PONTE_PORTAL_PORT ?? (e.PONTE_SIMULATOR_PORT === 0 || e.PONTE_SIMULATOR_PORT === 65535 ? 0 : e.PONTE_SIMULATOR_PORT + 1),
    host: e.HOST,
    dataDir: e.PONTE_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    masterKeys: e.PONTE_MASTER_KEYS,
    jwtKeys: e.PONTE_JWT_KEYS,
    tokenCacheTtlSeconds: e.PONTE_TOKEN_CACHE_TTL_SECONDS,
    invalidationPollMs: e.PONTE_INVALIDATION_POLL_MS,
    authFailuresPerIp: e.PONTE_AUTH_FAILURES_PER_IP,
    authFailureWindowSeconds: e.PONTE_AUTH_FAILURE_WINDOW_SECONDS,
    appLoginMaxPerIdentifier: e.PONTE_APP_LOGIN_MAX_PER_IDENTIFIER,
    appLoginMaxPerIp: e.PONTE_APP_LOGIN_MAX_PER_IP,
    databaseTimeouts: {
      connectTimeoutMs: e.PONTE_DB_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: e.PONTE_DB_STATEMENT_TIMEOUT_MS,
      queryTimeoutMs: e.PONTE_DB_QUERY_TIMEOUT_MS,
    },
    redisTimeouts: { commandTimeoutMs: e.PONTE_REDIS_COMMAND_TIMEOUT_MS, connectTimeoutMs: e.PONTE_REDIS_CONNECT_TIMEOUT_MS },
    startupWaitSeconds: e.PONTE_STARTUP_WAIT_SECONDS,
    readyCheckTimeoutMs: e.PONTE_READY_CHECK_TIMEOUT_MS,
    shutdownGraceSeconds: e.PONTE_SHUTDOWN_GRACE_SECONDS,
    bodyLimitBytes: e.PONTE_BODY_LIMIT_BYTES,
    trustProxy: e.PONTE_TRUST_PROXY,
    clientesMaxPerTokenPerMinute: e.PONTE_CLIENTES_MAX_PER_TOKEN_PER_MINUTE,
    outboundAllowlist: e.PONTE_OUTBOUND_ALLOWLIST ?? (e.NODE_ENV === 'production' ? 'none' : LOOPBACK_CIDRS),
    outboundMaxConcurrency: e.PONTE_OUTBOUND_MAX_CONCURRENCY,
    retentionIntervalSeconds: e.PONTE_RETENTION_INTERVAL_SECONDS,
    smtpUrl: e.PONTE_SMTP_URL,
    smtpFrom: e.PONTE_SMTP_FROM,
    publicUrl: e.PONTE_PUBLIC_URL,
  };
}

function isSecretVariable(name: string): boolean {
  return name.endsWith('_KEYS') || name === 'DATABASE_URL' || name === 'REDIS_URL' || name === 'PONTE_SMTP_URL';
}
