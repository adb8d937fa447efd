// The OpenAPI 3.1 document, generated from the route table: paths, parameters, bodies and
// responses come from the contracts' zod schemas (z.toJSONSchema, JSON Schema 2020-12, which is
// what OpenAPI 3.1 uses), and each operation names the permission it needs.
import { z } from 'zod';
import { problemSchema } from '@kequn/api';
import type { ServerRoute } from './route-table.js';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const generated = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  delete generated.$schema;
  return generated;
}

function parameters(route: ServerRoute): JsonSchema[] {
  const list: JsonSchema[] = [];
  const add = (where: 'path' | 'query', shape: z.ZodObject | undefined) => {
    if (shape === undefined) return;
    for (const [name, field] of Object.entries(shape.shape)) {
      const fieldSchema = field as z.ZodType;
      list.push({
        name,
        in: where,
        required: where === 'path' || !fieldSchema.safeParse(undefined).success,
        schema: jsonSchema(fieldSchema, 'input'),
      });
    }
  };
  add('path', route.contract.params);
  add('query', route.contract.query);
  return list;
}

const problemResponse = {
  description: 'Problem details (RFC 9457)',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

function responses(route: ServerRoute): JsonSchema {
  const { contract } = route;
  const success =
    contract.produces === 'event-stream'
      ? {
          description: 'Server-sent events; each event’s data is one JSON object of this schema',
          content: { 'text/event-stream': { schema: jsonSchema(contract.response, 'output') } },
        }
      : {
          description: 'Success',
          content: { 'application/json': { schema: jsonSchema(contract.response, 'output') } },
        };
  const failures: Record<string, unknown> = {
    '400': problemResponse,
    '413': problemResponse,
    '429': problemResponse,
  };
  if (contract.access !== 'public') {
    failures['401'] = problemResponse;
    failures['403'] = problemResponse;
  }
  if (contract.params !== undefined) failures['404'] = problemResponse;
  if (contract.body !== undefined) failures['422'] = problemResponse;
  return { [String(contract.successStatus ?? 200)]: success, ...failures };
}

export function openApiDocument(
  routes: readonly ServerRoute[],
  info: { title?: string; version?: string } = {},
): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const { contract } = route;
    const operation: JsonSchema = {
      operationId: contract.id,
      summary: contract.summary,
      tags: [contract.tag],
      'x-kequn-access': contract.access,
      parameters: parameters(route),
      responses: responses(route),
      ...(contract.access === 'public' ? { security: [] } : {}),
    };
    if (contract.body !== undefined) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: jsonSchema(contract.body, 'input') } },
      };
    }
    paths[contract.path] = { ...paths[contract.path], [contract.method]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: info.title ?? 'Kequn API',
      version: info.version ?? '0.1.0',
      description:
        'Customer-group operations (客群经营): customers, segments, tiers, books, hand-offs, KPIs. Errors are RFC 9457 problem details with a stable `code`.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: { Problem: jsonSchema(problemSchema, 'output') },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
