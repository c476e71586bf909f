import type { Clock } from '../../platform/clock.ts';
import type { OutboundClient, OutboundFailureReason } from '../../platform/http-client/http-client.ts';
import type { OperatorMethod } from '../contracts/contract-spec.ts';
import { contractOf } from '../contracts/contracts.ts';
import { validateResponse, type Violation } from '../contracts/validator.ts';
import type { LogCenterWriter, Outcome } from '../log-center/log-center.types.ts';

export const DEFAULT_MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
const MAX_OPERATOR_MESSAGE_LENGTH = 300;

/** What went over the wire, for the validador de integração (header values are never kept here). */
export type Exchange = {
  url: string;
  headerNames: string[];
  latencyMs: number;
  response: { status: number; statusText: string; bodyText: string } | null;
  /** The `Location` of a 3xx answer (never followed), for the validador to show where it pointed. */
  location?: string | undefined;
};

/** The result of one operator call, as services see it. Expected failures are values. */
export type OperatorCallOutcome = { exchange: Exchange } & (
  | { kind: 'sucesso'; status: number; value: unknown }
  | { kind: 'recusado_pela_operadora'; status: number; mensagem: string | undefined; violations: Violation[] }
  | { kind: 'violacao_contrato'; status: number; violations: Violation[] }
  | { kind: 'falha_comunicacao' | 'bloqueado'; reason: OutboundFailureReason; message: string }
);

export type OperatorCall = {
  clienteId: string;
  instancia: 1 | 2;
  method: OperatorMethod;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  timeoutMs: number;
  chaveUsuario?: string | undefined;
  correlationId?: string | undefined;
};

const blockedReasons = new Set<OutboundFailureReason>(['url_bloqueada', 'endereco_bloqueado', 'circuito_aberto', 'limite_concorrencia']);

/** The operator's `mensagem`, made safe to show a person: text only, trimmed, capped. */
export function operatorMessage(value: unknown): string | undefined {
  const mensagem = (value as { mensagem?: unknown } | null)?.mensagem;
  if (typeof mensagem !== 'string') return undefined;
  const text = mensagem.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  if (text.length === 0) return undefined;
  return text.length > MAX_OPERATOR_MESSAGE_LENGTH ? `${text.slice(0, MAX_OPERATOR_MESSAGE_LENGTH - 1)}…` : text;
}

/**
 * Makes one call to an operator method, checks the answer against the method's contract and hands
 * the call to the central de logs. Never throws for anything the operator or the network does.
 */
export function createOperatorCaller(deps: { http: OutboundClient; logCenter: LogCenterWriter; clock: Clock }) {
  let inFlight = 0;
  let whenIdle: { promise: Promise<void>; resolve: () => void } | undefined;

  async function callOperator(call: OperatorCall): Promise<OperatorCallOutcome> {
    inFlight += 1;
    try {
      return await callAndRecord(call);
    } finally {
      inFlight -= 1;
      if (inFlight === 0 && whenIdle) {
        whenIdle.resolve();
        whenIdle = undefined;
      }
    }
  }

  /**
   * Resolves once no call is in flight, each one's central de logs entry recorded: what shutdown
   * waits for before closing the writer, so a call still running then is not lost from the log.
   * Each call is bounded by its own timeout.
   */
  function settled(): Promise<void> {
    if (inFlight === 0) return Promise.resolve();
    if (!whenIdle) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      whenIdle = { promise, resolve };
    }
    return whenIdle.promise;
  }

  return Object.assign(callOperator, { settled });

  async function callAndRecord(call: OperatorCall): Promise<OperatorCallOutcome> {
    const result = await deps.http.call({
      url: call.url,
      headers: call.headers,
      body: call.body,
      timeoutMs: call.timeoutMs,
      maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
      requireHttps: call.instancia === 2,
    });

    const exchange: Exchange = {
      url: call.url,
      headerNames: Object.keys(call.headers),
      latencyMs: result.latencyMs,
      response: result.kind === 'response' ? { status: result.status, statusText: result.statusText, bodyText: result.bodyText } : null,
      ...(result.kind === 'response' && result.status >= 300 && result.status < 400 && typeof result.headers.location === 'string'
        ? { location: result.headers.location.slice(0, 2048) }
        : {}),
    };
    let outcome: OperatorCallOutcome;
    if (result.kind === 'failure') {
      outcome = { exchange, kind: blockedReasons.has(result.reason) ? 'bloqueado' : 'falha_comunicacao', reason: result.reason, message: result.message };
    } else {
      const { value, violations } = validateResponse(contractOf(call.method), result.status, result.bodyText);
      const success = result.status >= 200 && result.status < 300;
      if (success && violations.length === 0) outcome = { exchange, kind: 'sucesso', status: result.status, value };
      else if (success) outcome = { exchange, kind: 'violacao_contrato', status: result.status, violations };
      else outcome = { exchange, kind: 'recusado_pela_operadora', status: result.status, mensagem: operatorMessage(value), violations };
    }

    deps.logCenter.record({
      clienteId: call.clienteId,
      instancia: call.instancia,
      operacao: call.method,
      url: call.url,
      requestHeaders: call.headers,
      requestBody: call.body,
      result,
      violations: 'violations' in outcome ? outcome.violations : [],
      outcome: outcome.kind satisfies Outcome,
      chaveUsuario: call.chaveUsuario,
      correlationId: call.correlationId,
      at: deps.clock.now(),
    });
    return outcome;
  }
}

export type OperatorCaller = ReturnType<typeof createOperatorCaller>;
