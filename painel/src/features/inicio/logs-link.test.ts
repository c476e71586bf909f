import { describe, expect, it } from 'vitest';
import { intervaloDoPonto, periodoDaQuery, periodoInteiro, queryDosLogs } from './logs-link.ts';

describe('Painel inicial → central de logs', () => {
  it('a chart point opens the calls to the operator of its interval, of its operação and resultado when it has them', () => {
    const hora = 3_600_000;
    const inicio = Date.UTC(2025, 0, 10, 13);
    expect(new URLSearchParams(queryDosLogs({ ...intervaloDoPonto({ intervaloMs: hora }, inicio), operacao: 'login' })).toString()).toBe(
      `periodo=personalizado&de=${inicio}&ate=${inicio + hora - 1}&direcao=saida&operacao=login`,
    );
    expect(Object.fromEntries(new URLSearchParams(queryDosLogs({ de: 1, ate: 2, operacao: 'autorizacao', resultado: 'violacao_contrato' })))).toEqual({
      periodo: 'personalizado',
      de: '1',
      ate: '2',
      direcao: 'saida',
      operacao: 'autorizacao',
      resultado: 'violacao_contrato',
    });
  });

  it('a chart of totals covers the whole period shown (its end is exclusive, the logs’ inclusive)', () => {
    expect(periodoInteiro({ desde: 1_000, ate: 5_000 })).toEqual({ de: 1_000, ate: 4_999 });
  });

  it('reads the period from the address, falling back to 24 hours on anything unknown', () => {
    expect(['1h', '24h', '7d', '30d', '', '1ano'].map(periodoDaQuery)).toEqual(['1h', '24h', '7d', '30d', '24h', '24h']);
  });
});
