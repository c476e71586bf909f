import { z } from 'zod';

/** The Sandbox → Produção comparison and the copy's request. */
export const problemaSchema = z.object({ campo: z.string(), mensagem: z.string() });

export const comparacaoSchema = z.object({
  sandboxConfigurada: z.boolean(),
  producaoConfigurada: z.boolean(),
  versaoProducao: z.number().int().nullable().describe('atualizadoEm da integração de Produção ao comparar; envie no POST para copiar só se Produção não mudou'),
  itens: z.array(
    z.object({
      campo: z.string().describe('baseUrl, timeoutMs, metodos.<metodo>.url, metodos.<metodo>.formularioId, grupoId, headers.<nome>'),
      rotulo: z.string(),
      sandbox: z.string().nullable().describe('Valor na Sandbox; um header secreto aparece só como "segredo definido" ou "não definido"'),
      producao: z.string().nullable().describe('Valor atual em Produção; um header secreto aparece só como "segredo definido" ou "não definido" — segredos nunca são comparados'),
      muda: z.boolean(),
      observacao: z.string().nullable(),
    }),
  ),
  problemas: z.array(problemaSchema).describe('Impedem a cópia'),
  avisos: z.array(problemaSchema).describe('Não impedem a cópia: o que ela deixa como está, e por quê'),
  mudancas: z.number().int(),
  podeAplicar: z.boolean(),
});

export const copiaBodySchema = z.object({
  confirmar: z.literal(true, { error: 'Confirme a cópia enviando "confirmar": true.' }),
  versaoProducao: z.number().int().nullable().optional().describe('O versaoProducao da comparação que você revisou'),
});
