import type { Migration } from 'kysely';
import * as foundation from './0001_foundation.ts';
import * as outbound from './0002_outbound.ts';
import * as beneficiarios from './0003_beneficiarios.ts';

/** The one migration history, in order. Names sort lexically; never rename or edit a landed one. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_outbound': outbound,
  '0003_beneficiarios': beneficiarios,
};
