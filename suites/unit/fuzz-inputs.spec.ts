// Property-based fuzzing of the files a user hands haproof: options files (`up --options`) and DC/OS target files.
// Valid files are mutated (wrong types, unknown keys, huge and negative numbers, NaN strings, long strings, path
// tricks, NUL, binary and non-UTF-8 bytes, empty files, arrays for objects, deep nesting); every case must parse to a
// valid value or throw a UsageError naming the offending field (or saying what is wrong with the file as a whole) —
// never another error — and write nothing anywhere. Seeded from HAPROOF_SEED; fast-check prints the seed and path of
// a failing case, to replay it.
import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs, { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import fc from 'fast-check';
import { parseTestbedOptions, testbedOptionsSchema, UsageError } from '../../config/options.ts';
import { readDcosTarget, sshKeyProblem } from '../../dcos/target-file.ts';

const SEED = Number(process.env['HAPROOF_SEED'] ?? Date.now() % 2 ** 31);
const RUNS = 1_000;

// ---- what a case is: a valid object, mutations of it, and maybe a change of the file as a whole ----

type Path = string[];
/** A JSON value, or raw JSON text where JSON.stringify cannot write it (1e400, 30 digits, 100 000 brackets). */
type Value = { json: unknown } | { raw: string };
type Op = { set: Path; value: Value } | { remove: Path };
type WholeFile = 'none' | 'empty' | 'whitespace' | 'binary' | 'truncated' | 'non-utf8' | 'bom' | 'top-level' | 'deep' | 'huge';
interface Case { base: Record<string, unknown>; ops: Op[]; file: WholeFile; bytes?: Uint8Array; topLevel?: unknown; cut?: number; depth?: number }

const PATH_TRICKS = ['../../etc/passwd', '/etc/passwd', '..', '.', '/', '/dev/zero', '/dev/null', '/proc/self/mem', '~/.ssh/id_rsa', 'a\u0000b', '\u0000',
  'C:\\Windows\\system32', 'file:///etc/passwd', '%2e%2e/%2e%2e/etc/passwd', '\u202etxt.exe', '$(touch /tmp/hpf-pwned)', '`id`', '; rm -rf /', '\\\\?\\C:\\', ' '];
const NUMBERISH = ['NaN', 'Infinity', '-Infinity', '', ' ', '0x10', '1_000', '4', ' 5 ', '1e3', '-1', '4.5', '+7', '٤', '5abc', 'null', 'true'];

const key = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' ', 'agent', 'Agents', 'clusters', 'URL', 'ssh ', '../x', 'a.b', '0', 'ключ', '🔑'),
  fc.stringMatching(/^[A-Za-z0-9_.\- /]{1,30}$/),
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => 'k'.repeat(n)),
);

const value: fc.Arbitrary<Value> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -0, -1, 1.5, 2 ** 53 + 2, -(2 ** 31), Number.MAX_VALUE, 1e300, [], {}, [5], ['4'], { value: 5 }).map((json) => ({ json })),
  fc.integer().map((json) => ({ json })),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((json) => ({ json })),
  fc.constantFrom('1e400', '-1e400', '123456789012345678901234567890', '1e-400', '-0.0', '4.0', '1E1').map((raw) => ({ raw })),
  fc.constantFrom(...NUMBERISH, ...PATH_TRICKS).map((json) => ({ json })),
  fc.string({ unit: 'binary', maxLength: 40 }).map((json) => ({ json })),
  fc.integer({ min: 1_000, max: 200_000 }).map((n) => ({ json: 'x'.repeat(n) })),
  fc.integer({ min: 10, max: 100_000 }).map((n) => ({ raw: `${'['.repeat(n)}${']'.repeat(n)}` })),
  fc.integer({ min: 10, max: 20_000 }).map((n) => ({ raw: `${'{"a":'.repeat(n)}1${'}'.repeat(n)}` })),
  fc.jsonValue({ maxDepth: 3 }).map((json) => ({ json })),
);

