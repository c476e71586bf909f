import type { Db } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuditActor } from '../audit/audit.service.ts';
import { contracts } from '../contracts/contracts.ts';
import type { Formulario, FormsRepo } from '../forms/forms.repo.ts';
import type { Grupo, GruposRepo } from '../grupos/grupos.repo.ts';
import { formMethods, integrationMethods, type Integracao, type StaticHeader } from '../integracoes/integracoes.repo.ts';
import { grupoDestinationsAllowed, grupoTokensMayGoTo } from '../integracoes/grupo-destinos.ts';
import { destinationsOf, type IntegracaoInput, type IntegracoesService } from '../integracoes/integracoes.service.ts';

const SANDBOX = 1;
const PRODUCAO = 2;

/** One line of the comparison: what Sandbox has, what Produção has now, and whether the copy changes it. */
export type ItemDaCopia = {
  /** Where the value lives in the integração (`baseUrl`, `metodos.login.url`, `headers.X-Api-Key`, `grupoId`…). */
  campo: string;
  /** The same, for people. */
  rotulo: string;
  /** Display values; for a secret header only "segredo definido" or "não definido", never its value. */
  sandbox: string | null;
  producao: string | null;
  muda: boolean;
  /** What happens to this item when it cannot simply be copied (grupos and formulários are per instância). */
  observacao: string | null;
};

/** Something that keeps the copy from being applied, or worth knowing before applying it. */
export type ProblemaDaCopia = { campo: string; mensagem: string };

export type ComparacaoSandboxProducao = {
  sandboxConfigurada: boolean;
  producaoConfigurada: boolean;
  /** Produção's `atualizadoEm` when compared: send it back to apply only if Produção did not change meanwhile. */
  versaoProducao: number | null;
  itens: ItemDaCopia[];
  /** Blocking: while there is one, the copy is refused. */
  problemas: ProblemaDaCopia[];
  /** Not blocking: what the copy will leave as it is, and why. */
  avisos: ProblemaDaCopia[];
  mudancas: number;
  podeAplicar: boolean;
};

/** All the comparison ever says about a secret, on each side. */
export const SEGREDO_DEFINIDO = 'segredo definido';
export const SEGREDO_NAO_DEFINIDO = 'não definido';

const metodoLabel = (metodo: (typeof integrationMethods)[number]) => contracts[metodo].label;

/**
 * "Copy Sandbox to Produção" (docs/ESPECIFICACAO.md §6 Integração). The comparison and the copy are built from the
 * same plan, so what the painel shows is what gets saved:
 *
 * - URLs, timeout and static headers are copied as they are (Produção's headers become Sandbox's);
 *   secret header values are opened and sealed again for Produção inside this service. They are
 *   never shown nor compared: each side says only "segredo definido" / "não definido" (comparing
 *   them would let an editor test guesses of Produção's secret by typing them in Sandbox).
 * - A secret goes with the URLs it was sealed for: the copy carries Sandbox's URLs, so Produção
 *   sends Sandbox's secrets only to the origins they were bound to there (a Sandbox secret that
 *   does not open for Sandbox's own URLs blocks the copy), and Produção's own secrets are
 *   replaced or removed, never kept for a new address.
 * - A grupo de autorização belongs to one instância (its endpoint and senha are Produção's own), so
 *   it is never copied: Produção links its grupo with the same name as Sandbox's, and when it has
 *   none by that name its current link stays and the comparison says so.
 * - Formulários are per instância too and follow the same rule (same name and method).
 * - The copy is saved through the integração's own `save`, so Produção's rules (https, public
 *   addresses, suffixes) are checked again at that moment.
 */
