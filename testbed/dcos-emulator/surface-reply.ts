// Responses of the DC/OS API surface: a status, headers, a text body and the actions the caller must carry out; the
// SDK's standard answers. source: mesosphere/dcos-commons sdk/scheduler/src/main/java/com/mesosphere/sdk/http/
// ResponseUtils.java @ 0.57.3
import { ALREADY_REPORTED_TEXT } from '../../dcos/schemas.ts';
import type { SurfaceAction } from './surface-state.ts';

export interface DcosResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  actions: SurfaceAction[];
}

export function json(status: number, value: unknown, actions: SurfaceAction[] = [], headers: Record<string, string> = {}): DcosResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value), actions };
}

export function text(status: number, body: string, headers: Record<string, string> = {}): DcosResponse {
  return { status, headers: { 'content-type': 'text/plain', ...headers }, body, actions: [] };
}

export function empty(status: number): DcosResponse {
  return { status, headers: {}, body: '', actions: [] };
}

/** SDK `404 "<Item> <name> not found"`. */
export function notFound(item: 'Plan' | 'Phase' | 'Step' | 'Pod', name: string): DcosResponse {
  return text(404, `${item} ${name} not found`);
}

/** SDK `208 "Command has already been reported or completed"`. */
export function alreadyReported(): DcosResponse {
  return text(208, ALREADY_REPORTED_TEXT);
}

/** SDK `200 {"message": "Received cmd: …"}`. */
export function commandReceived(command: string, actions: SurfaceAction[] = []): DcosResponse {
  return json(200, { message: `Received cmd: ${command}` }, actions);
}
