import fastJsonStringify from 'fast-json-stringify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * Response serialization for the hot routes (login, the chave passe data API): a serializer
 * compiled once from the route's Zod schema (its JSON schema, through fast-json-stringify, the
 * serializer Fastify itself uses) instead of Zod parsing every response before `JSON.stringify`.
 * The bytes are the same — properties in the schema's order, undeclared ones left out, strings
 * escaped alike (compiled-serializer.test.ts compares them) — at about half the cost. Every other
 * route keeps Zod's serializer, which also refuses a wrong type.
 *
 * Only for schemas without optional properties, transforms or refinements on the output.
 */

const compiled = new WeakSet<z.ZodType>();

/** Marks a response schema for the compiled serializer; returns it unchanged. */
export function compiledResponse<T extends z.ZodType>(schema: T): T {
  compiled.add(schema);
  return schema;
}

/** The JSON schema fast-json-stringify compiles (draft-07, the output shape). */
export function serializationSchemaOf(schema: z.ZodType): FastJsonSchema {
  const json = z.toJSONSchema(schema, { io: 'output', target: 'draft-7', unrepresentable: 'any' });
  assertEveryPropertyRequired(json, '$');
  return json as FastJsonSchema;
}

/**
 * fast-json-stringify writes required properties before optional ones; Zod writes the schema's
 * order. A marked schema has no optional property, so the two orders are one.
 */
function assertEveryPropertyRequired(node: unknown, at: string): void {
  if (Array.isArray(node)) return node.forEach((child, index) => assertEveryPropertyRequired(child, `${at}[${index}]`));
  if (!node || typeof node !== 'object') return;
  const { properties, required } = node as { properties?: Record<string, unknown>; required?: string[] };
  for (const name of Object.keys(properties ?? {})) {
    if (!required?.includes(name)) throw new Error(`compiledResponse: ${at}.${name} é opcional, e o serializador compilado o escreveria fora de ordem`);
  }
  for (const [key, child] of Object.entries(node)) assertEveryPropertyRequired(child, key === 'properties' || key === 'items' ? at : `${at}.${key}`);
}

type RouteSchema = Parameters<typeof serializerCompiler>[0];
type FastJsonSchema = Parameters<typeof fastJsonStringify>[0];

/**
 * For `app.setSerializerCompiler`: compiled where the schema was marked, Zod's everywhere else.
 * What the compiled one refuses (a required property missing, or an `unknown` one absent, which
 * Zod leaves out) goes to Zod's, which writes it or answers 500 as before.
 */
export function responseSerializerCompiler(route: RouteSchema): (data: unknown) => string {
  const zod = serializerCompiler(route);
  const schema = route.schema as z.ZodType;
  if (!compiled.has(schema)) return zod;
  const fast = fastJsonStringify(serializationSchemaOf(schema)) as (data: unknown) => string;
  return (data) => {
    try {
      return fast(data);
    } catch {
      return zod(data);
    }
  };
}
