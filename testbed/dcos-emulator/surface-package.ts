// Cosmos, the DC/OS package manager (`/package/install`, `/package/uninstall`), for the one kubernetes-cluster service
// the testbed hosts, and the package manager Cosmos hands kubernetes-cluster to (the `kubernetes` package, MKE): checks
// and routes requests as Cosmos does, flips `state.installed`, and returns the action that starts or stops the
// service's tasks.
import { UsageError } from '../../config/options.ts';
import { parsePackageOptions, type KubernetesClusterLayout } from '../../dcos/package-options.ts';
import { cosmosError, validateCosmosRequest, type BodyField, type CosmosErrorBody, type CosmosRequest } from './cosmos-request.ts';
import { json, type DcosResponse } from './surface-reply.ts';
import { forgetScheduler, type SurfaceAction, type SurfaceState } from './surface-state.ts';
import type { DcosView } from './view.ts';

export const PACKAGE_NAME = 'kubernetes-cluster';
/**
 * The kubernetes-cluster version and notes the surface serves; its manager is the `kubernetes` package.
 * source: mesosphere/universe repo/packages/K/kubernetes-cluster/2600/package.json (2.8.0-1.19.2, manager.packageName)
 */
export const PACKAGE_VERSION = '2.8.0-1.19.2';
const MANAGER_PACKAGE = 'kubernetes';
const POST_INSTALL_NOTES = 'DC/OS Kubernetes is being installed!';
const POST_UNINSTALL_NOTES = 'DC/OS Kubernetes is being uninstalled.';
/** etcd members the testbed runs: the HA layout without `etcd.5_etcd_nodes`. */
const TESTBED_ETCD_NODES = 3;

/** Cosmos media types of the two endpoints. source: dcos/cosmos cosmos-common/.../rpc/MediaTypes.scala @ v0.6.2 */
const INSTALL_MEDIA = {
  request: 'application/vnd.dcos.package.install-request+json;charset=utf-8;version=v1',
  responses: ['application/vnd.dcos.package.install-response+json;charset=utf-8;version=v2', 'application/vnd.dcos.package.install-response+json;charset=utf-8;version=v1'],
} as const;
const UNINSTALL_MEDIA = {
  request: 'application/vnd.dcos.package.uninstall-request+json;charset=utf-8;version=v1',
  responses: ['application/vnd.dcos.package.uninstall-response+json;charset=utf-8;version=v1'],
} as const;

/**
 * The request types' fields (circe decoders ignore keys they do not know).
 * source: dcos/cosmos cosmos-common/.../rpc/v1/model/{InstallRequest,UninstallRequest}.scala @ v0.6.2
 */
const INSTALL_FIELDS: readonly BodyField[] = [
  { name: 'packageName', required: true, decoder: 'String' },
  { name: 'packageVersion', required: false, decoder: 'String' },
  { name: 'options', required: false, decoder: 'JsonObject' },
  { name: 'appId', required: false, decoder: 'String' },
  { name: 'managerId', required: false, decoder: 'String' },
];
const UNINSTALL_FIELDS: readonly BodyField[] = [
  { name: 'packageName', required: true, decoder: 'String' },
  { name: 'appId', required: false, decoder: 'String' },
  { name: 'all', required: false, decoder: 'Boolean' },
  { name: 'managerId', required: false, decoder: 'String' },
  { name: 'packageVersion', required: false, decoder: 'String' },
];

/** Marathon's (and Cosmos's `AppId`) form of an app id: `dev/kubernetes01` → `/dev/kubernetes01`. */
function appIdOf(name: string): string {
  return `/${name.replace(/^\/+/, '')}`;
}

