import type { MetodoOperadora } from '../api/types.ts';

/** The operator methods, as the painel names them (the contracts' own labels, for instant display). */
export const metodoLabels: Record<MetodoOperadora, string> = {
  autorizacao: 'Grupo de autorização',
  login: 'Login',
  recuperarSenhaIdentificacao: 'Recuperar senha — identificação',
  recuperarSenhaNovaSenha: 'Recuperar senha — nova senha',
  trocarSenha: 'Trocar senha',
};

export const metodos = Object.keys(metodoLabels) as MetodoOperadora[];

export const resultadoLabels: Record<string, string> = {
  sucesso: 'Sucesso',
  violacao_contrato: 'Violação do contrato',
  recusado_pela_operadora: 'Recusado pela operadora',
  falha_comunicacao: 'Falha de comunicação',
  bloqueado: 'Bloqueado',
  nao_configurado: 'Não configurado',
};

export const resultadoColors: Record<string, string> = {
  sucesso: 'teal',
  violacao_contrato: 'red',
  recusado_pela_operadora: 'orange',
  falha_comunicacao: 'grape',
  bloqueado: 'gray',
  nao_configurado: 'gray',
};

/** Outcomes the central de logs filters by (what a call can end as). */
export const resultadosDeLog = ['sucesso', 'recusado_pela_operadora', 'violacao_contrato', 'falha_comunicacao', 'bloqueado'] as const;

export function statusColor(status: number | null): string {
  if (status === null) return 'gray';
  if (status < 300) return 'teal';
  if (status < 500) return 'orange';
  return 'red';
}

export const criterioColors: Record<string, string> = { M: 'red', C: 'orange', OP: 'gray' };
