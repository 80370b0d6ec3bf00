// The API description, OpenAPI 3.1 (https://spec.openapis.org/oas/v3.1.0), built from the route registry
// (route-docs.ts): every schema in it is the zod schema a handler validates with or answers by, turned
// into JSON Schema 2020-12 by zod's own z.toJSONSchema, so the description cannot drift from the code.
import { z } from 'zod';
import type { ErrorCode } from '../errors.js';
import { describeRoute, describedRoutes, nameSchema, namedSchemas, type ResponseDoc, type RouteDoc } from './route-docs.js';

type Json = Record<string, unknown>;

const ERROR_CODES = [
  'CR_ERR_BAD_INPUT',
  'CR_ERR_BAD_EVENT',
  'CR_ERR_BAD_FILE',
  'CR_ERR_BAD_QUERY',
  'CR_ERR_NOT_FOUND',
  'CR_ERR_UNAUTHORIZED',
  'CR_ERR_TOO_LARGE',
  'CR_ERR_BAD_TOKEN',
  'CR_ERR_STORE',
  'CR_ERR_SPOOL',
  'CR_ERR_CONFLICT',
  'CR_ERR_MIGRATION',
  'CR_ERR_CONFIG',
  'CR_ERR_RATE_LIMITED',
] as const satisfies readonly ErrorCode[];

