// Test support: checks a real HTTP answer against the API description (GET /api/v1/openapi.json): its
// status must be described for the route, its content type too, and a JSON body must validate against
// the response schema (JSON Schema 2020-12, Ajv). Route tests of any module can use it.
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';

type Json = Record<string, unknown>;
interface MediaType {
  schema?: Json;
}
interface ResponseObject {
  content?: Record<string, MediaType>;
}

export interface DescriptionChecker {
  /** Asserts `res` is a described answer of `method path` (an OpenAPI template); returns the body it read. */
  check(method: string, template: string, res: Response): Promise<unknown>;
  /** Every `METHOD template` checked so far with a 2xx answer. */
  covered: Set<string>;
}

export function descriptionChecker(doc: Json): DescriptionChecker {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTuples: false, allowUnionTypes: true });
  // The description's components, as one schema Ajv can resolve references into.
  const local = (schema: unknown): Json => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"components#/$defs/')) as Json;
  ajv.addSchema({ $id: 'components', $defs: local((doc.components as Json).schemas) });
  const covered = new Set<string>();
  return {
    covered,
    async check(method, template, res) {
      const op = (doc.paths as Record<string, Json>)[template]?.[method.toLowerCase()] as { responses: Record<string, ResponseObject> } | undefined;
      assert.ok(op, `${method} ${template} is not in the description`);
      const described = op.responses[String(res.status)];
      assert.ok(described, `${method} ${template} answered ${res.status}, which the description does not list`);
      const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
      const text = await res.text();
      if (res.status >= 200 && res.status < 300) covered.add(`${method.toUpperCase()} ${template}`);
      if (!described.content) {
        assert.equal(text, '', `${method} ${template} ${res.status}: described without a body`);
        return text;
      }
      const media = described.content[type];
      assert.ok(media, `${method} ${template} ${res.status}: content type ${type} is not described (${Object.keys(described.content).join(', ')})`);
      const body = type === 'application/json' ? (JSON.parse(text) as unknown) : text;
      const validate = ajv.compile(local(media.schema ?? {}));
      assert.ok(validate(body), `${method} ${template} ${res.status}: ${ajv.errorsText(validate.errors)}\n${text.slice(0, 500)}`);
      return body;
    },
  };
}
