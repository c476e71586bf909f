import type { OutboundResult } from '../../platform/http-client/http-client.ts';
import type { OperatorMethod } from '../contracts/contract-spec.ts';
import type { Violation } from '../contracts/validator.ts';

/** How a call ended, as the central de logs filters it. */
export const outcomes = ['sucesso', 'recusado_pela_operadora', 'violacao_contrato', 'falha_comunicacao', 'bloqueado'] as const;
export type Outcome = (typeof outcomes)[number];

/** One call Ponte made to an operator, as the outbound engine hands it to the central de logs (unredacted). */
export type OutboundCallRecord = {
  clienteId: string;
  instancia: 1 | 2;
  operacao: OperatorMethod;
  /** The full URL called; the log keeps it without query string. */
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: unknown;
  result: OutboundResult;
  violations: Violation[];
  outcome: Outcome;
  /** The user's chaveUnica (or login) when known; stored only hashed and masked. */
  chaveUsuario?: string | undefined;
  /** Request id of the app or painel request that caused the call. */
  correlationId?: string | undefined;
  /**
   * Request body field names to mask as secrets (`***`, not even their shape), whatever they are
   * called: a Formbuilder senha field may be named `pin`. Every other request value is masked by
   * shape anyway (`platform/redaction.ts`: no request field name is allow-listed).
   */
  sensitiveFields?: readonly string[] | undefined;
  at: number;
};

/**
 * Receives every outbound call. `record` never blocks and never throws: entries are queued and
 * written in batches; when the queue is full the entry is dropped and counted.
 */
export interface LogCenterWriter {
  record(entry: OutboundCallRecord): void;
  /** Writes everything queued so far (tests, shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}
