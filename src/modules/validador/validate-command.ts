import { systemClock } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import { isForbiddenHeaderName, isValidHeaderName, isValidHeaderValue } from '../../platform/http/header-names.ts';
import { createOutboundClient } from '../../platform/http-client/http-client.ts';
import { parseCidrList } from '../../platform/http-client/ssrf-guard.ts';
import { operatorMethods, type OperatorMethod } from '../contracts/contract-spec.ts';
import { contracts } from '../contracts/contracts.ts';
import type { LogCenterWriter } from '../log-center/log-center.types.ts';
import { createOperatorCaller } from '../outbound/operator-call.ts';
import { toValidationReport, type ValidationReport } from './validador.service.ts';

/** The CLI has no central de logs: calls are reported on the terminal instead. */
const noLogCenter: LogCenterWriter = { record: () => undefined, flush: async () => undefined, close: async () => undefined };

export type ValidateOptions = { url: string; method: string; input: string; headers: string[]; timeoutMs: number };

function parseOptions(options: ValidateOptions) {
  if (!(operatorMethods as readonly string[]).includes(options.method)) {
    throw new AppError('VALIDATION_FAILED', `--method deve ser um de: ${operatorMethods.join(', ')} (recebido: "${options.method}").`);
  }
  const method = options.method as OperatorMethod;
  let body: unknown;
  try {
    body = JSON.parse(options.input);
  } catch {
    throw new AppError('VALIDATION_FAILED', '--input deve ser um objeto JSON, por exemplo \'{"login":"12345678909","senha":"s3nha"}\'.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AppError('VALIDATION_FAILED', '--input deve ser um objeto JSON.');
  const headers: Record<string, string> = {};
  for (const raw of options.headers) {
    const separator = raw.indexOf(':');
    const name = raw.slice(0, separator).trim();
    const value = raw.slice(separator + 1).trim();
    if (separator <= 0 || !isValidHeaderName(name) || isForbiddenHeaderName(name) || !isValidHeaderValue(value)) {
      throw new AppError('VALIDATION_FAILED', `--header deve ter a forma "Nome: valor" com um nome de header permitido (recebido: "${raw.slice(0, 80)}").`);
    }
    headers[name] = value;
  }
  const path = (() => {
    try {
      return new URL(options.url).pathname.replace(/\/+$/, '');
    } catch {
      throw new AppError('VALIDATION_FAILED', `--url não é uma URL válida (recebido: "${options.url.slice(0, 200)}").`);
    }
  })();
  if (!path.endsWith(contracts[method].suffix)) {
    throw new AppError('VALIDATION_FAILED', `O endpoint obrigatoriamente deve terminar com "${contracts[method].suffix}" (recebido: "${options.url.slice(0, 200)}").`);
  }
  return { method, body, headers };
}

/**
 * `ponte validate`: calls an operator endpoint directly, from the operator's own machine or CI, and
 * reports every contract violation. Any address is allowed here: the operator is testing their own
 * servers, often on localhost or a private network.
 */
export async function runValidateCommand(options: ValidateOptions): Promise<ValidationReport> {
  const { method, body, headers } = parseOptions(options);
  const http = createOutboundClient({
    allowlist: parseCidrList('0.0.0.0/0,::/0'),
    clock: systemClock,
    maxConcurrentPerOrigin: 1,
    maxQueuedPerOrigin: 0,
    breaker: { failureThreshold: Number.MAX_SAFE_INTEGER, openMs: 1 },
  });
  try {
    const callOperator = createOperatorCaller({ http, logCenter: noLogCenter, clock: systemClock });
    const outcome = await callOperator({ clienteId: 'cli', instancia: 1, method, url: options.url, headers, body, timeoutMs: options.timeoutMs });
    // No painel role here, and the output lands in CI logs: masked as the central de logs keeps it.
    return toValidationReport(method, body, outcome, 'mascarado');
  } finally {
    await http.close();
  }
}

export function formatReport(report: ValidationReport): string {
  const lines = [`Validador de integração — ${contracts[report.metodo].label} (${report.metodo})`];
  const status = report.resposta ? `HTTP ${report.resposta.status} ${report.resposta.statusText}` : 'sem resposta';
  lines.push(`POST ${report.requisicao.url ?? '?'} → ${status}${report.latenciaMs !== null ? ` em ${Math.round(report.latenciaMs)} ms` : ''}`);
  if (report.requisicao.headers.length > 0) lines.push(`Headers enviados: ${report.requisicao.headers.join(', ')}`);
  lines.push(`${report.aprovado ? '✔' : '✘'} ${report.mensagem ?? ''}`.trimEnd());
  if (report.violacoes.length > 0) {
    lines.push(`${report.violacoes.length} ${report.violacoes.length === 1 ? 'violação' : 'violações'}:`);
    for (const v of report.violacoes) lines.push(`  - ${v.mensagem}`);
  }
  return lines.join('\n');
}
