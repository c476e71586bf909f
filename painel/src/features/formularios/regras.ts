import { patternProblem } from '../../../../src/modules/forms/forms.pattern.ts';
import { confirmTypes, formLimits, identifierFinalidades, lengthTypes, maskTypes, patternTypes } from '../../../../src/modules/forms/forms.rules.ts';
import type { CampoFormulario, DefinicaoFormulario, DefinicaoFormularioEntrada, FinalidadeFormulario } from '../../api/types.ts';
import { mascarasPadrao } from '../../shared/formulario/CamposFormulario.tsx';

/**
 * The Formbuilder editor's model and the definition rules it checks as the user types. Which type
 * takes which property, and the limits, come from the server's own `forms.rules.ts` (plain data);
 * the server checks everything again on save, and its messages land beside the same fields.
 */

export type TipoCampo = CampoFormulario['tipo'];

export const tiposDeCampo: { value: TipoCampo; label: string }[] = [
  { value: 'text', label: 'Texto' },
  { value: 'cpf', label: 'CPF' },
  { value: 'data', label: 'Data' },
  { value: 'email', label: 'E-mail' },
  { value: 'telefone', label: 'Telefone' },
  { value: 'senha', label: 'Senha' },
  { value: 'numero', label: 'Número' },
  { value: 'select', label: 'Lista de opções (select)' },
];

/** Short names, for badges and tables. */
export const rotuloDoTipo: Record<TipoCampo, string> = {
  text: 'Texto',
  cpf: 'CPF',
  data: 'Data',
  email: 'E-mail',
  telefone: 'Telefone',
  senha: 'Senha',
  numero: 'Número',
  select: 'Opções',
};

export const limites = {
  maxCampos: formLimits.maxFields,
  maxOpcoes: formLimits.maxOptions,
  maxTamanho: formLimits.maxValueLength,
  maxPadrao: formLimits.maxPatternLength,
  maxMascara: formLimits.maxMaskLength,
} as const;

export const aceitaMinMax = (tipo: TipoCampo) => tipo === 'numero' || lengthTypes.includes(tipo);
export const aceitaPadrao = (tipo: TipoCampo) => patternTypes.includes(tipo);
export const aceitaMascara = (tipo: TipoCampo) => maskTypes.includes(tipo);
export const minMaxEhTamanho = (tipo: TipoCampo) => lengthTypes.includes(tipo);
/** Login and recovery forms mark the field that identifies the person (never a senha): attempt limits count by it. */
export const aceitaIdentificador = (finalidade: FinalidadeFormulario, tipo: TipoCampo) => identifierFinalidades.includes(finalidade) && tipo !== 'senha';

/** Types that may be a confirmation ("digite de novo") of another field of the same type. */
export const aceitaConfirmacao = (tipo: TipoCampo) => confirmTypes.includes(tipo);

/**
 * The fields field `index` may confirm: the other original fields (not confirmations) of its type
 * with a name, by name. A confirmation has no rules of its own: its field's apply.
 */
export function camposConfirmaveis(campos: readonly Pick<CampoEditor, 'nome' | 'tipo' | 'confirma'>[], index: number): string[] {
  const campo = campos[index];
  if (!campo || !aceitaConfirmacao(campo.tipo)) return [];
  return campos.flatMap((outro, i) => (i !== index && outro.tipo === campo.tipo && !outro.confirma && outro.nome.trim() ? [outro.nome.trim()] : []));
}

/** The mask the app applies when the field has none (CamposFormulario). */
export const mascaraPadrao = mascarasPadrao;

export type OpcaoEditor = { chave: string; valor: string; rotulo: string };

/** A field as the editor holds it: every property present (blank = not set), plus a stable key. */
export type CampoEditor = {
  chave: string;
  nome: string;
  rotulo: string;
  tipo: TipoCampo;
  obrigatorio: boolean;
  min: number | string;
  max: number | string;
  padrao: string;
  mascara: string;
  opcoes: OpcaoEditor[];
  ajuda: string;
  identificador: boolean;
  /** The name of the field this one repeats ('' = not a confirmation). */
  confirma: string;
};

export type FormularioEditor = { nome: string; finalidade: FinalidadeFormulario; campos: CampoEditor[] };

let sequencia = 0;
/** A key that identifies a field or option in the editor while its name changes. */
export const novaChave = (prefixo: string) => `${prefixo}${++sequencia}`;

export function campoVazio(tipo: TipoCampo = 'text'): CampoEditor {
  return { chave: novaChave('c'), nome: '', rotulo: '', tipo, obrigatorio: true, min: '', max: '', padrao: '', mascara: '', opcoes: [], ajuda: '', identificador: false, confirma: '' };
}

export function opcaoVazia(): OpcaoEditor {
  return { chave: novaChave('o'), valor: '', rotulo: '' };
}

