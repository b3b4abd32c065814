// Splits argv into a command, positionals and flags; rejects flags the command does not know (UsageError).
import { UsageError } from '../config/options.ts';

export interface FlagSpec {
  /** Flag name without dashes, e.g. `agents`. */
  name: string;
  /** A boolean flag takes no value. */
  boolean?: boolean;
  help: string;
}

export interface ParsedArgs {
  flags: Record<string, string | boolean>;
  positionals: string[];
}

export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[], command: string): ParsedArgs {
  const flags: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw new UsageError(`unknown flag ${JSON.stringify(arg)} (known: ${specs.map((s) => `--${s.name}`).join(', ') || 'none'})`);
    if (spec.boolean) {
      if (eq !== -1) throw new UsageError(`flag --${name} takes no value, got ${JSON.stringify(arg.slice(eq + 1))}`);
      flags[name] = true;
      continue;
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || (eq === -1 && value.startsWith('--'))) throw new UsageError(`flag --${name} needs a value`);
    flags[name] = value;
  }
  return { flags, positionals };
}

export function renderHelp(command: string, summary: string, specs: readonly FlagSpec[]): string {
  const lines = specs.map((s) => `  --${s.name}${s.boolean ? '' : ' <value>'}`.padEnd(28) + s.help);
  return [`Usage: haproof ${command} [flags]`, '', summary, '', 'Flags:', ...lines, '  --help'.padEnd(28) + 'show this help'].join('\n');
}
