import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
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

/** How a level reads on the development console. */
const levelLabels: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'AVISO', 50: 'ERRO', 60: 'FATAL' };

/** Fields the development console folds into the message of a request line, or leaves out. */
const foldedFields = ['pid', 'hostname', 'service', 'method', 'route', 'url', 'status', 'ms'];

/**
 * The console of `NODE_ENV=development`: one readable line per event (`[14:03:22] AVISO: mensagem
 * {campos}`; a request as `GET /rota → 200 (3 ms)`), written at once. pino-pretty is loaded only
 * here, so production never loads it. Redaction already happened: this formats censored lines.
 */
function developmentConsole(destination: DestinationStream | undefined): DestinationStream {
  const { prettyFactory } = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
  const colorize = destination === undefined && process.stdout.isTTY === true;
  const pretty = prettyFactory({
    colorize,
    translateTime: 'SYS:HH:MM:ss',
    ignore: foldedFields.join(','),
    singleLine: true,
    customPrettifiers: {
      level: (_value, _key, log, { colors }) => {
        const level = (log as { level?: number }).level ?? 30;
        const label = levelLabels[level] ?? String(level);
        if (!colorize) return label;
        return level >= 50 ? colors.red(label) : level >= 40 ? colors.yellow(label) : level >= 30 ? colors.green(label) : colors.gray(label);
      },
    },
    messageFormat: (log, messageKey) => {
      // Fastify's own line when it starts listening.
      const message = String(log[messageKey] ?? '').replace(/^Server listening at /, 'Servidor escutando em ');
      if (typeof log.method !== 'string' || log.status === undefined) return message;
      const ms = typeof log.ms === 'number' ? ` (${log.ms} ms)` : '';
      return `${message} ${log.method} ${String(log.url ?? log.route ?? '')} → ${String(log.status)}${ms}`;
    },
  });
  const write = destination ? (text: string) => destination.write(text) : (text: string) => writeSync(1, text);
  return { write: (line: string) => write(pretty(line)) };
}

/**
 * The logger every server process uses. Production (and tests) write JSON, one object per line; a
 * development server writes readable lines (`developmentConsole`). Either way a line leaves as
 * soon as it is logged: nothing is held back until a buffer fills (a warning must reach the
 * console when it happens, not at shutdown). `destination` replaces stdout, e.g. to ship logs to a
 * file or a collector of the caller's choosing.
 */
export function createLogger(config: Pick<Config, 'logLevel' | 'nodeEnv'>, options: { destination?: DestinationStream } = {}): Logger {
  const silent = config.logLevel === 'silent';
  const destination =
    config.nodeEnv === 'development' && !silent
      ? developmentConsole(options.destination)
      : // Asynchronous writes keep logging off the request's critical path (docs/DESEMPENHO.md); with
        // no minimum length each line is handed to the OS right away.
        (options.destination ?? (silent ? undefined : pino.destination({ sync: false })));
  return pino(
    {
      level: config.logLevel,
      redact: { paths: redactPaths, censor: LOG_CENSOR },
      formatters: { log: (fields) => censorLogFields(fields) },
      base: { service: 'ponte' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export type { Logger };