export function paraEditor(definicao: Pick<DefinicaoFormulario, 'nome' | 'finalidade' | 'campos'>): FormularioEditor {
  return {
    nome: definicao.nome,
    finalidade: definicao.finalidade,
    campos: definicao.campos.map((c) => ({
      chave: novaChave('c'),
      nome: c.nome,
      rotulo: c.rotulo,
      tipo: c.tipo,
      obrigatorio: c.obrigatorio,
      min: c.min ?? '',
      max: c.max ?? '',
      padrao: c.padrao ?? '',
      mascara: c.mascara ?? '',
      opcoes: (c.opcoes ?? []).map((o) => ({ chave: novaChave('o'), valor: o.valor, rotulo: o.rotulo })),
      ajuda: c.ajuda ?? '',
      identificador: c.identificador ?? false,
      confirma: c.confirma ?? '',
    })),
  };
}

const numero = (v: number | string): number | undefined => (v === '' || v === null || v === undefined ? undefined : Number(v));
const texto = (v: string): string | undefined => (v.trim() === '' ? undefined : v);

/**
 * One field as the server takes it. Properties the type does not accept are left out, so switching
 * a field from text to cpf does not carry a forgotten pattern along.
 */
export function campoParaEnvio(c: CampoEditor, finalidade: FinalidadeFormulario): CampoFormulario {
  const campo: CampoFormulario = { nome: c.nome.trim(), rotulo: c.rotulo.trim(), tipo: c.tipo, obrigatorio: c.obrigatorio };
  const confirma = aceitaConfirmacao(c.tipo) ? c.confirma.trim() : '';
  if (confirma) {
    // A confirmation only repeats its field: the field's rules apply, none of its own.
    campo.confirma = confirma;
    const ajuda = texto(c.ajuda)?.trim();
    if (ajuda !== undefined) campo.ajuda = ajuda;
    const mascara = aceitaMascara(c.tipo) ? texto(c.mascara)?.trim() : undefined;
    if (mascara !== undefined) campo.mascara = mascara;
    return campo;
  }
  if (aceitaMinMax(c.tipo)) {
    const min = numero(c.min);
    const max = numero(c.max);
    if (min !== undefined) campo.min = min;
    if (max !== undefined) campo.max = max;
  }
  const padrao = aceitaPadrao(c.tipo) ? texto(c.padrao) : undefined;
  if (padrao !== undefined) campo.padrao = padrao;
  const mascara = aceitaMascara(c.tipo) ? texto(c.mascara)?.trim() : undefined;
  if (mascara !== undefined) campo.mascara = mascara;
  if (c.tipo === 'select') campo.opcoes = c.opcoes.map((o) => ({ valor: o.valor.trim(), rotulo: o.rotulo.trim() }));
  const ajuda = texto(c.ajuda)?.trim();
  if (ajuda !== undefined) campo.ajuda = ajuda;
  if (c.identificador && aceitaIdentificador(finalidade, c.tipo)) campo.identificador = true;
  return campo;
}

export function paraEnvio(f: FormularioEditor): DefinicaoFormularioEntrada {
  return { nome: f.nome.trim(), finalidade: f.finalidade, campos: f.campos.map((c) => campoParaEnvio(c, f.finalidade)) };
}

const NOME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const reservadosJs = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Why the server would refuse a pattern: the server's own save-time checks (forms.pattern.ts: syntax,
 * lookaround and back-references, which RE2 lacks, and backtracking cost). The server also compiles
 * it with RE2 on save; what only RE2 refuses comes back beside the field.
 */
export function problemaDoPadrao(padrao: string): string | undefined {
  return patternProblem(padrao);
}

/**
 * The problems of the definition, by form path (`campos.2.nome`), as the editor shows them beside
 * each field. `reservados`: names Ponte sends itself for this finalidade (the contract's fixed fields).
 */
