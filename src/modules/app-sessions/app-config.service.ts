import type { FormsService } from '../forms/forms.service.ts';
import { formFinalidades, type Campo, type FormFinalidade } from '../forms/forms.schemas.ts';
import type { FuncionalidadesService } from '../funcionalidades/funcionalidades.service.ts';
import { effectiveUrl, type IntegracoesService } from '../integracoes/integracoes.service.ts';
import type { AppContext } from './app-sessions.service.ts';

/**
 * What an app needs before anyone logs in: who it speaks for, the forms to render (the
 * instância's own or the defaults), which flows the operator's integração supports, and the
 * active funcionalidades (permissoes narrow them after login).
 */
export function createAppConfigService(deps: { forms: FormsService; integracoes: IntegracoesService; funcionalidades: FuncionalidadesService }) {
  return {
    async configurationFor(app: AppContext) {
      const [formularios, integracao, funcionalidades] = await Promise.all([
        Promise.all(formFinalidades.map(async (finalidade) => [finalidade, await deps.forms.formFor(app.clienteId, app.instancia, finalidade)] as const)),
        deps.integracoes.get(app.clienteId, app.instancia),
        deps.funcionalidades.listForApp(app.clienteId, app.instancia),
      ]);
      const supports = (...methods: Parameters<typeof effectiveUrl>[1][]) => integracao !== undefined && methods.every((m) => effectiveUrl(integracao, m) !== undefined);
      return {
        cliente: { nome: app.clienteNome },
        instancia: { numero: app.instancia, nome: app.instancia === 1 ? 'Sandbox' : 'Produção' },
        formularios: Object.fromEntries(formularios.map(([finalidade, form]) => [finalidade, { nome: form.nome, campos: form.campos }])) as Record<
          FormFinalidade,
          { nome: string; campos: Campo[] }
        >,
        recursos: {
          login: supports('login'),
          recuperarSenha: supports('recuperarSenhaIdentificacao', 'recuperarSenhaNovaSenha'),
          trocarSenha: supports('trocarSenha'),
        },
        funcionalidades: funcionalidades.filter((f) => f.ativa).map((f) => ({ chaveFuncionalidade: f.chave, nome: f.nome })),
      };
    },
  };
}

export type AppConfigService = ReturnType<typeof createAppConfigService>;
