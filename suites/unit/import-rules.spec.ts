// The import rules (.dependency-cruiser.cjs) hold on the tree and fail on a deliberately bad import: a checker that
// imports a target, a report that imports a checker's code, a circle. Run on a throw-away tree in a temp directory.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';

const root = join(import.meta.dirname, '..', '..');
const depcruise = join(root, 'node_modules', '.bin', 'depcruise');

function cruise(files: Record<string, string>): { status: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'haproof-imports-'));
  try {
    copyFileSync(join(root, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', allowImportingTsExtensions: true, noEmit: true } }));
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), text);
    }
    const r = spawnSync(depcruise, ['--config', '.dependency-cruiser.cjs', '--output-type', 'err', ...new Set(Object.keys(files).map((f) => f.split('/')[0]!))], { cwd: dir, encoding: 'utf8' });
    return { status: r.status, out: `${r.stdout}${r.stderr}`.replace(/\u001b\[[0-9;]*m/g, '') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the tree itself has no import circle and breaks no rule', () => {
  const out = execFileSync('npm', ['run', '-s', 'lint:imports'], { cwd: root, encoding: 'utf8' });
  expect(out).toContain('no dependency violations');
});

test('a checker importing a target is refused (checkers-are-pure)', () => {
  const r = cruise({
    'checkers/check-x.ts': "import { connect } from '../targets/connect.ts';\nexport const x = connect;\n",
    'targets/connect.ts': 'export const connect = 1;\n',
  });
  expect(r.status).not.toBe(0);
  expect(r.out).toContain('checkers-are-pure: checkers/check-x.ts → targets/connect.ts');
});

test('a report calling checker code is refused; a type-only import of its figures is allowed', () => {
  const bad = cruise({
    'reports/html/x.ts': "import { checkAll } from '../../checkers/index.ts';\nexport const x = checkAll;\n",
    'checkers/index.ts': 'export const checkAll = 1;\n',
  });
  expect(bad.status).not.toBe(0);
  expect(bad.out).toContain('reports-read-stored-files: reports/html/x.ts → checkers/index.ts');
  const ok = cruise({
    'reports/html/x.ts': "import type { Verdict } from '../../history/verdict.ts';\nexport type X = Verdict;\n",
    'history/verdict.ts': 'export interface Verdict { verdict: string }\n',
  });
  expect(ok.out).toContain('no dependency violations');
  expect(ok.status).toBe(0);
});

test('an import circle is refused, and chaos importing the CLI is refused', () => {
  const r = cruise({
    'testbed/a.ts': "import { b } from './b.ts';\nexport const a = b;\n",
    'testbed/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
    'chaos/run.ts': "import { main } from '../cli/main.ts';\nexport const run = main;\n",
    'cli/main.ts': 'export const main = 1;\n',
  });
  expect(r.status).not.toBe(0);
  expect(r.out).toContain('no-circular');
  expect(r.out).toContain('chaos-never-imports-suites-or-cli: chaos/run.ts → cli/main.ts');
});