/** A case from a valid object: known paths (and unknown keys under `objects`) set to odd values or removed. */
function caseOf(base: fc.Arbitrary<Record<string, unknown>>, known: Path[], objects: Path[]): fc.Arbitrary<Case> {
  const path = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...objects), key).map(([at, k]) => [...at, k]) },
  );
  const op: fc.Arbitrary<Op> = fc.oneof({ weight: 4, arbitrary: fc.record({ set: path, value }) }, { weight: 1, arbitrary: fc.record({ remove: path }) });
  return fc.record({
    base,
    ops: fc.array(op, { minLength: 1, maxLength: 4 }),
    file: fc.oneof(
      { weight: 12, arbitrary: fc.constant<WholeFile>('none') },
      { weight: 1, arbitrary: fc.constantFrom<WholeFile>('empty', 'whitespace', 'binary', 'truncated', 'non-utf8', 'bom', 'top-level', 'deep', 'huge') },
    ),
    bytes: fc.uint8Array({ maxLength: 200 }),
    topLevel: fc.oneof(fc.jsonValue({ maxDepth: 2 }).filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)), fc.constant([{}])),
    cut: fc.nat(),
    depth: fc.integer({ min: 1, max: 200_000 }),
  });
}

/** The object a case's mutations give (the base is copied; a set below a non-object is skipped). */
function mutated(c: Case): { object: Record<string, unknown>; raws: string[]; touched: Path[] } {
  const object = structuredClone(c.base);
  const raws: string[] = [];
  const touched: Path[] = [];
  for (const op of c.ops) {
    const path = 'set' in op ? op.set : op.remove;
    let at: Record<string, unknown> | undefined = object;
    for (const k of path.slice(0, -1)) {
      const next: unknown = at?.[k];
      at = next && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : undefined;
    }
    if (!at) continue;
    const last = path.at(-1)!;
    touched.push(path);
    if ('remove' in op) delete at[last];
    else if ('json' in op.value) Object.defineProperty(at, last, { value: structuredClone(op.value.json), enumerable: true, writable: true, configurable: true });
    else Object.defineProperty(at, last, { value: `@@RAW${raws.push(op.value.raw) - 1}@@`, enumerable: true, writable: true, configurable: true });
  }
  return { object, raws, touched };
}

/** The bytes of the file a case stands for. */
function fileBytes(c: Case): Buffer {
  const { object, raws } = mutated(c);
  const text = JSON.stringify(object).replace(/"@@RAW(\d+)@@"/g, (_m, i: string) => raws[Number(i)]!);
  switch (c.file) {
    case 'none': return Buffer.from(text);
    case 'empty': return Buffer.alloc(0);
    case 'whitespace': return Buffer.from(' \n\t\r ');
    case 'binary': return Buffer.from(c.bytes!);
    case 'truncated': return Buffer.from(text.slice(0, c.cut! % Math.max(1, text.length - 1)));
    // A byte that is no UTF-8 at all, inside the first string of an otherwise valid file.
    case 'non-utf8': return Buffer.concat([Buffer.from(text.slice(0, text.indexOf('"') + 1)), Buffer.from([0xff, 0xfe]), Buffer.from(text.slice(text.indexOf('"') + 1))]);
    case 'bom': return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    case 'top-level': return Buffer.from(JSON.stringify(c.topLevel));
    case 'deep': return Buffer.from(`${'['.repeat(c.depth!)}${']'.repeat(c.depth!)}`);
    case 'huge': return Buffer.from(JSON.stringify({ ...object, padding: 'x'.repeat(1024 * 1024) }));
  }
}

/** The JSON the parser saw, as far as there is one (undefined: not JSON, or not UTF-8). */
function jsonSeen(bytes: Buffer): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}

// ---- the oracle ----

