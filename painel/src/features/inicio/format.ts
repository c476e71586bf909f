import type { MetodoOperadora, PeriodoPainel } from '../../api/types.ts';

const inteiro = new Intl.NumberFormat('pt-BR');
const percentual = new Intl.NumberFormat('pt-BR', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
const hora = new Intl.DateTimeFormat('pt-BR', { hour: '2-digit', minute: '2-digit' });
const diaMes = new Intl.DateTimeFormat('pt-BR', { day: '2-digit', month: '2-digit' });
const diaSemana = new Intl.DateTimeFormat('pt-BR', { weekday: 'short', day: '2-digit', month: '2-digit' });

export const formatInteiro = (n: number) => inteiro.format(n);

/** `0.933` → `93,3%`; a dash when there was nothing to measure. */
export const formatTaxa = (taxa: number | null) => (taxa === null ? '—' : percentual.format(taxa));

export const periodoOpcoes: { value: PeriodoPainel; label: string; descricao: string }[] = [
  { value: '1h', label: 'Última hora', descricao: 'na última hora' },
  { value: '24h', label: '24 horas', descricao: 'nas últimas 24 horas' },
  { value: '7d', label: '7 dias', descricao: 'nos últimos 7 dias' },
  { value: '30d', label: '30 dias', descricao: 'nos últimos 30 dias' },
];

/** Axis tick for a bucket start: hour and minute for 1h, the hour for 24h, day and hour for 7d, the day for 30d. */
export function rotuloEixo(periodo: PeriodoPainel, inicio: number): string {
  if (periodo === '1h') return hora.format(inicio);
  if (periodo === '24h') return `${hora.format(inicio).slice(0, 2)}h`;
  if (periodo === '7d') return `${diaMes.format(inicio)} ${hora.format(inicio).slice(0, 2)}h`;
  return diaMes.format(inicio);
}

/** Tooltip title for a bucket: the whole interval it covers. */
export function rotuloIntervalo(periodo: PeriodoPainel, inicio: number, intervaloMs: number): string {
  if (periodo === '30d') return diaSemana.format(inicio);
  return `${diaMes.format(inicio)}, ${hora.format(inicio)}–${hora.format(inicio + intervaloMs)}`;
}

/** One colour per operação, the same in every chart and in the table. */
export const corDaOperacao: Record<MetodoOperadora, string> = {
  autorizacao: 'grape.6',
  login: 'indigo.6',
  recuperarSenhaIdentificacao: 'teal.6',
  recuperarSenhaNovaSenha: 'cyan.6',
  trocarSenha: 'orange.6',
  elegibilidade: 'lime.7',
};
