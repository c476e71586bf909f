import type { Migration } from 'kysely';
import * as foundation from './0001_foundation.ts';
import * as outbound from './0002_outbound.ts';
import * as beneficiarios from './0003_beneficiarios.ts';
import * as retencao from './0004_retencao.ts';
import * as invalidacoes from './0005_invalidacoes.ts';
import * as convites from './0006_convites.ts';
import * as chavesEstaveis from './0007_chaves_estaveis.ts';
import * as codigoCliente from './0008_codigo_cliente.ts';
import * as elegibilidade from './0010_elegibilidade.ts';
import * as envioMensagens from './0009_envio_mensagens.ts';
import * as auditoriaEEntrada from './0011_auditoria_e_entrada.ts';

/** The one migration history, in order. Names sort lexically; never rename or edit a landed one. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_outbound': outbound,
  '0003_beneficiarios': beneficiarios,
  '0004_retencao': retencao,
  '0005_invalidacoes': invalidacoes,
  '0006_convites': convites,
  '0007_chaves_estaveis': chavesEstaveis,
  '0008_codigo_cliente': codigoCliente,
  '0010_elegibilidade': elegibilidade,
  '0009_envio_mensagens': envioMensagens,
  '0011_auditoria_e_entrada': auditoriaEEntrada,
};