export function createCopiaParaProducaoService(deps: { db: Db; repos: { grupos: GruposRepo; forms: FormsRepo }; integracoes: Pick<IntegracoesService, 'save' | 'validateFor' | 'openHeaders' | 'read'> }) {
  const grupos = deps.repos.grupos;
  const formularios = deps.repos.forms;

  /** The value of a secret header, or undefined when it does not open for the integração's URLs (or its key left the ring). */
  function openSecret(integracao: Integracao, header: StaticHeader): string | undefined {
    try {
      return deps.integracoes.openHeaders({ ...integracao, headers: [header] })[header.nome];
    } catch {
      return undefined;
    }
  }

  async function plan(clienteId: string): Promise<{ comparacao: ComparacaoSandboxProducao; input: IntegracaoInput | null }> {
    // Straight from the database: the comparison must show what a save just wrote, not a cached read.
    const [sandbox, producao, gruposSandbox, gruposProducao, formsSandbox, formsProducao] = await Promise.all([
      deps.integracoes.read(clienteId, SANDBOX),
      deps.integracoes.read(clienteId, PRODUCAO),
      grupos.list(clienteId, SANDBOX),
      grupos.list(clienteId, PRODUCAO),
      formularios.list(clienteId, SANDBOX),
      formularios.list(clienteId, PRODUCAO),
    ]);
    const itens: ItemDaCopia[] = [];
    const problemas: ProblemaDaCopia[] = [];
    const avisos: ProblemaDaCopia[] = [];
    const base = {
      sandboxConfigurada: sandbox !== undefined,
      producaoConfigurada: producao !== undefined,
      versaoProducao: producao?.updatedAt ?? null,
    };
    if (!sandbox) {
      problemas.push({ campo: 'sandbox', mensagem: 'A Sandbox ainda não tem integração salva: não há o que copiar. Configure e valide a Sandbox primeiro.' });
      return { comparacao: { ...base, itens, problemas, avisos, mudancas: 0, podeAplicar: false }, input: null };
    }

    const item = (campo: string, rotulo: string, sandboxValue: string | null, producaoValue: string | null, muda = sandboxValue !== producaoValue, observacao: string | null = null) =>
      itens.push({ campo, rotulo, sandbox: sandboxValue, producao: producaoValue, muda, observacao });

    // Endereço e limites.
    item('baseUrl', 'URL base', sandbox.baseUrl, producao?.baseUrl ?? null);
    item('timeoutMs', 'Tempo limite (ms)', String(sandbox.timeoutMs), producao ? String(producao.timeoutMs) : null);
    for (const metodo of integrationMethods) {
      item(`metodos.${metodo}.url`, `${metodoLabel(metodo)} — URL própria`, sandbox.metodos[metodo]?.url ?? null, producao?.metodos[metodo]?.url ?? null);
    }

    // Grupo de autorização: linked by name, never copied.
    const grupoSandbox = sandbox.grupoId ? gruposSandbox.find((g) => g.id === sandbox.grupoId) : undefined;
    const grupoProducaoAtual = producao?.grupoId ? gruposProducao.find((g) => g.id === producao.grupoId) : undefined;
    const grupoNome = (g: Grupo | undefined) => g?.nome ?? null;
    let grupoDestino: string | null;
    if (!grupoSandbox) {
      grupoDestino = null;
      item('grupoId', 'Grupo de autorização', null, grupoNome(grupoProducaoAtual), grupoProducaoAtual !== undefined, grupoProducaoAtual ? 'A Sandbox não usa grupo: Produção deixará de usar o seu.' : null);
    } else {
      const mesmoNome = gruposProducao.find((g) => g.nome.trim().toLowerCase() === grupoSandbox.nome.trim().toLowerCase());
      if (mesmoNome) {
        grupoDestino = mesmoNome.id;
        item(
          'grupoId',
          'Grupo de autorização',
          grupoSandbox.nome,
          grupoNome(grupoProducaoAtual),
          producao?.grupoId !== mesmoNome.id,
          `Grupos não são copiados: Produção usará o seu próprio grupo "${mesmoNome.nome}".`,
        );
      } else {
        grupoDestino = producao?.grupoId ?? null;
        const atual = grupoProducaoAtual ? `continua com "${grupoProducaoAtual.nome}"` : 'continua sem grupo';
        const mensagem = `Produção não tem um grupo de autorização chamado "${grupoSandbox.nome}": ${atual}. Crie-o em Segurança → Grupos de autorização, na instância Produção, e compare de novo.`;
        item('grupoId', 'Grupo de autorização', grupoSandbox.nome, grupoNome(grupoProducaoAtual), false, mensagem);
        avisos.push({ campo: 'grupoId', mensagem });
      }
    }

    // Formulários: linked by name and method, never copied.
    const formularioDestino: Partial<Record<(typeof integrationMethods)[number], string | null>> = {};
    const formNome = (f: Formulario | undefined) => (f ? f.nome : 'Padrão');
    for (const metodo of formMethods) {
      const campo = `metodos.${metodo}.formularioId`;
      const rotulo = `${metodoLabel(metodo)} — formulário`;
      const doSandbox = formsSandbox.find((f) => f.id === sandbox.metodos[metodo]?.formularioId && f.finalidade === metodo);
      const atualProducao = formsProducao.find((f) => f.id === producao?.metodos[metodo]?.formularioId && f.finalidade === metodo);
      if (!doSandbox) {
        formularioDestino[metodo] = null;
        item(campo, rotulo, 'Padrão', formNome(atualProducao), atualProducao !== undefined);
        continue;
      }
      const mesmoNome = formsProducao.find((f) => f.finalidade === metodo && f.nome.trim().toLowerCase() === doSandbox.nome.trim().toLowerCase());
      if (mesmoNome) {
        formularioDestino[metodo] = mesmoNome.id;
        item(campo, rotulo, doSandbox.nome, formNome(atualProducao), atualProducao?.id !== mesmoNome.id, `Formulários não são copiados: Produção usará o seu próprio formulário "${mesmoNome.nome}".`);
      } else {
        formularioDestino[metodo] = atualProducao?.id ?? null;
        const mensagem = `Produção não tem um formulário "${doSandbox.nome}" para ${metodoLabel(metodo)}: continua com ${atualProducao ? `"${atualProducao.nome}"` : 'o padrão'}. Crie-o em Formulários, na instância Produção, e compare de novo.`;
        item(campo, rotulo, doSandbox.nome, formNome(atualProducao), false, mensagem);
        avisos.push({ campo, mensagem });
      }
    }

    // Static headers, by name (case-insensitive, as HTTP). A secret is neither shown nor compared
    // with the other side: it "changes" unless Produção holds the very value an earlier copy took
    // from this Sandbox (same `segredoId`, a random id given when a value is typed) — which tells
    // nothing about values anyone typed, equal or not.
    const headersInput: IntegracaoInput['headers'] = [];
    const producaoHeaders = new Map((producao?.headers ?? []).map((h) => [h.nome.toLowerCase(), h]));
    const exibir = (h: StaticHeader) => (h.secreto ? (h.valorSelado ? SEGREDO_DEFINIDO : SEGREDO_NAO_DEFINIDO) : (h.valor ?? ''));
    for (const header of sandbox.headers) {
      const campo = `headers.${header.nome}`;
      const rotulo = `Header ${header.nome}`;
      const destino = producaoHeaders.get(header.nome.toLowerCase());
      producaoHeaders.delete(header.nome.toLowerCase());
      if (!header.secreto) {
        const valor = header.valor ?? '';
        headersInput.push({ nome: header.nome, valor, secreto: false });
        const igual = destino !== undefined && destino.nome === header.nome && !destino.secreto && (destino.valor ?? '') === valor;
        item(campo, rotulo, valor, destino ? exibir(destino) : null, !igual, destino ? null : 'Será adicionado em Produção.');
        continue;
      }
      const valor = openSecret(sandbox, header);
      if (valor === undefined) {
        problemas.push({
          campo,
          mensagem: `O valor secreto do header "${header.nome}" na Sandbox não pôde ser lido (não vale para as URLs atuais da Sandbox, ou a chave que o cifrou saiu do anel). Informe o valor de novo na Sandbox.`,
        });
        item(campo, rotulo, SEGREDO_DEFINIDO, destino ? exibir(destino) : SEGREDO_NAO_DEFINIDO, true);
        continue;
      }
      headersInput.push({ nome: header.nome, valor, secreto: true, copiaDe: header.segredoId });
      const jaCopiado = destino !== undefined && destino.secreto && destino.nome === header.nome && header.segredoId !== undefined && destino.segredoId === header.segredoId;
      const observacao = !destino
        ? 'Será adicionado em Produção.'
        : jaCopiado
          ? null
          : 'Segredos não são comparados: o valor da Sandbox substituirá o de Produção.';
      item(campo, rotulo, SEGREDO_DEFINIDO, destino ? exibir(destino) : SEGREDO_NAO_DEFINIDO, !jaCopiado, observacao);
    }
    for (const sobra of producaoHeaders.values()) {
      item(`headers.${sobra.nome}`, `Header ${sobra.nome}`, sobra.secreto ? SEGREDO_NAO_DEFINIDO : null, exibir(sobra), true, 'Só existe em Produção: será removido.');
    }

    const input: IntegracaoInput = {
      baseUrl: sandbox.baseUrl,
      timeoutMs: sandbox.timeoutMs,
      grupoId: grupoDestino,
      metodos: Object.fromEntries(integrationMethods.map((m) => [m, { url: sandbox.metodos[m]?.url ?? null, formularioId: formularioDestino[m] ?? null }])),
      headers: headersInput,
    };
    // Produção's grupo sends its tokens only to its own site or to origins confirmed with its senha;
    // the copy cannot type that senha, so a new site blocks it with what to do.
    const grupoProducao = grupoDestino ? gruposProducao.find((g) => g.id === grupoDestino) : undefined;
    if (grupoProducao) {
      const allowed = grupoDestinationsAllowed(producao ?? { grupoId: null, grupoDestinos: undefined }, grupoProducao, producao ? destinationsOf(producao) : []);
      const fora = destinationsOf({ baseUrl: input.baseUrl, metodos: input.metodos as Integracao['metodos'] }).filter((origin) => !grupoTokensMayGoTo(origin, allowed));
      if (fora.length > 0) {
        problemas.push({
          campo: 'grupoId',
          mensagem: `Em Produção, os tokens do grupo "${grupoProducao.nome}" iriam para ${fora.join(', ')}, fora do site do grupo. Salve a integração de Produção com essas URLs digitando a senha do grupo (tela Integração, instância Produção) e compare de novo.`,
        });
      }
    }
    // Produção's rules on what would be saved: http, private addresses and the like block the copy.
    for (const detail of deps.integracoes.validateFor(input, PRODUCAO)) {
      const campo = detail.field ?? 'integracao';
      const rotulo = itens.find((i) => i.campo === campo)?.rotulo ?? campo;
      problemas.push({ campo, mensagem: `${rotulo}: ${detail.message} Corrija na Sandbox (ou configure Produção à mão).` });
    }
    const mudancas = itens.filter((i) => i.muda).length;
    return { comparacao: { ...base, itens, problemas, avisos, mudancas, podeAplicar: problemas.length === 0 && mudancas > 0 }, input };
  }

  return {
    async compare(clienteId: string): Promise<ComparacaoSandboxProducao> {
      return (await plan(clienteId)).comparacao;
    },

    /**
     * Applies the copy and answers the comparison afterwards (no changes left, unless Produção kept
     * its grupo or a formulário). `versaoProducao`, when given, must still be Produção's version:
     * someone saving Produção in between makes this a 409 instead of overwriting what they did.
     */
    async apply(input: { clienteId: string; versaoProducao?: number | null | undefined; actor: AuditActor }): Promise<ComparacaoSandboxProducao> {
      const { comparacao, input: integracao } = await plan(input.clienteId);
      if (input.versaoProducao !== undefined && input.versaoProducao !== comparacao.versaoProducao) {
        throw new AppError('CONFLICT', 'A integração de Produção mudou desde que você abriu a comparação. Compare de novo antes de copiar.');
      }
      if (integracao && comparacao.problemas.length === 0 && comparacao.mudancas === 0) return comparacao;
      if (!integracao || comparacao.problemas.length > 0) {
        throw new AppError('VALIDATION_FAILED', 'A configuração da Sandbox não pode ir para Produção assim. Corrija os pontos indicados.', {
          details: comparacao.problemas.map((p) => ({ field: p.campo, message: p.mensagem })),
        });
      }
      await deps.integracoes.save({ ...integracao, clienteId: input.clienteId, instancia: PRODUCAO, actor: input.actor, auditAction: 'integracao.copiada_da_sandbox' });
      return (await plan(input.clienteId)).comparacao;
    },
  };
}

export type CopiaParaProducaoService = ReturnType<typeof createCopiaParaProducaoService>;