/** Cosmos's error types of a package look-up (data: the case class fields). source: cosmos-common/.../error/*.scala @ v0.6.2 */
function packageLookupError(packageName: string, packageVersion: string | undefined): CosmosErrorBody | undefined {
  if (packageName !== PACKAGE_NAME) return { type: 'PackageNotFound', message: `Package [${packageName}] not found`, data: { packageName } };
  if (packageVersion !== undefined && packageVersion !== PACKAGE_VERSION) {
    return { type: 'VersionNotFound', message: `Version [${packageVersion}] of package [${packageName}] not found`, data: { packageName, packageVersion } };
  }
  return undefined;
}

/**
 * The layout the options ask for, or why the testbed cannot deploy them (one message per problem). Testbed limits, not
 * DC/OS behaviour: DC/OS would deploy any valid service name and layout, but the testbed runs exactly one service,
 * `haproof up`'s, in its HA layout with 3 etcd members.
 */
export function checkOptions(options: Record<string, unknown>, cluster: string, appId: string | undefined): { layout: KubernetesClusterLayout } | { refusals: string[] } {
  let layout: KubernetesClusterLayout;
  try {
    layout = parsePackageOptions(options, 'options');
  } catch (e) {
    if (e instanceof UsageError) return { refusals: e.message.split('\n') };
    throw e;
  }
  const refusals: string[] = [];
  if (appIdOf(layout.serviceName) !== appIdOf(cluster)) refusals.push(`service.name: the testbed hosts only ${cluster}, got ${layout.serviceName}`);
  if (!layout.highAvailability) refusals.push('kubernetes.high_availability: the testbed runs only the HA layout (3 etcd, 3 control planes), got false');
  else if (layout.etcdNodes !== TESTBED_ETCD_NODES) refusals.push(`etcd.5_etcd_nodes: the testbed runs ${TESTBED_ETCD_NODES} etcd members, got true`);
  if (appId !== undefined && appIdOf(appId) !== appIdOf(cluster)) refusals.push(`appId: the testbed hosts only ${appIdOf(cluster)}, got ${appId}`);
  return refusals.length ? { refusals } : { layout };
}

/** Cosmos's answer when the options fail the package's schema. [UNCONFIRMED] real `errors` are JSON-schema error objects. */
function schemaMismatch(refusals: string[]): CosmosErrorBody {
  return { type: 'JsonSchemaMismatch', message: 'Options JSON failed validation', data: { errors: refusals } };
}

/** source: dcos/cosmos cosmos-common/.../error/CustomPackageManagerNotFound.scala @ v0.6.2 (status 400, data {managerId}) */
function managerNotFound(managerId: string): DcosResponse {
  const id = appIdOf(managerId);
  return cosmosError(400, { type: 'CustomPackageManagerNotFound', message: `the custom manager: '${id}', is not installed for this package`, data: { managerId: id } });
}

/**
 * A 4xx of the manager other than 404 and 409, as Cosmos relays it.
 * source: dcos/cosmos cosmos-server/.../service/CustomPackageManagerRouter.scala (validateResponse),
 * cosmos-common/.../error/CustomPackageManagerError.scala @ v0.6.2
 */
function managerError(managerId: string, statusCode: number, inner: CosmosErrorBody): DcosResponse {
  const responseContent = JSON.stringify(inner);
  return cosmosError(400, {
    type: 'CustomPackageManagerError',
    message: `Custom manager [${managerId}] returned error code [${statusCode}] and response [${responseContent}]`,
    data: { managerId, statusCode, responseContent },
  });
}

/**
 * The service is created: its scheduler starts from scratch (a new deploy plan, no recoveries). On Enterprise without a
 * service account the scheduler's SUBSCRIBE is refused (401), the SDK treats the driver error as fatal and exits
 * (ProcessExit ERROR, 6), Marathon relaunches it, and so on: no framework, nothing deployed.
 * source: mesosphere/universe repo/packages/K/kubernetes-cluster/2600/marathon.json.mustache (the credential and the
 * authenticatee modules only with service.service_account_secret); apache/mesos src/scheduler/scheduler.cpp (an
 * unexpected SUBSCRIBE status → ERROR event) @ cb6cfe9b (DC/OS 2.2); mesosphere/dcos-commons
 * sdk/scheduler/src/main/java/com/mesosphere/sdk/framework/FrameworkScheduler.java (error → ProcessExit.ERROR) @ 0.57.3.
 * [UNCONFIRMED] which Enterprise security modes make the masters refuse an unauthenticated framework.
 */
