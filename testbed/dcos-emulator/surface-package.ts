// Cosmos, the DC/OS package manager (`/package/install`, `/package/uninstall`), for the one kubernetes-cluster service
// the testbed hosts: checks the request like Cosmos, flips `state.installed` and returns the action that stops or
// starts the service's tasks.
import { z } from 'zod';
import { describeZodError, UsageError } from '../../config/options.ts';
import { parsePackageOptions, type KubernetesClusterLayout } from '../../dcos/package-options.ts';
import { json, type DcosResponse } from './surface-reply.ts';
import { forgetScheduler, type SurfaceState } from './surface-state.ts';
import type { DcosView } from './view.ts';

export const PACKAGE_NAME = 'kubernetes-cluster';
/** The kubernetes-cluster version the reference describes (Universe `repo/packages/K/kubernetes-cluster/2600`). */
export const PACKAGE_VERSION = '2.8.0-1.19.2';
/** etcd members the testbed runs: the HA layout without `etcd.5_etcd_nodes`. */
const TESTBED_ETCD_NODES = 3;

/** Cosmos media types (the dcos-cli sends and accepts exactly these). */
const MEDIA = {
  installRequest: 'application/vnd.dcos.package.install-request+json;charset=utf-8;version=v1',
  installResponse: 'application/vnd.dcos.package.install-response+json;charset=utf-8;version=v2',
  uninstallRequest: 'application/vnd.dcos.package.uninstall-request+json;charset=utf-8;version=v1',
  uninstallResponse: 'application/vnd.dcos.package.uninstall-response+json;charset=utf-8;version=v1',
  error: 'application/vnd.dcos.package.error+json;charset=utf-8;version=v1',
} as const;

// Plain (not strict) objects: Cosmos's decoders ignore keys they do not know, so a newer client still gets through.
const installRequestSchema = z.object({
  packageName: z.string().min(1),
  packageVersion: z.string().min(1).optional(),
  options: z.record(z.string(), z.unknown()).optional(),
  appId: z.string().min(1).optional(),
});

const uninstallRequestSchema = z.object({
  packageName: z.string().min(1),
  appId: z.string().min(1).optional(),
  /** Uninstall every instance of the package; the testbed has at most one, so it changes nothing. */
  all: z.boolean().optional(),
});

/** A Cosmos error: `{type, message}` (plus `data` for some types) with Cosmos's error media type. */
function cosmosError(status: number, type: string, message: string, data?: Record<string, unknown>): DcosResponse {
  return json(status, { type, message, ...(data ? { data } : {}) }, [], { 'content-type': MEDIA.error });
}

/** The type part of a Content-Type value (`a/b;charset=…` → `a/b`), lower-cased. */
function mediaTypeOf(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase() || undefined;
}

/** Cosmos's 415 unless the request's media type is the expected one (its parameters are not compared). */
function contentTypeRefusal(contentType: string | undefined, expected: string): DcosResponse | undefined {
  if (mediaTypeOf(contentType) === mediaTypeOf(expected)) return undefined;
  // Message as Cosmos words it (cosmos-common `UnsupportedContentType`).
  const message = contentType ? `Unsupported Content-Type: ${contentType} Accept: [${expected}]` : `Unspecified Content-Type Accept: [${expected}]`;
  return cosmosError(415, 'UnsupportedContentType', message);
}

/**
 * The request body, or the 400 that refuses it. [UNCONFIRMED] the error type: the brief's `MalformedRequest`; Cosmos's
 * own error classes include `JsonParsingError` and `JsonDecodingError`, which it may answer instead.
 */
