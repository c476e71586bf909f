import pino, { type Logger } from 'pino';
import type { Config } from './config.ts';

/**
 * Paths whose values never reach a log line: credentials, tokens and the personal data the
 * operators send (LGPD). `*` matches one level; the common nestings are listed explicitly.
 */
const sensitiveKeys = ['senha', 'novaSenha', 'senhaAtual', 'password', 'token', 'cpf', 'dataNascimento', 'contato', 'authorization', 'cookie'];
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...sensitiveKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
];

export function createLogger(config: Pick<Config, 'logLevel' | 'nodeEnv'>): Logger {
  return pino({
    level: config.logLevel,
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: { service: 'ponte' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Asynchronous writes keep logging off the request's critical path (PERFORMANCE.md).
  }, config.logLevel === 'silent' ? undefined : pino.destination({ sync: false, minLength: 4096 }));
}

export type { Logger };