/** A message names `path` if the dotted path (or, for an unknown key, the key) stands in it as a word. */
function names(message: string, path: Path): boolean {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // A long key is cut in the message: its first 50 characters must be there.
  const word = (s: string) => (s === '' ? message.includes('""')
    : new RegExp(`(^|[\\s("'.:])${esc(s.slice(0, 50))}${s.length > 50 ? '' : `($|[\\s)"'.:,…])`}`).test(message));
  return word(path.join('.')) || word(path.at(-1)!) || (path.length > 1 && word(path.slice(0, -1).join('.')));
}
const WHOLE_FILE = /: (not valid JSON \(|must be a JSON object|too big for an input file)/;

/** Plain checks in the properties: Playwright's expect records a step per call, too slow for thousands of cases. */
function ensure(ok: boolean, why: () => string): void {
  if (!ok) throw new Error(why());
}

/** An error is right if it is a UsageError that names a touched field, or what is wrong with the file as a whole. */
function expectNamedUsageError(e: unknown, touched: Path[], c: Case): void {
  ensure(e instanceof UsageError, () => `not a UsageError: ${(e as Error)?.stack ?? e}`);
  const message = (e as UsageError).message;
  // A line each, none endless, no raw control character sent to a terminal.
  const lines = message.split('\n');
  ensure(lines.length <= 11, () => `${lines.length} lines: ${message.slice(0, 500)}`);
  ensure(lines.every((l) => l.length < 2_000), () => `a line of ${Math.max(...lines.map((l) => l.length))} characters: ${message.slice(0, 500)}`);
  ensure(!/[\u0000-\u0009\u000b-\u001f\u007f]/.test(message), () => `raw control characters: ${JSON.stringify(message.slice(0, 500))}`);
  const wholeFile = c.file !== 'none' && c.file !== 'bom';
  if (wholeFile && WHOLE_FILE.test(message)) return;
  ensure(touched.some((p) => names(message, p)), () => `names none of ${JSON.stringify(touched.map((p) => p.join('.').slice(0, 60)))}: ${message.slice(0, 500)}`);
}

type Shape = 'string' | 'number' | 'numberish' | 'true' | { [k: string]: Shape };
/** The types a parsed-to-success input may hold at each key (an independent, simple model of the schema). */
function fitsShape(v: unknown, shape: Shape): boolean {
  if (shape === 'string') return typeof v === 'string';
  if (shape === 'number') return typeof v === 'number';
  if (shape === 'numberish') return typeof v === 'number' || (typeof v === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(v));
  if (shape === 'true') return v === true;
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  return Object.entries(v).every(([k, x]) => Object.hasOwn(shape, k) && fitsShape(x, shape[k]!));
}

// ---- no side effects: every fs write from this process is caught while a parser runs ----

const WRITERS = ['writeFileSync', 'writeFile', 'appendFileSync', 'appendFile', 'mkdirSync', 'mkdir', 'mkdtempSync', 'mkdtemp', 'copyFileSync', 'copyFile', 'cpSync',
  'renameSync', 'rename', 'rmSync', 'rm', 'unlinkSync', 'unlink', 'symlinkSync', 'linkSync', 'truncateSync', 'createWriteStream', 'chmodSync', 'utimesSync'] as const;
const writes: string[] = [];
let watching = false;
const originals = new Map<string, unknown>();

function watchWrites(): void {
  const f = fs as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const name of [...WRITERS, 'openSync', 'open']) {
    const original = f[name]!;
    originals.set(name, original);
    f[name] = function (this: unknown, ...args: unknown[]) {
      const flags = name.startsWith('open') ? args[1] : 'w';
      if (watching && (flags === undefined ? false : typeof flags === 'number' ? (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT)) !== 0 : /[wa+]/.test(String(flags)))) {
        writes.push(`${name}(${String(args[0]).slice(0, 100)})`);
      }
      return original.apply(this, args);
    };
  }
  syncBuiltinESMExports();
}

function unwatchWrites(): void {
  const f = fs as unknown as Record<string, unknown>;
  for (const [name, original] of originals) f[name] = original;
  syncBuiltinESMExports();
}

function quiet<T>(parse: () => T): T {
  watching = true;
  try {
    return parse();
  } finally {
    watching = false;
  }
}

/** Every path under /run/haproof but a live testbed's etcd data (its members write there at any time). */
function runHaproofPaths(dir = '/run/haproof', depth = 0): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (depth === 1 && d.name === 'data') return [p];
    return d.isDirectory() ? [p, ...runHaproofPaths(p, depth + 1)] : [p];
  });
}
const netns = () => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('hpf-')).map((l) => l.split(' ')[0]).sort();

