import { sessionSealAad } from './modules/app-sessions/session-store.ts';
import { chavePasseSistemaAad } from './modules/chave-passe/chave-passe.service.ts';
import { grupoSenhaAad, legacyGrupoSenhaAad } from './modules/grupos/grupo-senha.ts';
import type { StaticHeader } from './modules/integracoes/integracoes.repo.ts';
import { secretHeaderAad } from './modules/integracoes/integracoes.service.ts';
import { estadoAad } from './modules/recuperacao/recuperacao.service.ts';
import { envioMensagensAad } from './modules/mensagens/envio-mensagens.config.ts';
import type { SealedColumn } from './platform/reseal.ts';
import { stableKeyAad } from './platform/stable-keys.ts';

const single = (table: string, idColumn: string, column: string, aad: (row: Record<string, unknown>) => string[], contextColumns?: string[]): SealedColumn => ({
  table,
  idColumn,
  column,
  kind: 'single',
  ...(contextColumns ? { contextColumns } : {}),
  rewrite: (stored, row, reseal) => reseal(stored, aad(row)),
  parts: (stored) => [stored],
});

const id = (row: Record<string, unknown>) => String(row.id);

/**
 * Every column that holds a value sealed under the master key, and the associated data each value
 * was sealed with: what `ponte keys reseal` re-seals and `ponte keys status` counts. A new sealed
 * column must be listed here, or a rotation can never retire the key that sealed it. (The grupo
 * token pairs cached in the key-value store are sealed too; they expire within the grupo's TTL and
 * are sealed under the newest key when refreshed.)
 */
export const sealedColumns: readonly SealedColumn[] = [
  single('chaves_derivadas', 'nome', 'chave_selada', (row) => [stableKeyAad(id(row))]),
  // A grupo senha sealed before it was bound to its URL's origin opens with the old associated data.
  single('grupos_autorizacao', 'id', 'senha_selada', (row) => [grupoSenhaAad(id(row), String(row.url)), legacyGrupoSenhaAad(id(row))], ['url']),
  {
    table: 'integracoes',
    idColumn: 'id',
    column: 'headers_json',
    kind: 'json',
    contextColumns: ['cliente_id', 'instancia'],
    rewrite(stored, row, reseal) {
      const headers = JSON.parse(stored) as StaticHeader[];
      if (!headers.some((header) => header.valorSelado)) return stored;
      const integracao = { clienteId: String(row.cliente_id), instancia: Number(row.instancia) };
      const resealed = headers.map((header) => (header.valorSelado ? { ...header, valorSelado: reseal(header.valorSelado, [secretHeaderAad(integracao, header)]) } : header));
      return resealed.every((header, index) => header.valorSelado === headers[index]!.valorSelado) ? stored : JSON.stringify(resealed);
    },
    parts: (stored) => (JSON.parse(stored) as StaticHeader[]).flatMap((header) => (header.valorSelado ? [header.valorSelado] : [])),
  },
  single('app_sessions', 'id', 'perfil_selado', (row) => [sessionSealAad.perfil(id(row))]),
  single('app_sessions', 'id', 'seguranca_selada', (row) => [sessionSealAad.seguranca(id(row))]),
  single('chaves_passe', 'id', 'sistema_selado', (row) => [chavePasseSistemaAad(id(row))]),
  single('recuperacoes', 'id', 'estado_selado', (row) => [estadoAad(id(row))]),
  // SMS secrets are bound to the provider's origin, kept in the row's config (`smsDestino`).
  single('envio_mensagens', 'id', 'sms_segredos_selado', (row) => [envioMensagensAad.sms(String(row.cliente_id), Number(row.instancia), String((JSON.parse(String(row.config_json)) as { smsDestino?: string }).smsDestino))], ['cliente_id', 'instancia', 'config_json']),
  single('envio_mensagens', 'id', 'smtp_url_selado', (row) => [envioMensagensAad.smtp(String(row.cliente_id), Number(row.instancia))], ['cliente_id', 'instancia']),
];
