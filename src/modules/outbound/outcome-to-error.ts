import { AppError } from '../../platform/errors.ts';
import type { OutboundOutcome } from './outbound.service.ts';

/** Seconds an app should wait before retrying after an operator outage; an open breaker says how long it stays open. */
const RETRY_AFTER_SECONDS = 5;
const BREAKER_RETRY_AFTER_SECONDS = 30;

/** 4xx answers that mean "not now" rather than "no": timeouts and the operator's own rate limit. */
const transientClientStatuses = new Set([408, 425, 429]);

/**
 * Whether the operator answered "no" to this person's request — a 4xx with its own `mensagem` —
 * as opposed to not being able to answer at all (3xx, 5xx, timeouts, a broken contract, a grupo
 * it keeps refusing). Only the first is the user's to fix; the second is an outage to retry later.
 */
export function isBusinessRefusal(outcome: OutboundOutcome): outcome is Extract<OutboundOutcome, { kind: 'recusado_pela_operadora' }> & { mensagem: string } {
  return (
    outcome.kind === 'recusado_pela_operadora' &&
    outcome.status >= 400 &&
    outcome.status < 500 &&
    !transientClientStatuses.has(outcome.status) &&
    outcome.mensagem !== undefined
  );
}

/**
 * The service boundary for beneficiary flows: a success gives the validated body; a business
 * refusal becomes 422 OPERATOR_REFUSED with the operator's own `mensagem` (already made safe);
 * anything else — 3xx/5xx, network, timeout, breaker, broken contract, missing configuration — is
 * OPERATOR_UNAVAILABLE with `Retry-After`, the details in the central de logs.
 */
export function valueOrThrow(outcome: OutboundOutcome): unknown {
  if (outcome.kind === 'sucesso') return outcome.value;
  if (isBusinessRefusal(outcome)) throw new AppError('OPERATOR_REFUSED', outcome.mensagem);
  const breakerOpen = outcome.kind === 'bloqueado' && outcome.reason === 'circuito_aberto';
  throw new AppError('OPERATOR_UNAVAILABLE', undefined, { retryAfterSeconds: breakerOpen ? BREAKER_RETRY_AFTER_SECONDS : RETRY_AFTER_SECONDS });
}