// ---- the inputs ----

const OPTION_KEYS: Path[] = ['cluster', 'agents', 'relaunchDelayMs', 'nodeMonitorGracePeriodSeconds', 'podEvictionSeconds', 'defect'].map((k) => [k]);
const OPTIONS_SHAPE: Shape = { cluster: 'string', agents: 'numberish', relaunchDelayMs: 'numberish', nodeMonitorGracePeriodSeconds: 'numberish', podEvictionSeconds: 'numberish', defect: 'string' };
const validOptions = fc.subarray(OPTION_KEYS.map((k) => k[0]!)).map((keys) => {
  const all: Record<string, unknown> = { cluster: 'prod-1', agents: 5, relaunchDelayMs: '500', nodeMonitorGracePeriodSeconds: 20, podEvictionSeconds: 10, defect: 'no-leader-election' };
  return Object.fromEntries(keys.map((k) => [k, all[k]]));
});
const optionsCase = caseOf(validOptions, OPTION_KEYS, [[]]);

const TARGET_KNOWN: Path[] = [
  ['url'], ['ca'], ['insecure'], ['credentials'], ['ssh'], ['ssh', 'user'], ['ssh', 'keyPath'], ['ssh', 'port'], ['ssh', 'knownHosts'], ['ssh', 'insecureHostKeys'],
  ['kubernetes'], ['kubernetes', 'kubeconfig'], ['kubernetes', 'caFile'], ['kubernetes', 'clientCert'], ['kubernetes', 'clientKey'],
  ['etcd'], ['etcd', 'etcdctl'], ['etcd', 'caFile'], ['etcd', 'certFile'], ['etcd', 'keyFile'], ['service'], ['service', 'name'],
];
const strings = (...keys: string[]): Shape => Object.fromEntries(keys.map((k) => [k, 'string' as Shape]));
const TARGET_SHAPE: Shape = {
  url: 'string', ca: 'string', insecure: 'true', credentials: 'string',
  ssh: { user: 'string', keyPath: 'string', port: 'number', knownHosts: 'string', insecureHostKeys: 'true' },
  kubernetes: strings('kubeconfig', 'caFile', 'clientCert', 'clientKey'), etcd: strings('etcdctl', 'caFile', 'certFile', 'keyFile'),
  service: strings('name'), enterprise: strings('serviceAccount', 'serviceAccountSecret'),
};
const validTarget = fc.record({ insecure: fc.boolean(), insecureHostKeys: fc.boolean(), port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }) }).map((o) => ({
  url: 'https://dcos.example.com', ...(o.insecure ? { insecure: true } : { ca: 'dcos-ca.crt' }), credentials: 'creds.json',
  ssh: { user: 'core', keyPath: 'id_ed25519', ...(o.insecureHostKeys ? { insecureHostKeys: true } : { knownHosts: 'known_hosts' }), ...(o.port ? { port: o.port } : {}) },
  kubernetes: { kubeconfig: 'admin.kubeconfig', caFile: 'k8s-ca.crt', clientCert: 'admin.crt', clientKey: 'admin.key' },
  etcd: { etcdctl: '/opt/etcdctl', caFile: '/etc/etcd/ca.crt', certFile: '/etc/etcd/client.crt', keyFile: '/etc/etcd/client.key' },
  service: { name: 'dev/kubernetes01' },
}));
const targetCase = caseOf(validTarget, TARGET_KNOWN, [[], ['ssh'], ['kubernetes'], ['etcd'], ['service']]);

// ---- the properties ----

let root: string;
let inputs: string;
let cwd: string;
let given: string[];

test.beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'haproof-fuzz-'));
  inputs = join(root, 'in');
  cwd = join(root, 'cwd');
  mkdirSync(inputs);
  mkdirSync(cwd);
  // A real, unencrypted key in a format the SSH client reads.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  for (const [name, text] of [['dcos-ca.crt', 'pem'], ['creds.json', '{"token":"x"}'], ['known_hosts', ''], ['id_ed25519', privateKey], ['admin.kubeconfig', 'k'], ['k8s-ca.crt', 'c'], ['admin.crt', 'c'], ['admin.key', 'k']] as const) {
    writeFileSync(join(inputs, name), text);
  }
  given = readdirSync(inputs).sort();
});