function startService(layout: KubernetesClusterLayout, view: DcosView, state: SurfaceState, mediaV2: boolean): DcosResponse {
  state.installed = true;
  forgetScheduler(state);
  state.principal = layout.serviceAccount ?? `${layout.serviceName}-principal`;
  let action: SurfaceAction = { kind: 'install-package' };
  if (state.enterprise && !(layout.serviceAccount && layout.serviceAccountSecret)) {
    state.schedulerFailure = "SchedulerDriver returned an error, shutting down: Received unexpected '401 Unauthorized' () for SUBSCRIBE "
      + '(no service.service_account and service.service_account_secret on DC/OS Enterprise); Process exiting immediately with code: ERROR[6]';
    action = { kind: 'scheduler-exits', message: state.schedulerFailure };
  }
  const answer = mediaV2
    ? { packageName: PACKAGE_NAME, packageVersion: PACKAGE_VERSION, appId: appIdOf(view.cluster), postInstallNotes: POST_INSTALL_NOTES }
    : { packageName: PACKAGE_NAME, packageVersion: PACKAGE_VERSION, appId: appIdOf(view.cluster) };
  return json(200, answer, [action], { 'content-type': mediaV2 ? INSTALL_MEDIA.responses[0] : INSTALL_MEDIA.responses[1] });
}

/**
 * The emulated manager's `/package/install`, as Cosmos relays its answers (a 409 becomes ServiceAlreadyStarted, other
 * 4xx CustomPackageManagerError). [INFERRED] what MKE itself checks and answers: MKE is not public; the emulator has it
 * check like Cosmos and answer 409 for a service that exists.
 */
function installThroughManager(managerId: string, body: InstallBody, view: DcosView, state: SurfaceState, mediaV2: boolean): DcosResponse {
  if (!state.managerInstalled || appIdOf(managerId) !== appIdOf(MANAGER_PACKAGE)) return managerNotFound(managerId);
  const lookup = packageLookupError(body.packageName, body.packageVersion);
  if (lookup) return managerError(managerId, 400, lookup);
  const checked = checkOptions(body.options ?? {}, view.cluster, body.appId);
  if ('refusals' in checked) return managerError(managerId, 400, schemaMismatch(checked.refusals));
  // source: dcos/cosmos cosmos-common/.../error/ServiceAlreadyStarted.scala @ v0.6.2 (409, no data)
  if (state.installed) return cosmosError(409, { type: 'ServiceAlreadyStarted', message: 'The DC/OS service has already been started' });
  return startService(checked.layout, view, state, mediaV2);
}

interface InstallBody {
  packageName: string;
  packageVersion?: string | undefined;
  options?: Record<string, unknown> | undefined;
  appId?: string | undefined;
  managerId?: string | undefined;
}

/** Whether the response can be v2 (the client's Accept allows it), else v1. */
function acceptsV2(accept: string | undefined): boolean {
  return accept === undefined || accept.split(',').some((a) => /version=v2/.test(a) || !/version=/.test(a));
}

/**
 * `POST /package/install`. Cosmos forwards to the package's manager when the request names `managerId`, or names a
 * `packageVersion` of a package that has a manager (kubernetes-cluster's is `kubernetes`); otherwise it renders the
 * Marathon app itself (options checked against the package's schema) and a Marathon 409 answers PackageAlreadyInstalled.
 * source: dcos/cosmos cosmos-server/src/main/scala/com/mesosphere/cosmos/handler/PackageInstallHandler.scala,
 * .../service/CustomPackageManagerRouter.scala (getCustomPackageManagerId), .../MarathonPackageRunner.scala @ v0.6.2
 */
