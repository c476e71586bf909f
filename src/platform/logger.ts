import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.ts';
import { censorLogFields, LOG_CENSOR } from './redaction.ts';

/**
 * Log lines never carry a credential or a beneficiary's personal data (LGPD): every field whose key
 * is in `platform/redaction.ts`'s vocabulary (senha, token, authorization, cookie, login, cpf,
 * email, chaveUnica, contato, dataNascimento, nome, integracao…) is censored at any depth by
 * `censorLogFields`. The walk sees the fields as logged; these fixed paths apply after pino's
 * serializers, to what they build from objects the walk leaves alone: a database error's
 * `detail` (PostgreSQL quotes the offending row's values there) and a serialized request's or
 * response's credential headers.
 */
export const redactPaths = ['err.detail', 'err.where', 'req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'];

/** `destination` replaces stdout, e.g. to ship logs to a file or a collector of the caller's choosing. */
export function createLogger(config: Pick<Config, 'logLevel' | 'nodeEnv'>, options: { destination?: DestinationStream } = {}): Logger {
  return pino({
    level: config.logLevel,
    redact: { paths: redactPaths, censor: LOG_CENSOR },
    formatters: { log: (fields) => censorLogFields(fields) },
    base: { service: 'ponte' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Asynchronous writes keep logging off the request's critical path (PERFORMANCE.md).
  }, options.destination ?? (config.logLevel === 'silent' ? undefined : pino.destination({ sync: false, minLength: 4096 })));
}

export type { Logger };