test.afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs `property` over `arb` with every fs write caught and the working directory an empty one; then checks disk. */
function fuzz<T>(arb: fc.Arbitrary<T>, numRuns: number, property: (c: T) => void): void {
  const before = runHaproofPaths();
  const home = process.cwd();
  writes.length = 0;
  watchWrites();
  process.chdir(cwd);
  try {
    fc.assert(fc.property(arb, property), { numRuns, seed: SEED });
  } finally {
    process.chdir(home);
    unwatchWrites();
  }
  expect(writes, 'a parser wrote to disk').toEqual([]);
  expect(readdirSync(cwd), 'something was made in the working directory').toEqual([]);
  expect(readdirSync(inputs).sort()).toEqual([...given, 'case.json'].sort());
  expect(runHaproofPaths().filter((p) => !before.includes(p)), 'something appeared under /run/haproof').toEqual([]);
}

test('options files: 1000 mutations each parse to valid options or a UsageError naming the field', () => {
  test.setTimeout(120_000);
  fuzz(optionsCase, RUNS, (c) => {
    const bytes = fileBytes(c);
    const file = join(inputs, 'case.json');
    writeFileSync(file, bytes);
    let parsed;
    try {
      parsed = quiet(() => parseTestbedOptions({}, file));
    } catch (e) {
      expectNamedUsageError(e, mutated(c).touched, c);
      return;
    }
    // Parsed: a valid value, from a file whose every key is known and of an accepted type.
    ensure(JSON.stringify(testbedOptionsSchema.parse(parsed)) === JSON.stringify(parsed), () => `not a valid value: ${JSON.stringify(parsed)}`);
    ensure(fitsShape(jsonSeen(bytes), OPTIONS_SHAPE), () => `accepted ${bytes.toString('utf8').slice(0, 300)}`);
  });
});

test('DC/OS target files: 1000 mutations each read to a valid target or a UsageError naming the field', () => {
  test.setTimeout(120_000);
  fuzz(targetCase, RUNS, (c) => {
    const bytes = fileBytes(c);
    const file = join(inputs, 'case.json');
    writeFileSync(file, bytes);
    let target;
    try {
      target = quiet(() => readDcosTarget(file));
    } catch (e) {
      expectNamedUsageError(e, mutated(c).touched, c);
      return;
    }
    ensure(fitsShape(jsonSeen(bytes), TARGET_SHAPE), () => `accepted ${bytes.toString('utf8').slice(0, 300)}`);
    ensure(/^https:\/\/[^@/]+$/.test(target.url) && target.credentialsFile.startsWith('/'), () => `not a valid target: ${JSON.stringify(target)}`);
  });
});

test('a target URL with a password: refused, and the password never shown, whatever else is wrong', () => {
  const urlCase = fc.record({
    c: targetCase,
    password: fc.stringMatching(/^[A-Za-z0-9]{8,16}$/).map((s) => `pw${s}`),
    form: fc.constantFrom('https://u:P@dcos.example.com', 'https://u:P@', 'https:u:P@h', ' https://u:P@h/', 'https:\\\\u:P@h', 'http://u:P@h', 'https://:P@h:99999', 'https://u:P@@h'),
  });
  fuzz(urlCase, 300, ({ c, password, form }) => {
    const withUrl = { ...c, file: 'none' as const, ops: [...c.ops.filter((o) => ('set' in o ? o.set : o.remove)[0] !== 'url'), { set: ['url'], value: { json: form.replace('P', password) } }] };
    writeFileSync(join(inputs, 'case.json'), fileBytes(withUrl));
    try {
      quiet(() => readDcosTarget(join(inputs, 'case.json')));
    } catch (e) {
      ensure(e instanceof UsageError, () => `not a UsageError: ${(e as Error).stack}`);
      ensure(!(e as Error).message.includes(password), () => `shows the password: ${(e as Error).message.slice(0, 500)}`);
      return;
    }
    throw new Error(`accepted the url ${JSON.stringify(form)}`);
  });
});

