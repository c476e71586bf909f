import type { OutboundResult } from '../../platform/http-client/http-client.ts';
import type { OperatorMethod } from '../contracts/contract-spec.ts';
import type { Violation } from '../contracts/validator.ts';

/** How a call ended, as the central de logs filters it. */
export const outcomes = ['sucesso', 'recusado_pela_operadora', 'violacao_contrato', 'falha_comunicacao', 'bloqueado'] as const;
export type Outcome = (typeof outcomes)[number];

/** Which way a call went: Ponte calling the operator, or the operator calling Ponte's /clientes API. */
export const direcoes = ['saida', 'entrada'] as const;
export type Direcao = (typeof direcoes)[number];

/** The /clientes operations an operator calls (the `operacao` of an `entrada` row). */
export const inboundOperations = ['auth/temp-authorization', 'chavePasse/usuario', 'chavePasse/grupoFamiliar', 'chavePasse/sistema', 'chavePasse/chavePasse'] as const;
export type InboundOperation = (typeof inboundOperations)[number];

/** How an operator's call to Ponte ended. */
export const inboundOutcomes = ['sucesso', 'recusado_pela_ponte', 'falha_na_ponte'] as const;
export type InboundOutcome = (typeof inboundOutcomes)[number];

/**
 * Why Ponte refused an operator's call. The caller always gets the seed's generic answer (one 403
 * for every chave passe mismatch, the temp-authorization 401); the operator's painel shows this.
 */
export const motivosRecusa = {
  token_sem_api: 'O token do cliente não tem a API chamada (gere um token com a API chavePasse em APIs).',
  limite_excedido: 'O token passou do limite de requisições por minuto.',
  parametros_ausentes: 'Faltaram parâmetros obrigatórios (instanciaApp, chavePasse, chaveFuncionalidade).',
  chave_desconhecida: 'A chave passe não existe (digitada errada, ou de outro ambiente).',
  chave_expirada: 'A chave passe expirou (vale de 1 a 10 minutos, conforme a funcionalidade).',
  sessao_encerrada: 'A sessão do app que abriu a funcionalidade foi encerrada (logout ou troca de senha): a chave passe foi revogada.',
  cliente_diferente: 'A chave passe foi emitida para outro cliente.',
  instancia_diferente: 'O instanciaApp enviado não é a instância em que a chave passe foi emitida.',
  funcionalidade_diferente: 'O chaveFuncionalidade enviado não é o da funcionalidade que emitiu a chave passe.',
  funcionalidade_inativa: 'A funcionalidade está inativa ou foi removida.',
  origem_nao_cadastrada: 'A origem do navegador não está cadastrada em Segurança → Origens: a página não pode ler a resposta.',
  indisponivel: 'A Ponte estava indisponível (banco ou armazenamento compartilhado fora do ar).',
} as const;
export type MotivoRecusa = keyof typeof motivosRecusa;
export const motivoCodes = Object.keys(motivosRecusa) as [MotivoRecusa, ...MotivoRecusa[]];

/** One call Ponte made to an operator, as the outbound engine hands it to the central de logs (unredacted). */
export type OutboundCallRecord = {
  clienteId: string;
  /** 0 for an `entrada` call that names no instância (temp-authorization). */
  instancia: 0 | 1 | 2;
  /**
   * An operator method, or `envioCodigo`: a recovery code handed to an SMS provider or SMTP server
   * (modules/mensagens), or — `entrada` — the /clientes operation an operator called.
   */
  operacao: OperatorMethod | 'envioCodigo' | InboundOperation;
  /** The full URL called; the log keeps it without query string. */
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: unknown;
  result: OutboundResult;
  violations: Violation[];
  outcome: Outcome | InboundOutcome;
  /** `entrada` for an operator's call to Ponte; absent or `saida` for a call Ponte made. */
  direcao?: Direcao | undefined;
  /** Why Ponte refused an `entrada` call. */
  motivo?: MotivoRecusa | undefined;
  /** The token do cliente of an `entrada` call. */
  tokenId?: string | undefined;
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