/** Every error answer (reply.ts sendError): a stable code to branch on, words for people. */
const errorBody = z.strictObject({
  error: z.strictObject({
    code: z.enum([...ERROR_CODES, 'CR_ERR_INTERNAL']),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

const OPTIONS = { target: 'draft-2020-12', unrepresentable: 'any', reused: 'inline' } as const;

nameSchema('Error', errorBody);

/** A zod schema as JSON Schema 2020-12, whole (for parameters, which OpenAPI lists one by one). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { ...OPTIONS, io }) as Json;
  return rest;
}

/**
 * Bodies and answers become components (#/components/schemas/…), converted together so that a schema
 * named with nameSchema (a report, the error body) is one component referenced wherever it is used.
 */
class Components {
  private readonly reg = { input: z.registry<{ id: string }>(), output: z.registry<{ id: string }>() };

  constructor() {
    for (const [name, schema] of namedSchemas()) this.reg.output.add(schema, { id: name });
  }

  /** A reference to `schema` as a component, named `id` unless it has a name already. */
  ref(schema: z.ZodType, io: 'input' | 'output', id: string): Json {
    const reg = this.reg[io];
    if (!reg.has(schema)) reg.add(schema, { id });
    return { $ref: `#/components/schemas/${reg.get(schema)!.id}` };
  }

  schemas(): Record<string, Json> {
    const out: Record<string, Json> = {};
    for (const io of ['input', 'output'] as const) {
      const { schemas } = z.toJSONSchema(this.reg[io], { ...OPTIONS, io, uri: (id) => `#/components/schemas/${id}` }) as { schemas: Record<string, Json> };
      // TRICKY: zod gives each one an $id (the uri); a fragment in $id is not allowed in JSON Schema 2020-12.
      for (const [id, { $id: _, $schema: __, ...body }] of Object.entries(schemas)) {
        if (id in out && JSON.stringify(out[id]) !== JSON.stringify(body)) throw new Error(`two schemas are named ${id} in the API description`);
        out[id] = body;
      }
    }
    return out;
  }
}

function parameters(where: 'path' | 'query', shape: z.ZodObject | undefined): Json[] {
  if (!shape) return [];
  const js = jsonSchema(shape, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return { name, in: where, required: where === 'path' || (js.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest };
  });
}

const errorRef = (description: string): Json => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

function response(c: Components, id: string, status: number, r: ResponseDoc): Json {
  // An error status without its own schema answers the common error body.
  if (!r.schema) return status >= 400 ? errorRef(r.description) : { description: r.description };
  return { description: r.description, content: { [r.contentType ?? 'application/json']: { schema: c.ref(r.schema, 'output', `${id}${status}`) } } };
}

/** The error answers a route can give by its shape: the handler's own answers are in its doc. */
function errorResponses(doc: RouteDoc): Record<string, Json> {
  const out: Record<string, Json> = {};
  if (doc.body || doc.query) out['400'] = errorRef('The request is malformed; the message names the field.');
  if (doc.auth !== 'none') {
    out['401'] = errorRef(doc.auth === 'metrics' ? 'No valid API key, and the address is not allowed.' : 'No valid API key or dashboard session.');
    out['429'] = errorRef('Too many failed attempts from this client; Retry-After says when to try again.');
  }
  if (doc.params) out['404'] = errorRef('Nothing there (the message says what is missing).');
  if (doc.body) out['413'] = errorRef('The body is over the route’s size limit.');
  out['500'] = errorRef('Internal error; the server log has the details.');
  if (doc.auth === 'key') out['503'] = errorRef('The store or the spool is unavailable; retry later.');
  return out;
}

const SECURITY: Record<RouteDoc['auth'], Json[]> = {
  key: [{ apiKey: [] }, { session: [] }],
  // The key, or no credentials from an address in --metrics-allow.
  metrics: [{ apiKey: [] }, {}],
  none: [],
};

function operation(c: Components, doc: RouteDoc): Json {
  const params = [...parameters('path', doc.params), ...parameters('query', doc.query)];
  const id = `${doc.method}${doc.path.replace(/\{([^}]+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ?? '').toUpperCase())}`;
  const responses: Record<string, Json> = { ...errorResponses(doc) };
  for (const [status, r] of Object.entries(doc.responses)) responses[status] = response(c, id, Number(status), r);
  const op: Json = {
    operationId: id,
    tags: [doc.tag],
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    security: SECURITY[doc.auth],
    ...(params.length > 0 ? { parameters: params } : {}),
    responses,
  };
  if (doc.body) {
    const type = doc.body.contentType ?? 'application/json';
    const content: Json = { [type]: { schema: c.ref(doc.body.schema, 'input', `${id}Body`) } };
    if (doc.body.also) content[doc.body.also.contentType] = { schema: c.ref(doc.body.also.schema, 'input', `${id}BodyText`) };
    op.requestBody = { required: true, ...(doc.body.description ? { description: doc.body.description } : {}), content };
  }
  return op;
}

const TAGS: Record<string, string> = {
  operations: 'Probes, metrics and this description.',
  tracking: 'Wrapping messages and recording events.',
  reports: 'Campaign figures, as the CLI computes them.',
  dashboard: 'What the dashboard draws: overviews, series, diagnoses, templates, click maps, exports.',
  webhooks: 'Deliveries from email service providers, verified by their signatures.',
};

/** The OpenAPI 3.1 document of every described route. */
export function openApiDocument(version: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  const c = new Components();
  for (const doc of describedRoutes()) {
    paths[doc.path] ??= {};
    paths[doc.path]![doc.method] = operation(c, doc);
  }
  const used = new Set(describedRoutes().map((d) => d.tag));
  return {
    openapi: '3.1.0',
    info: {
      title: 'clickrate',
      version,
      summary: 'Honest click-through rates for email and ads.',
      description: 'The HTTP API of `clickrate serve`. Every error answer is `{"error": {"code": "CR_ERR_…", "message": "…"}}`.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: '/', description: 'The server that serves this document.' }],
    tags: Object.entries(TAGS)
      .filter(([name]) => used.has(name))
      .map(([name, description]) => ({ name, description })),
    paths,
    components: {
      schemas: c.schemas(),
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (`clickrate keys create`, or CLICKRATE_API_KEY).' },
        session: { type: 'apiKey', in: 'cookie', name: 'cr_session', description: 'The dashboard’s session; state changes must come from the same origin.' },
      },
    },
  };
}

describeRoute({
  method: 'get',
  path: '/api/v1/openapi.json',
  tag: 'operations',
  summary: 'This API description (OpenAPI 3.1)',
  auth: 'none',
  responses: {
    200: { description: 'The OpenAPI document.', schema: z.looseObject({ openapi: z.literal('3.1.0'), paths: z.record(z.string(), z.unknown()) }) },
  },
});