export function validarFormulario(f: FormularioEditor, reservados: readonly string[] = []): Record<string, string> {
  const erros: Record<string, string> = {};
  if (!f.nome.trim()) erros.nome = 'Informe o nome do formulário.';
  else if (f.nome.trim().length > 120) erros.nome = 'O nome deve ter no máximo 120 caracteres.';
  if (f.campos.length === 0) erros.campos = 'O formulário precisa de ao menos um campo.';
  if (f.campos.length > limites.maxCampos) erros.campos = `No máximo ${limites.maxCampos} campos por formulário.`;

  const vistos = new Map<string, number>();
  f.campos.forEach((c, i) => {
    const p = `campos.${i}`;
    const nome = c.nome.trim();
    const reservado = reservados.find((r) => r.toLowerCase() === nome.toLowerCase());
    if (!nome) erros[`${p}.nome`] = 'Informe o nome enviado à operadora (ex.: dataNascimento).';
    else if (!NOME.test(nome)) erros[`${p}.nome`] = 'Use de 1 a 64 letras sem acento, dígitos ou "_", começando por letra ou "_".';
    else if (reservadosJs.has(nome)) erros[`${p}.nome`] = 'Este nome é reservado; escolha outro.';
    else if (reservado) erros[`${p}.nome`] = `O nome "${reservado}" é reservado: a Ponte já envia este campo para este método.`;
    else if (vistos.has(nome.toLowerCase())) erros[`${p}.nome`] = `O nome "${nome}" já é usado pelo campo ${(vistos.get(nome.toLowerCase()) ?? 0) + 1}.`;
    if (nome && !vistos.has(nome.toLowerCase())) vistos.set(nome.toLowerCase(), i);

    if (!c.rotulo.trim()) erros[`${p}.rotulo`] = 'Informe o rótulo exibido no app.';
    else if (c.rotulo.trim().length > 120) erros[`${p}.rotulo`] = 'O rótulo deve ter no máximo 120 caracteres.';

    const confirma = aceitaConfirmacao(c.tipo) ? c.confirma.trim() : '';
    if (confirma) {
      const alvo = f.campos.find((outro) => outro.nome.trim() === confirma);
      if (!alvo) erros[`${p}.confirma`] = `Não há campo "${confirma}" neste formulário: escolha um campo dele.`;
      else if (alvo === c) erros[`${p}.confirma`] = 'Um campo não confirma a si mesmo.';
      else if (alvo.confirma.trim()) erros[`${p}.confirma`] = `"${confirma}" já é uma confirmação: confirme o campo original.`;
      else if (alvo.tipo !== c.tipo) erros[`${p}.confirma`] = `A confirmação precisa ser do mesmo tipo do campo "${confirma}".`;
    }

    if (aceitaMinMax(c.tipo) && !confirma) {
      const min = numero(c.min);
      const max = numero(c.max);
      for (const [chave, valor] of [['min', min], ['max', max]] as const) {
        if (valor === undefined) continue;
        if (!Number.isFinite(valor)) erros[`${p}.${chave}`] = 'Use um número.';
        else if (minMaxEhTamanho(c.tipo) && (!Number.isInteger(valor) || valor < 0 || valor > limites.maxTamanho)) {
          erros[`${p}.${chave}`] = `É um tamanho: use um número inteiro de 0 a ${limites.maxTamanho}.`;
        }
      }
      if (min !== undefined && max !== undefined && min > max && !erros[`${p}.max`]) erros[`${p}.max`] = 'O máximo deve ser maior ou igual ao mínimo.';
    }
    if (aceitaPadrao(c.tipo) && c.padrao !== '' && !confirma) {
      const problema = problemaDoPadrao(c.padrao);
      if (problema) erros[`${p}.padrao`] = problema;
    }
    if (c.identificador && aceitaIdentificador(f.finalidade, c.tipo) && !confirma) {
      const primeiro = f.campos.findIndex((outro) => outro.identificador && aceitaIdentificador(f.finalidade, outro.tipo) && !(aceitaConfirmacao(outro.tipo) && outro.confirma.trim()));
      if (primeiro !== i) erros[`${p}.identificador`] = `Só um campo identifica a pessoa: o campo ${primeiro + 1} já está marcado.`;
    }
    if (aceitaMascara(c.tipo) && c.mascara.trim().length > limites.maxMascara) erros[`${p}.mascara`] = `A máscara deve ter no máximo ${limites.maxMascara} caracteres.`;
    if (c.ajuda.trim().length > 200) erros[`${p}.ajuda`] = 'O texto de ajuda deve ter no máximo 200 caracteres.';

    if (c.tipo === 'select') {
      if (c.opcoes.length === 0) erros[`${p}.opcoes`] = 'Um campo select precisa de ao menos uma opção.';
      else if (c.opcoes.length > limites.maxOpcoes) erros[`${p}.opcoes`] = `No máximo ${limites.maxOpcoes} opções.`;
      const valores = new Set<string>();
      c.opcoes.forEach((o, j) => {
        const valor = o.valor.trim();
        if (!valor) erros[`${p}.opcoes.${j}.valor`] = 'Informe o valor enviado.';
        else if (valores.has(valor)) erros[`${p}.opcoes.${j}.valor`] = `O valor "${valor}" aparece em mais de uma opção.`;
        valores.add(valor);
        if (!o.rotulo.trim()) erros[`${p}.opcoes.${j}.rotulo`] = 'Informe o texto exibido.';
      });
    }
  });
  return erros;
}

/** A copy's name: "Cópia de X", within the 120 characters the server accepts. */
export function nomeDaCopia(nome: string): string {
  return `Cópia de ${nome}`.slice(0, 120);
}