test('ssh keys: any bytes give a usable key or a reason, never a throw', () => {
  fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 4_000 }), fc.string({ unit: 'binary' }).map((s) => new TextEncoder().encode(`-----BEGIN OPENSSH PRIVATE KEY-----\n${s}\n-----END OPENSSH PRIVATE KEY-----\n`))), (bytes) => {
    const problem = sshKeyProblem(Buffer.from(bytes));
    ensure(problem === undefined || typeof problem === 'string', () => `gave ${String(problem)}`);
  }), { numRuns: 300, seed: SEED });
});

// Each bug the fuzzing found, kept as a named case (what the parser did before in the comment).
test('regressions found by fuzzing', () => {
  const file = (name: string, text: string | Buffer) => {
    const p = join(inputs, name);
    writeFileSync(p, text);
    return p;
  };
  const options = (text: string | Buffer) => () => parseTestbedOptions({}, file('regression.json', text));
  const target = (over: Record<string, unknown>) => () => readDcosTarget(file('regression.json', JSON.stringify({
    url: 'https://dcos.example.com', ca: 'dcos-ca.crt', credentials: 'creds.json', ssh: { user: 'core', keyPath: 'id_ed25519', knownHosts: 'known_hosts' }, ...over,
  })));
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  // Wrong JSON types were coerced (z.coerce): [5] → 5, null → 0, true → 1, "" → 0, and accepted.
  expect(options('{"agents":[5]}')).toThrow(/: agents: must be a number: got \[5\]$/);
  expect(options('{"relaunchDelayMs":null}')).toThrow(/: relaunchDelayMs: must be a number: got null$/);
  expect(options('{"relaunchDelayMs":true}')).toThrow(/: relaunchDelayMs: must be a number: got true$/);
  expect(options('{"podEvictionSeconds":""}')).toThrow(/: podEvictionSeconds: must be a number: got ""$/);
  expect(parseTestbedOptions({ agents: ' 6 ' }, file('regression.json', '{"relaunchDelayMs":"250"}'))).toMatchObject({ agents: 6, relaunchDelayMs: 250 });
  // A value nested 100 000 deep overflowed the stack (RangeError) when the error quoted it.
  expect(options(`{"agents":${deep(100_000)}}`)).toThrow(/: agents: must be a number: got \[\[\["\[…\]"\]\]\]$/);
  expect(options(deep(100_000))).toThrow(/: must be a JSON object \(\{"key": value, \.\.\.\}\), got an array$/);
  const deepSsh = file('regression.json', `{"url":"https://dcos.example.com","insecure":true,"credentials":"creds.json","ssh":${deep(100_000)}}`);
  expect(() => readDcosTarget(deepSsh)).toThrow(/: ssh: Invalid input: expected object, received array: got \[\[\["\[…\]"\]\]\]$/);
  // A whole file that was no object read "file:: Invalid input…"; 42, null, [] now say what the file must be.
  expect(options('42')).toThrow(/options file .*: must be a JSON object .*, got a number$/);
  // Long values and keys were quoted whole: one 200 kB line.
  expect(options(JSON.stringify({ cluster: 'x'.repeat(200_000) }))).toThrow(/: cluster: must be 1-24 characters.*: got "x{100}… \(200000 characters\)"$/);
  expect(target({ credentials: 'x'.repeat(5_000) })).toThrow(/: credentials: cannot read "[^"]{200}…" \(ENAMETOOLONG\)$/);
  // Bytes that are no UTF-8 became U+FFFD and were blamed on another field (or accepted inside a value).
  expect(options(Buffer.concat([Buffer.from('{"cluster":"pro'), Buffer.from([0xff]), Buffer.from('d"}')]))).toThrow(/: not valid JSON \(not UTF-8 text: invalid byte at offset 15\)$/);
  // A UTF-8 byte order mark (as Windows editors write) was "not valid JSON".
  expect(parseTestbedOptions({}, file('regression.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"agents":5}')]))).agents).toBe(5);
  // JSON.parse's message quoted raw control characters to the terminal.
  expect(options('\u0000')).toThrow(/not valid JSON \(.*\\u0000.*\)$/);
  // A file bigger than any input (or /dev/zero) was read to the end; /dev/zero never ends.
  expect(() => parseTestbedOptions({}, '/dev/zero')).toThrow(/--options \/dev\/zero: too big for an input file/);
  // A URL with a password that is no valid URL was quoted with the password.
  expect(target({ url: 'https://admin:hunter2@' })).toThrow(/: url: must not carry credentials/);
  expect(target({ url: 'https://admin:hunter2@' })).not.toThrow(/hunter2/);
  // ssh.keyPath a directory threw a raw EISDIR Error (exit 1 with a stack); /dev/zero hung reading forever.
  expect(target({ ssh: { user: 'core', keyPath: '..', knownHosts: 'known_hosts' } })).toThrow(/: ssh\.keyPath: ".*" is a directory, not a file$/);
  expect(target({ ssh: { user: 'core', keyPath: '/dev/zero', knownHosts: 'known_hosts' } })).toThrow(/: ssh\.keyPath: "\/dev\/zero" is not a regular file$/);
  // ssh.keyPath /proc/self/mem (a regular, readable file that fails to read) threw a raw EIO Error.
  expect(target({ ssh: { user: 'core', keyPath: '/proc/self/mem', knownHosts: 'known_hosts' } })).toThrow(/: ssh\.keyPath: cannot read "\/proc\/self\/mem" \(EIO\)$/);
  // credentials a directory was accepted (read later, elsewhere); NUL in the agents' paths was accepted.
  expect(target({ credentials: '/' })).toThrow(/: credentials: "\/" is a directory, not a file$/);
  expect(target({ etcd: { etcdctl: '/opt/etcd\u0000ctl', caFile: 'c', certFile: 'c', keyFile: 'k' } })).toThrow(/: etcd\.etcdctl: must not contain a NUL character/);
  rmSync(join(inputs, 'regression.json'));
});