function parseBody<T>(schema: z.ZodType<T>, body: string | undefined): { value: T } | { refusal: DcosResponse } {
  let input: unknown;
  try {
    input = JSON.parse(body ?? '');
  } catch {
    return { refusal: cosmosError(400, 'MalformedRequest', 'Request body is not JSON') };
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { refusal: cosmosError(400, 'MalformedRequest', describeZodError(parsed.error, 'request body', input).replaceAll('\n', '; ')) };
  return { value: parsed.data };
}

/** The Marathon app id of a service name: `dev/kubernetes01` and `/dev/kubernetes01` → `/dev/kubernetes01`. */
function appIdOf(name: string): string {
  return `/${name.replace(/^\/+/, '')}`;
}

/** Why the testbed cannot deploy these options (one message per problem), or an empty list. */
export function optionsRefusals(options: Record<string, unknown>, cluster: string): string[] {
  let layout: KubernetesClusterLayout;
  try {
    layout = parsePackageOptions(options, 'options');
  } catch (e) {
    if (e instanceof UsageError) return e.message.split('\n');
    throw e;
  }
  // Testbed limits, not DC/OS behaviour: DC/OS would deploy any valid service name and layout, but the testbed runs
  // exactly one service, `haproof up`'s, in its HA layout with 3 etcd members.
  const refusals: string[] = [];
  if (appIdOf(layout.serviceName) !== appIdOf(cluster)) refusals.push(`service.name: the testbed hosts only ${cluster}, got ${layout.serviceName}`);
  if (!layout.highAvailability) refusals.push('kubernetes.high_availability: the testbed runs only the HA layout (3 etcd, 3 control planes), got false');
  else if (layout.etcdNodes !== TESTBED_ETCD_NODES) refusals.push(`etcd.5_etcd_nodes: the testbed runs ${TESTBED_ETCD_NODES} etcd members, got true`);
  return refusals;
}

/** `POST /package/install`: starts the service again once it was uninstalled. */
export function installPackage(contentType: string | undefined, body: string | undefined, view: DcosView, state: SurfaceState): DcosResponse {
  const wrongType = contentTypeRefusal(contentType, MEDIA.installRequest);
  if (wrongType) return wrongType;
  const req = parseBody(installRequestSchema, body);
  if ('refusal' in req) return req.refusal;
  const { packageName, packageVersion, options, appId } = req.value;
  if (packageName !== PACKAGE_NAME) return cosmosError(400, 'PackageNotFound', `Package [${packageName}] not found`);
  if (packageVersion !== undefined && packageVersion !== PACKAGE_VERSION) {
    return cosmosError(400, 'VersionNotFound', `Version [${packageVersion}] of package [${PACKAGE_NAME}] not found`);
  }
  const refusals = optionsRefusals(options ?? {}, view.cluster);
  // Testbed limit, like the service name: an explicit appId must name the one service.
  if (appId !== undefined && appIdOf(appId) !== appIdOf(view.cluster)) refusals.push(`appId: the testbed hosts only ${appIdOf(view.cluster)}, got ${appId}`);
  if (refusals.length) return cosmosError(400, 'JsonSchemaMismatch', 'Options JSON failed validation', { errors: refusals });
  if (state.installed) return cosmosError(409, 'PackageAlreadyInstalled', 'Package is already installed');
  state.installed = true;
  forgetScheduler(state);
  const answer = { packageName: PACKAGE_NAME, packageVersion: PACKAGE_VERSION, appId: appIdOf(view.cluster) };
  return json(200, answer, [{ kind: 'install-package' }], { 'content-type': MEDIA.installResponse });
}

/**
 * `POST /package/uninstall`: stops the service. [UNCONFIRMED] Cosmos may answer `PackageNotInstalled` when no appId is
 * given; the surface always answers `UninstallNonExistentAppForPackage` naming the app id it looked for.
 */
export function uninstallPackage(contentType: string | undefined, body: string | undefined, view: DcosView, state: SurfaceState): DcosResponse {
  const wrongType = contentTypeRefusal(contentType, MEDIA.uninstallRequest);
  if (wrongType) return wrongType;
  const req = parseBody(uninstallRequestSchema, body);
  if ('refusal' in req) return req.refusal;
  const { packageName, appId } = req.value;
  const installedId = appIdOf(view.cluster);
  const wanted = appId === undefined ? installedId : appIdOf(appId);
  if (packageName !== PACKAGE_NAME || !state.installed || wanted !== installedId) {
    return cosmosError(400, 'UninstallNonExistentAppForPackage', `Package [${packageName}] with id [${wanted}] is not installed`);
  }
  state.installed = false;
  state.tearingDown = true;
  const answer = { results: [{ packageName: PACKAGE_NAME, appId: installedId, packageVersion: PACKAGE_VERSION }] };
  return json(200, answer, [{ kind: 'uninstall-package' }], { 'content-type': MEDIA.uninstallResponse });
}
