import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileGraph } from './compile';
import { fusedNorms } from './layerFusion';
import type { ProgramNetwork } from './program';

function networks(overrides: Record<string, number | string>): Map<string, ProgramNetwork> {
  const template = readFileSync(new URL('../../templates/cyclegan.json', import.meta.url), 'utf8');
  const compiled = compileGraph(template, overrides);
  if (!compiled.ok) throw new Error(compiled.problems.map((p) => p.message).join('; '));
  return new Map(compiled.program.networks.map((n) => [n.id, n]));
}

const SMALL = { size: 32, ngf: 4, ndf: 4, n_blocks: 2 };

describe('an InstanceNorm runs with its activation', () => {
  it("in each of the ResNet generator's norm-ReLU pairs, and the PatchGAN's norm-LeakyReLU pairs", () => {
    const nets = networks(SMALL);
    const generator = fusedNorms(nets.get('G_A')!, []);
    // The 7×7 stem, two downsamplings, two upsamplings (the blocks fuse inside Residual).
    expect(generator.size).toBe(5);
    for (const { activation, eps } of generator.values()) {
      expect(activation).toEqual({ fn: 'relu' });
      expect(eps).toBe(1e-5);
    }
    const discriminator = fusedNorms(nets.get('D_A')!, []);
    // n_layers_D = 3: the norms after the second, third and fourth convolutions.
    expect(discriminator.size).toBe(3);
    for (const { activation } of discriminator.values()) {
      expect(activation).toEqual({ fn: 'leaky_relu', alpha: 0.2 });
    }
  });

  it('except a norm something else reads: a tap, the output, or a learned scale', () => {
    const net = networks(SMALL).get('G_A')!;
    const [activationId, { norm }] = [...fusedNorms(net, [])][0]!;
    expect(fusedNorms(net, [norm.id]).has(activationId)).toBe(false);
    // Tapping the activation itself keeps the pair: its output is still made.
    expect(fusedNorms(net, [activationId]).has(activationId)).toBe(true);
    const asOutput = { ...net, output: { node: norm.id, port: 'out' } };
    expect(fusedNorms(asOutput, []).has(activationId)).toBe(false);
    const affine = {
      ...net,
      layers: net.layers.map((l) =>
        l.id === norm.id ? { ...l, params: { ...l.params, affine: true } } : l,
      ),
    };
    expect(fusedNorms(affine, []).has(activationId)).toBe(false);
  });
});