test('the CLI: `haproof up --options <bad file>` for 20 generated files exits 2, names the field, creates nothing', async () => {
  test.setTimeout(180_000);
  const bin = join(import.meta.dirname, '..', '..', 'bin', 'haproof.mjs');
  // Only files the parser refuses are run: a file it accepted would start a testbed.
  const cases = fc.sample(optionsCase.filter((c) => c.file !== 'huge'), { numRuns: 200, seed: SEED }).flatMap((c, i) => {
    const file = join(inputs, `cli-${i}.json`);
    writeFileSync(file, fileBytes(c));
    try {
      parseTestbedOptions({}, file);
      rmSync(file);
      return [];
    } catch (e) {
      expectNamedUsageError(e, mutated(c).touched, c);
      return [{ file, c, message: (e as Error).message }];
    }
  }).slice(0, 20);
  expect(cases).toHaveLength(20);
  const before = { netns: netns(), run: runHaproofPaths() };
  const spawned = join(root, 'cli-cwd');
  mkdirSync(spawned);
  const runOne = (file: string) => new Promise<{ code: number | null; out: string }>((done) => {
    // `--agents 1` as a safety net: were a file ever accepted, the flag is refused (exit 2) before anything starts.
    const p = spawn(process.execPath, [bin, 'up', '--options', file, '--agents', '1'], { cwd: spawned, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let out = '';
    p.stdout.on('data', (d: Buffer) => { out += d; });
    p.stderr.on('data', (d: Buffer) => { out += d; });
    p.on('close', (code) => done({ code, out }));
  });
  const results: Array<{ code: number | null; out: string }> = [];
  for (let i = 0; i < cases.length; i += 5) results.push(...await Promise.all(cases.slice(i, i + 5).map((x) => runOne(x.file))));
  cases.forEach(({ c, message }, i) => {
    const r = results[i]!;
    expect(r.code, r.out).toBe(2);
    expect(r.out).toContain(`haproof up: ${message}`);
    expectNamedUsageError(new UsageError(r.out.replace(/^haproof up: /, '').trimEnd()), mutated(c).touched, c);
  });
  expect(netns()).toEqual(before.netns);
  expect(readdirSync(spawned)).toEqual([]);
  expect(runHaproofPaths().filter((p) => !before.run.includes(p))).toEqual([]);
});
