// The nightly workflow is valid YAML of the expected shape, and its run step is ci/nightly.sh (one set of steps).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { parse } from 'yaml';
import { z } from 'zod';

const root = join(import.meta.dirname, '..', '..');
const step = z.looseObject({ name: z.string(), uses: z.string().optional(), run: z.string().optional(), if: z.string().optional(), with: z.record(z.string(), z.unknown()).optional() });
const workflow = z.looseObject({
  name: z.string(),
  on: z.looseObject({ schedule: z.array(z.object({ cron: z.string() })).min(1), workflow_dispatch: z.unknown() }),
  jobs: z.record(z.string(), z.looseObject({
    'runs-on': z.array(z.string()),
    strategy: z.looseObject({ matrix: z.looseObject({ target: z.array(z.string()) }) }),
    steps: z.array(step).min(1),
  })),
});

test('the nightly workflow parses and has the expected shape', () => {
  const wf = workflow.parse(parse(readFileSync(join(root, '.github', 'workflows', 'nightly.yml'), 'utf8')));
  expect(wf.on.schedule[0]!.cron.split(' ')).toHaveLength(5);
  const job = Object.values(wf.jobs)[0]!;
  expect(job['runs-on']).toEqual(['self-hosted', 'linux']);
  expect(job.strategy.matrix.target).toEqual(['testbed', 'dcos']);
  const runs = job.steps.filter((s) => s.run !== undefined);
  // The only step that runs haproof is the script any other scheduler runs too.
  expect(runs.filter((s) => /^ci\/nightly\.sh$|npm |bin\/haproof|playwright/m.test(s.run!)).map((s) => s.run!.trim())).toEqual(['ci/nightly.sh']);
  expect(job.steps.find((s) => s.uses?.startsWith('actions/cache@'))?.with?.['path']).toContain('~/.cache/haproof');
  expect(job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))?.with?.['path']).toBe('${{ steps.run.outputs.run_dir }}');
});

test('ci/nightly.sh runs the main job with a seed, prints it, and is executable', () => {
  const script = readFileSync(join(root, 'ci', 'nightly.sh'), 'utf8');
  expect(script).toContain('npm start -- --seed "${seed}"');
  expect(script).toMatch(/echo "haproof nightly: seed \$\{seed\}/);
  expect(statSync(join(root, 'ci', 'nightly.sh')).mode & 0o111).not.toBe(0);
});
