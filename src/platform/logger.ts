import pino, { type DestinationStream, type Logger } from 'pino';
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

/** `destination` replaces stdout, e.g. to ship logs to a file or a collector of the caller's choosing. */
export function createLogger(config: Pick<Config, 'logLevel' | 'nodeEnv'>, options: { destination?: DestinationStream } = {}): Logger {
  return pino({
    level: config.logLevel,
    redact: { paths: redactPaths, censor: '[redacted]' },
    base: { service: 'ponte' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Asynchronous writes keep logging off the request's critical path (PERFORMANCE.md).
  }, options.destination ?? (config.logLevel === 'silent' ? undefined : pino.destination({ sync: false, minLength: 4096 })));
}

export type { Logger };
