// How Cosmos takes a request apart before any handler runs: the Accept and Content-Type headers against the endpoint's
// versioned media types, the JSON body against the request type; each failure is a finch error (`not_present`,
// `not_valid`, `not_parsed`), several are one `multiple_errors`; all are 400 with the Cosmos error media type.
// source: dcos/cosmos cosmos-common/src/main/scala/com/mesosphere/cosmos/finch/RequestValidators.scala,
// .../finch/FinchExtensions.scala (beTheExpectedTypes), .../http/MediaType.scala (compatible),
// .../circe/Encoders.scala (exceptionErrorResponse), cosmos-integration-tests/.../RequestErrorsSpec.scala @ v0.6.2
import { json, type DcosResponse } from './surface-reply.ts';

export const COSMOS_ERROR_MEDIA = 'application/vnd.dcos.package.error+json;charset=utf-8;version=v1';

export interface CosmosErrorBody {
  type: string;
  message: string;
  data?: Record<string, unknown>;
}

/** A Cosmos error answer; `data` is left out when empty (Cosmos prints without null values). */
export function cosmosError(status: number, body: CosmosErrorBody): DcosResponse {
  return json(status, body.data ? body : { type: body.type, message: body.message }, [], { 'content-type': COSMOS_ERROR_MEDIA });
}

interface MediaType {
  type: string;
  subtype: string;
  params: Map<string, string>;
}

function parseMediaType(text: string): MediaType | undefined {
  const [essence, ...rest] = text.split(';');
  const m = /^\s*([^/\s]+)\/([^/\s]+)\s*$/.exec(essence ?? '');
  if (!m) return undefined;
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return { type: m[1]!.toLowerCase(), subtype: m[2]!.toLowerCase(), params };
}

/** Cosmos `MediaType.compatible`: same type and subtype, and every parameter of `expected` but `q` in `actual`. */
function compatible(expected: MediaType, actual: MediaType): boolean {
  if (expected.type !== actual.type || expected.subtype !== actual.subtype) return false;
  return [...expected.params].every(([k, v]) => k === 'q' || actual.params.get(k) === v);
}

export interface EndpointMedia {
  /** What the Content-Type must be compatible with. */
  request: string;
  /** What the response can be, most preferred first (an Accept entry must be compatible with one of them). */
  responses: readonly string[];
}

export interface CosmosRequest {
  contentType: string | undefined;
  accept: string | undefined;
  body: string | undefined;
}

/** A field of the request type: its name, whether it must be there, and the circe decoder name of its type. */
export interface BodyField {
  name: string;
  required: boolean;
  decoder: 'String' | 'Boolean' | 'JsonObject';
}

function decodeProblem(input: unknown, fields: readonly BodyField[]): string | undefined {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return 'Attempt to decode value on failed cursor: DownField(packageName)';
  const obj = input as Record<string, unknown>;
  for (const f of fields) {
    const v = obj[f.name];
    // circe decodes a missing or null Option as None.
    if (v === undefined || (v === null && !f.required)) {
      if (f.required) return `Attempt to decode value on failed cursor: DownField(${f.name})`;
      continue;
    }
    const ok = f.decoder === 'String' ? typeof v === 'string' : f.decoder === 'Boolean' ? typeof v === 'boolean' : v !== null && typeof v === 'object' && !Array.isArray(v);
    if (!ok) return `${f.decoder}: DownField(${f.name})`;
  }
  return undefined;
}

/**
 * The body, or the 400 that refuses the request. The error types and the header messages are Cosmos's; the wording
 * after "unable to be parsed:" imitates circe's ([UNCONFIRMED] beyond the missing-field case RequestErrorsSpec shows).
 */
export function validateCosmosRequest(req: CosmosRequest, media: EndpointMedia, fields: readonly BodyField[]): { body: Record<string, unknown> } | { refusal: DcosResponse } {
  const errors: CosmosErrorBody[] = [];
  const responses = media.responses.map((r) => parseMediaType(r)!);
  if (req.accept === undefined) {
    errors.push({ type: 'not_present', message: "Item header 'Accept' not present but required" });
  } else {
    const entries = req.accept.split(',').map((e) => e.trim()).filter(Boolean);
    const usable = entries.map(parseMediaType).some((a) => a !== undefined && responses.some((r) => compatible(a, r)));
    if (!usable) {
      errors.push({ type: 'not_valid', message: `Item header 'Accept' deemed invalid by rule: Media type was [${entries.join(', ')}] but should be one of [${media.responses.join(', ')}]` });
    }
  }
  if (req.contentType === undefined) {
    errors.push({ type: 'not_present', message: "Item header 'Content-Type' not present but required" });
  } else {
    const actual = parseMediaType(req.contentType);
    if (!actual || !compatible(parseMediaType(media.request)!, actual)) {
      errors.push({ type: 'not_valid', message: `Item header 'Content-Type' deemed invalid by rule: should match one of ${media.request}` });
    }
  }
  let body: Record<string, unknown> | undefined;
  if (req.body === undefined || req.body === '') {
    errors.push({ type: 'not_present', message: 'Item body not present but required' });
  } else {
    let input: unknown;
    let problem: string | undefined;
    try {
      input = JSON.parse(req.body);
      problem = decodeProblem(input, fields);
    } catch {
      problem = 'expected json value (the body is not JSON)';
    }
    if (problem) errors.push({ type: 'not_parsed', message: `Item 'body' unable to be parsed: ${problem}` });
    else body = input as Record<string, unknown>;
  }
  if (errors.length === 1) return { refusal: cosmosError(400, errors[0]!) };
  if (errors.length > 1) return { refusal: cosmosError(400, { type: 'multiple_errors', message: 'Multiple errors while processing request', data: { errors } }) };
  return { body: body! };
}
