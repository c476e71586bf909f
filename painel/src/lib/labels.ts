import type { MetodoOperadora } from '../api/types.ts';

/** The operator methods, as the painel names them (the contracts' own labels, for instant display). */
export const metodoLabels: Record<MetodoOperadora, string> = {
  autorizacao: 'Grupo de autorização',
  login: 'Login',
  recuperarSenhaIdentificacao: 'Recuperar senha — identificação',
  recuperarSenhaNovaSenha: 'Recuperar senha — nova senha',
  trocarSenha: 'Trocar senha',
  elegibilidade: 'Elegibilidade',
};

export const metodos = Object.keys(metodoLabels) as MetodoOperadora[];

/** What the central de logs lists: the operator methods and Ponte's own sends of recovery codes (modules/mensagens). */
export const operacaoLogLabels: Record<string, string> = { ...metodoLabels, envioCodigo: 'Envio de código' };
export const operacoesDeLog = Object.keys(operacaoLogLabels);

/** The calls operators make to Ponte (/clientes…), the central de logs' other direction. */
export const operacaoEntradaLabels: Record<string, string> = {
  'auth/temp-authorization': 'Token temporário',
  'chavePasse/usuario': 'Chave passe — usuário',
  'chavePasse/grupoFamiliar': 'Chave passe — grupo familiar',
  'chavePasse/sistema': 'Chave passe — sistema',
  'chavePasse/chavePasse': 'Chave passe — metadados',
};
export const rotuloOperacaoLog = (operacao: string): string => operacaoLogLabels[operacao] ?? operacaoEntradaLabels[operacao] ?? operacao;

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

/** Outcomes of both directions: the calls operators make to Ponte add Ponte's own refusals and failures. */
export const resultadoLogLabels: Record<string, string> = { ...resultadoLabels, recusado_pela_ponte: 'Recusado pela Ponte', falha_na_ponte: 'Falha na Ponte' };
export const resultadoLogColors: Record<string, string> = { ...resultadoColors, recusado_pela_ponte: 'orange', falha_na_ponte: 'red' };

/** Outcomes the central de logs filters by (what a call can end as). */
export const resultadosDeLog = ['sucesso', 'recusado_pela_operadora', 'violacao_contrato', 'falha_comunicacao', 'bloqueado'] as const;

export function statusColor(status: number | null): string {
  if (status === null) return 'gray';
  if (status < 300) return 'teal';
  if (status < 500) return 'orange';
  return 'red';
}

export const criterioColors: Record<string, string> = { M: 'red', C: 'orange', OP: 'gray' };
