import { systemClock } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import { isForbiddenHeaderName, isValidHeaderName, isValidHeaderValue } from '../../platform/http/header-names.ts';
import { createOutboundClient } from '../../platform/http-client/http-client.ts';
import { parseCidrList } from '../../platform/http-client/ssrf-guard.ts';
import { operatorMethods, type OperatorMethod } from '../contracts/contract-spec.ts';
import { contracts } from '../contracts/contracts.ts';
import type { LogCenterWriter } from '../log-center/log-center.types.ts';
import { createOperatorCaller } from '../operator-call/operator-call.ts';
import { composeHeaders } from '../outbound/outbound.service.ts';
import { toValidationReport, type ValidationReport } from './validador.service.ts';

/** The CLI has no central de logs: calls are reported on the terminal instead. */
const noLogCenter: LogCenterWriter = { record: () => undefined, flush: async () => undefined, close: async () => undefined };

/**
 * `grupo`: a grupo de autorização to go through first, as Ponte does for an integração linked to
 * one — its `/autorizacao` is called with `{usuario, senha}` and the pairs it answers are sent as
 * headers (over a `--header` of the same name).
 */
export type ValidateOptions = {
  url: string;
  method: string;
  input: string;
  headers: string[];
  timeoutMs: number;
  grupo?: { url?: string | undefined; usuario?: string | undefined; senha?: string | undefined } | undefined;
};

/** The three `--grupo-*` options, all or none; the URL must end with `/autorizacao`. */
function parseGrupo(grupo: ValidateOptions['grupo']): { url: string; usuario: string; senha: string } | undefined {
  const { url, usuario, senha } = grupo ?? {};
  if (url === undefined && usuario === undefined && senha === undefined) return undefined;
  if (!url?.trim() || !usuario?.trim() || !senha?.trim()) {
    throw new AppError(
      'VALIDATION_FAILED',
      '--grupo-url, --grupo-usuario e --grupo-senha vão juntos (a senha também pode vir da variável PONTE_GRUPO_SENHA), e nenhum deles pode ficar em branco.',
    );
  }
  let path: string;
  try {
    path = new URL(url.trim()).pathname.replace(/\/+$/, '');
  } catch {
    throw new AppError('VALIDATION_FAILED', `--grupo-url não é uma URL válida (recebido: "${url.slice(0, 200)}").`);
  }
  if (!path.endsWith(contracts.autorizacao.suffix)) {
    throw new AppError('VALIDATION_FAILED', `--grupo-url obrigatoriamente deve terminar com "${contracts.autorizacao.suffix}" (recebido: "${url.slice(0, 200)}").`);
  }
  return { url: url.trim(), usuario: usuario.trim(), senha };
}

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
  return { method, body, headers, grupo: parseGrupo(options.grupo) };
}

/**
 * `ponte validate`: calls an operator endpoint directly, from the operator's own machine or CI, and
 * reports every contract violation. Any address is allowed here: the operator is testing their own
 * servers, often on localhost or a private network.
 */
export async function runValidateCommand(options: ValidateOptions): Promise<ValidationReport> {
  const { method, body, headers, grupo } = parseOptions(options);
  const http = createOutboundClient({
    allowlist: parseCidrList('0.0.0.0/0,::/0'),
    clock: systemClock,
    maxConcurrentPerOrigin: 1,
    maxQueuedPerOrigin: 0,
    breaker: { failureThreshold: Number.MAX_SAFE_INTEGER, openMs: 1 },
  });
  try {
    const callOperator = createOperatorCaller({ http, logCenter: noLogCenter, clock: systemClock });
    let sent = headers;
    if (grupo) {
      const grupoBody = { usuario: grupo.usuario, senha: grupo.senha };
      const autorizacao = await callOperator({ clienteId: 'cli', instancia: 1, method: 'autorizacao', url: grupo.url, headers: {}, body: grupoBody, timeoutMs: options.timeoutMs });
      if (autorizacao.kind !== 'sucesso') {
        // The grupo is what failed: its report, saying the method was not called.
        const report = toValidationReport('autorizacao', grupoBody, autorizacao, 'mascarado');
        return { ...report, mensagem: `Grupo de autorização (--grupo-url): ${report.mensagem ?? ''} O método ${method} não foi chamado.`.replace(/\s+/g, ' ').trim() };
      }
      const pairs = (autorizacao.value as { auth: { chave: string; token: string }[] }).auth;
      sent = composeHeaders({ estatico: headers, grupo: pairs, seguranca: [] }, systemClock.now()).headers;
    }
    const outcome = await callOperator({ clienteId: 'cli', instancia: 1, method, url: options.url, headers: sent, body, timeoutMs: options.timeoutMs });
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
