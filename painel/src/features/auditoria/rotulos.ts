import { metodoLabels } from '../../lib/labels.ts';

/** What each stored key means to a person (the API's field names stay in a tooltip). */
const campoLabels: Record<string, string> = {
  baseUrl: 'URL base',
  timeoutMs: 'Tempo limite (ms)',
  grupoId: 'Grupo de autorização',
  grupoDestinos: 'Destinos dos tokens do grupo',
  metodos: 'Métodos',
  url: 'URL',
  formularioId: 'Formulário',
  headers: 'Headers estáticos',
  nome: 'Nome',
  valor: 'Valor',
  secreto: 'Secreto',
  usuario: 'Usuário',
  senha: 'Senha',
  ttlSegundos: 'Validade dos tokens (s)',
  codigo: 'Código (permissões)',
  validadeMinutos: 'Validade da chave passe (min)',
  ativa: 'Ativa',
  prefixo: 'Prefixo',
  apis: 'APIs',
  descricao: 'Descrição',
  revogadoEm: 'Revogado em',
  origem: 'Origem',
  finalidade: 'Finalidade',
  campos: 'Campos',
  rotulo: 'Rótulo',
  tipo: 'Tipo',
  obrigatorio: 'Obrigatório',
  email: 'E-mail',
  role: 'Papel',
  ativo: 'Ativo',
  retencaoLogsDias: 'Retenção dos logs (dias)',
  ajuda: 'Ajuda',
  mascara: 'Máscara',
  padrao: 'Padrão',
  minimo: 'Mínimo',
  maximo: 'Máximo',
  opcoes: 'Opções',
  sms: 'SMS',
  provedor: 'Provedor',
  remetente: 'Remetente',
  remetenteNome: 'Nome do remetente',
  remetenteEndereco: 'Endereço do remetente',
  modelos: 'Modelos',
  emailAssunto: 'Assunto do e-mail',
  emailTexto: 'Texto do e-mail',
  segredoSmsDefinido: 'Segredo do SMS definido',
  smtpProprio: 'Servidor SMTP próprio',
};

const parteLabel = (parte: string): string => campoLabels[parte] ?? (metodoLabels as Record<string, string>)[parte] ?? parte;

/** `metodos.login.url` → `Métodos › Login › URL`; `headers[0].nome` → `Headers estáticos 1 › Nome`. */
export function rotuloDoCaminho(caminho: string): string {
  return caminho
    .split('.')
    .map((parte) => {
      const indexado = /^(.*?)((?:\[\d+\])+)$/.exec(parte);
      if (!indexado) return parteLabel(parte);
      const indices = [...indexado[2]!.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]) + 1);
      return `${indexado[1] ? parteLabel(indexado[1]) : 'Item'} ${indices.join('.')}`;
    })
    .join(' › ');
}

/** A JSON-rendered value with known ids replaced by their names (`"grp_…"` → `Grupo principal (grp_…)`). */
export function comNomes(valor: string | undefined, nomes: Record<string, string>): string | undefined {
  if (valor === undefined) return undefined;
  const id = /^"([a-z]{3}_[A-Za-z0-9_-]+)"$/.exec(valor)?.[1];
  return id && nomes[id] ? `${nomes[id]} (${id})` : valor;
}

export const acaoFamilias: { value: string; label: string }[] = [
  { value: 'integracao.', label: 'Integração' },
  { value: 'grupo.', label: 'Grupos de autorização' },
  { value: 'funcionalidade.', label: 'Funcionalidades' },
  { value: 'formulario.', label: 'Formulários' },
  { value: 'token.', label: 'Tokens do cliente' },
  { value: 'origem.', label: 'Origens' },
  { value: 'usuario.', label: 'Usuários e convites' },
  { value: 'envio-mensagens.', label: 'Envio de mensagens' },
  { value: 'cliente.', label: 'Cliente' },
];