export function installPackage(req: CosmosRequest, view: DcosView, state: SurfaceState): DcosResponse {
  const checkedRequest = validateCosmosRequest(req, INSTALL_MEDIA, INSTALL_FIELDS);
  if ('refusal' in checkedRequest) return checkedRequest.refusal;
  const body = checkedRequest.body as unknown as InstallBody;
  const mediaV2 = acceptsV2(req.accept);
  let managerId = body.managerId;
  if ((managerId === undefined || managerId === '') && body.packageVersion !== undefined) {
    // Cosmos looks the version up itself to find the package's manager; a missing package or version ends here.
    const lookup = packageLookupError(body.packageName, body.packageVersion);
    if (lookup) return cosmosError(400, lookup);
    managerId = MANAGER_PACKAGE;
  }
  if (managerId !== undefined && managerId !== '') return installThroughManager(managerId, body, view, state, mediaV2);

  const lookup = packageLookupError(body.packageName, undefined);
  if (lookup) return cosmosError(400, lookup);
  const checked = checkOptions(body.options ?? {}, view.cluster, body.appId);
  if ('refusals' in checked) return cosmosError(400, schemaMismatch(checked.refusals));
  // source: dcos/cosmos cosmos-common/.../error/PackageAlreadyInstalled.scala @ v0.6.2 (409, no data)
  if (state.installed) return cosmosError(409, { type: 'PackageAlreadyInstalled', message: 'Package is already installed' });
  return startService(checked.layout, view, state, mediaV2);
}

/**
 * `POST /package/uninstall`: the named app (else UninstallNonExistentAppForPackage) or the package's apps (else
 * PackageNotInstalled), then — kubernetes-cluster having a manager — always forwarded to the manager
 * (CustomPackageManagerNotFound when it is not installed). The service stops.
 * source: dcos/cosmos cosmos-server/src/main/scala/com/mesosphere/cosmos/handler/UninstallHandler.scala
 * (getMarathonApps, createUninstallOperations, getCustomPackageManagerId with the app's package version) @ v0.6.2
 */
export function uninstallPackage(req: CosmosRequest, view: DcosView, state: SurfaceState): DcosResponse {
  const checkedRequest = validateCosmosRequest(req, UNINSTALL_MEDIA, UNINSTALL_FIELDS);
  if ('refusal' in checkedRequest) return checkedRequest.refusal;
  const { packageName, appId } = checkedRequest.body as { packageName: string; appId?: string };
  const installedId = appIdOf(view.cluster);
  if (appId !== undefined && (!state.installed || appIdOf(appId) !== installedId)) {
    const id = appIdOf(appId);
    return cosmosError(400, { type: 'UninstallNonExistentAppForPackage', message: `Package [${packageName}] with id [${id}] is not installed`, data: { packageName, appId: id } });
  }
  if (packageName !== PACKAGE_NAME || !state.installed) {
    return cosmosError(400, { type: 'PackageNotInstalled', message: `Package [${packageName}] is not installed`, data: { packageName } });
  }
  if (!state.managerInstalled) return managerNotFound(MANAGER_PACKAGE);
  // A scheduler that never registered has no framework or tasks to tear down.
  const registered = state.schedulerFailure === undefined;
  state.installed = false;
  state.schedulerFailure = undefined;
  state.tearingDown = registered;
  // [UNCONFIRMED] the manager's answer; Cosmos's own uninstall result has these fields.
  const answer = { results: [{ packageName: PACKAGE_NAME, appId: installedId, packageVersion: PACKAGE_VERSION, postUninstallNotes: POST_UNINSTALL_NOTES }] };
  return json(200, answer, registered ? [{ kind: 'uninstall-package' }] : [], { 'content-type': UNINSTALL_MEDIA.responses[0] });
}
