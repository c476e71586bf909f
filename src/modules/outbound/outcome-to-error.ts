import { AppError } from '../../platform/errors.ts';
import type { OutboundOutcome } from './outbound.service.ts';

/**
 * The service boundary for beneficiary flows: a success gives the validated body; an operator's
 * refusal becomes OPERATOR_REFUSED with the operator's own `mensagem` (already made safe); anything
 * else — broken contract, network, breaker, missing configuration — is a generic OPERATOR_UNAVAILABLE
 * for the user, with the details in the central de logs.
 */
export function valueOrThrow(outcome: OutboundOutcome): unknown {
  switch (outcome.kind) {
    case 'sucesso':
      return outcome.value;
    case 'recusado_pela_operadora':
      throw new AppError('OPERATOR_REFUSED', outcome.mensagem);
    default:
      throw new AppError('OPERATOR_UNAVAILABLE');
  }
}
