// The registry of HTTP routes described in the API description (GET /api/v1/openapi.json). Each route
// module adds its routes with one describeRoute call beside the handler, giving the same zod schemas the
// handler validates with; openapi.ts turns the registry into OpenAPI 3.1, and the request log and
// metrics name requests by the templates registered here (bounded label values, never raw paths).
import type { z } from 'zod';

type RouteAuth = 'key' | 'none' | 'metrics';

export interface ResponseDoc {
  description: string;
  /** application/json unless `contentType` says otherwise. */
  schema?: z.ZodType;
  contentType?: string;
}

export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'delete';
  /** An OpenAPI path template: /api/v1/campaigns/{campaign}/report. */
  path: string;
  /** Groups routes in the description (tags). */
  tag: string;
  summary: string;
  description?: string;
  /** key: an API key or the dashboard session; metrics: the key or an allowed address; none. */
  auth: RouteAuth;
  /** The path's {names}, each a string schema with its description. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: { schema: z.ZodType; contentType?: string; description?: string; also?: { contentType: string; schema: z.ZodType } };
  /** The answers this route gives itself; the error answers every route can give are added (openapi.ts). */
  responses: Record<number, ResponseDoc>;
}

const routes: RouteDoc[] = [];
const matchers: Array<{ re: RegExp; path: string }> = [];

/** Adds one route to the description; a second description of the same method and path is a bug. */
export function describeRoute(doc: RouteDoc): void {
  if (routes.some((r) => r.path === doc.path && r.method === doc.method)) throw new Error(`route ${doc.method.toUpperCase()} ${doc.path} is described twice`);
  routes.push(doc);
  if (!matchers.some((m) => m.path === doc.path)) {
    const source = doc.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
    matchers.push({ re: new RegExp(`^${source}$`), path: doc.path });
    // Literal paths first: /api/v1/campaigns before a template that could also match it.
    matchers.sort((a, b) => Number(a.path.includes('{')) - Number(b.path.includes('{')));
  }
}

const named = new Map<string, z.ZodType>();

/** Names a schema used by several routes (a report): one component in the description, referenced by each. */
export function nameSchema(name: string, schema: z.ZodType): void {
  if (named.has(name)) throw new Error(`a schema is already named ${name}`);
  named.set(name, schema);
}

export function namedSchemas(): ReadonlyMap<string, z.ZodType> {
  return named;
}

export function describedRoutes(): readonly RouteDoc[] {
  return routes;
}

/**
 * The template a request path falls under, for logs and metrics: a described route's template, or one
 * of a few fixed words (the dashboard's pages, anything else), so a scan of random paths cannot grow
 * the metrics without bound.
 */
export function routeTemplate(path: string): string {
  for (const m of matchers) if (m.re.test(path)) return m.path;
  if (path.startsWith('/api/')) return 'api-unknown';
  return 'dashboard';
}
