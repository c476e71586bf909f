import type { PainelInicial, PeriodoPainel } from '../../api/types.ts';
import { periodoOpcoes } from './format.ts';

/**
 * From the Painel inicial to the central de logs: the filters a chart point stands for, in the
 * logs' address (the logs keep their filters in the query string). Only calls to the operator
 * (`direcao=saida`): that is what every chart counts.
 */
export type AlvoDosLogs = { de: number; ate: number; operacao?: string | undefined; resultado?: string | undefined };

export function queryDosLogs(alvo: AlvoDosLogs): string {
  const query = new URLSearchParams({ periodo: 'personalizado', de: String(alvo.de), ate: String(alvo.ate), direcao: 'saida' });
  if (alvo.operacao) query.set('operacao', alvo.operacao);
  if (alvo.resultado) query.set('resultado', alvo.resultado);
  return query.toString();
}

/** One chart point: the interval that starts at `inicio` (the logs' `ate` is inclusive). */
export const intervaloDoPonto = (dados: Pick<PainelInicial, 'intervaloMs'>, inicio: number) => ({ de: inicio, ate: inicio + dados.intervaloMs - 1 });

/** A chart of totals: the whole period shown (`dados.ate` is exclusive). */
export const periodoInteiro = (dados: Pick<PainelInicial, 'desde' | 'ate'>) => ({ de: dados.desde, ate: dados.ate - 1 });

/** The period in the address (`?periodo=7d`); anything else is the default, 24 hours. */
export const periodoDaQuery = (valor: string): PeriodoPainel => periodoOpcoes.find((p) => p.value === valor)?.value ?? '24h';
