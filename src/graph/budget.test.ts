import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEVICE_LIMITS, DEFAULT_MEMORY_BUDGET, formatBytes } from './budget';
import { checkGraph } from './check';

const template = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../templates/${name}.json`, import.meta.url), 'utf8')) as {
    nodes: { id: string; params?: Record<string, unknown> }[];
  };

const budgetProblemsOf = (result: ReturnType<typeof checkGraph>) =>
  result.problems.filter((p) => p.code === 'budget');

describe('a training step estimated from the inferred shapes', () => {
  it("counts each network's trainable parameters as inference does", () => {
    const result = checkGraph(template('cyclegan'), { size: 64, ngf: 8, ndf: 8, n_blocks: 2 });
    for (const network of result.estimate!.networks) {
      expect(network.parameters).toBe(result.inference!.networks.get(network.id)!.parameterCount);
    }
    expect(result.estimate!.networks.map((n) => n.id)).toEqual(['G_A', 'G_B', 'D_A', 'D_B']);
  });

  it.each([
    ['adam', 2],
    ['rmsprop', 1],
    ['sgd', 0],
  ] as const)('keeps %s slots per trainable weight: %i', (type, slots) => {
    const doc = template('cyclegan');
    for (const node of doc.nodes) if (node.id.startsWith('opt_')) node.params!.type = type;
    const { estimate } = checkGraph(doc, { size: 32, ngf: 8, ndf: 8, n_blocks: 1 });
    const trainable = estimate!.networks.reduce((sum, n) => sum + n.parameters, 0);
    expect(estimate!.optimizerSlots).toBe(trainable * slots * 4);
  });

  it('grows with the image size and the batch', () => {
    const at = (sets: Record<string, number>) =>
      checkGraph(template('cyclegan'), { ngf: 8, ndf: 8, n_blocks: 1, ...sets }).estimate!;
    const small = at({ size: 32 });
    // Four times the pixels; the PatchGAN's border and the scalar losses keep it a little under.
    const ratio = at({ size: 64 }).activations / small.activations;
    expect(ratio).toBeGreaterThan(3.9);
    expect(ratio).toBeLessThanOrEqual(4);
    expect(at({ size: 32, batch_size: 4 }).batch).toBe(small.batch * 4);
    expect(small.pools).toBe(2 * 50 * 32 * 32 * 3 * 4);
  });
});

describe('the check refuses a graph over the budget before anything is allocated', () => {
  it('passes the reference CycleGAN at 256×256, ngf 64, and DCGAN at 64×64 with batch 128', () => {
    const cyclegan = checkGraph(template('cyclegan'), { size: 256, ngf: 64, n_blocks: 9 });
    expect(cyclegan.problems).toEqual([]);
    expect(cyclegan.estimate!.total).toBeLessThan(DEFAULT_MEMORY_BUDGET);
    const dcgan = checkGraph(template('dcgan'), { size: 64, batch_size: 128 });
    expect(dcgan.problems).toEqual([]);
  });

  it('refuses size 4096 with batch 1024 with the estimate and the limit, at the network', () => {
    const result = checkGraph(template('cyclegan'), { size: 4096, batch_size: 1024 });
    expect(result.valid).toBe(false);
    const [step] = budgetProblemsOf(result);
    expect(step!.message).toMatch(
      /^a training step needs about [\d.]+ PiB; the limit is 16 GiB \(raise the memory budget in the training settings\)$/,
    );
    expect(step!.networkId).toBe('G_A');
    expect(step!.path).toBe('networks[0]');
  });

  it('refuses the absurd link (ngf=1000000) at its ceiling, and the widest ngf with the estimate', () => {
    const absurd = checkGraph(template('cyclegan'), { ngf: 1000000 });
    expect(absurd.valid).toBe(false);
    expect(absurd.problems.some((p) => p.code === 'param' && p.message.includes('512'))).toBe(true);
    const widest = checkGraph(template('cyclegan'), { ngf: 512 });
    expect(budgetProblemsOf(widest).map((p) => p.message)).toContainEqual(
      expect.stringMatching(/^a training step needs about [\d.]+ [TG]iB; the limit is 16 GiB/),
    );
  });

  it('admits the same graph once the budget is raised', () => {
    const sets = { size: 256, ngf: 64, batch_size: 4 };
    expect(checkGraph(template('cyclegan'), sets).valid).toBe(false);
    const raised = { ...DEFAULT_DEVICE_LIMITS, memoryBytes: 64 * 2 ** 30 };
    expect(checkGraph(template('cyclegan'), sets, raised).problems).toEqual([]);
  });

  it("refuses a tensor larger than the device's buffers at the layer that makes it", () => {
    const small = { ...DEFAULT_DEVICE_LIMITS, maxStorageBufferBindingSize: 2 ** 20 };
    const result = checkGraph(template('cyclegan'), { size: 256, ngf: 64 }, small);
    const [tensor] = budgetProblemsOf(result).filter((p) => p.nodeId);
    expect(tensor).toMatchObject({ networkId: 'G_A', nodeId: 'model.25' });
    expect(tensor!.message).toBe(
      'G_A.model.25 output is 1×262×262×64, about 16.8 MiB in one tensor; the device holds at most 1 MiB in one buffer',
    );
  });
});

describe('sizes as a person reads them', () => {
  it.each([
    [512, '512 B'],
    [1536, '1.5 KiB'],
    [192 * 2 ** 30, '192 GiB'],
    [35.24 * 2 ** 20, '35.2 MiB'],
  ])('%i bytes is %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});
