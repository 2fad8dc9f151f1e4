import { z } from 'zod';
import { routes, type RouteContract } from './routes.ts';

type JsonSchema = Record<string, unknown>;

const ref = (id: string) => `#/components/schemas/${id}`;

/** A named schema (`.meta({ id })`) becomes a `$ref` to components; others are inlined. */
const toSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const id = z.globalRegistry.get(schema)?.id;
  if (id) return { $ref: ref(id) };
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

const components = (): Record<string, JsonSchema> => {
  const { schemas } = z.toJSONSchema(z.globalRegistry, { io: 'output', unrepresentable: 'any', uri: ref }) as {
    schemas: Record<string, JsonSchema>;
  };
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _ignored, $id: _id, ...rest }]) => [id, rest]));
};

/** Express `:name` to OpenAPI `{name}`. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

const parameters = (route: RouteContract) =>
  (['params', 'query'] as const).flatMap((where) => {
    const object = route[where];
    if (!object) return [];
    const shape = toSchema(object, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    return Object.entries(shape.properties ?? {}).map(([name, schema]) => ({
      name,
      in: where === 'params' ? 'path' : 'query',
      required: where === 'params' || (shape.required ?? []).includes(name),
      ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
      schema,
    }));
  });

/**
 * Ids and cursors may be thousands of characters; percent-encoded (up to 12 bytes a character)
 * they can make the request line longer than Node's 16 KiB header limit, and the server answers
 * 431 with the usual error body before the app sees the request (apps/api/src/platform/http-server.ts).
 * Documented on every route that takes input in its URL.
 */
const URL_TOO_LONG = {
  431: {
    description: 'HTTP 431: the request line and headers are over 16 KiB',
    content: { 'application/json': { schema: { $ref: ref('ErrorBody') } } },
  },
};

/** The OpenAPI 3.1 document of the API, built from the route table. */
export const buildOpenApiDocument = (version: string) => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes as readonly RouteContract[]) {
    const operation: Record<string, unknown> = {
      operationId: `${route.method}${route.path.replace('/api/v1', '').replace(/[^A-Za-z]+(\w)/g, (_m, c: string) => c.toUpperCase())}`,
      summary: route.summary,
      'x-action': route.action,
      parameters: parameters(route),
      responses: {
        ...Object.fromEntries(
          Object.entries(route.responses).map(([status, schema]) => [
            status,
            schema
              ? { description: `HTTP ${status}`, content: { 'application/json': { schema: toSchema(schema, 'output') } } }
              : { description: `HTTP ${status}` },
          ]),
        ),
        ...(route.params || route.query ? URL_TOO_LONG : {}),
      },
    };
    if (route.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: toSchema(route.body, 'input') } } };
    }
    (paths[openApiPath(route.path)] ??= {})[route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Rotation Console API', version },
    paths,
    components: { schemas: components() },
  };
};
