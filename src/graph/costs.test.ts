import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkGraph } from './check';
import { stepCosts } from './costs';

const CYCLEGAN = readFileSync(new URL('../../templates/cyclegan.json', import.meta.url), 'utf8');

/** The reference CycleGAN at 256×256: ResNet-9 generators, 70×70 PatchGANs, batch 1. */
function reference() {
  const { graph, inference, valid } = checkGraph(CYCLEGAN);
  if (!valid || !graph || !inference) throw new Error('the CycleGAN template does not check');
  return { graph, inference, costs: stepCosts(graph, inference) };
}

describe('stepCosts', () => {
  it('counts the ResNet-9 generator at 256 as the reference does: 11,378,179 parameters', () => {
    const G_A = reference().costs.networks.find((n) => n.id === 'G_A')!;
    expect(G_A.parameters).toBe(11_378_179);
  });

  it('counts the multiply-adds of the ResNet-9 generator as its layer shapes give them', () => {
    const { graph, inference, costs } = reference();
    const G_A = costs.networks.find((n) => n.id === 'G_A')!;
    const body = inference.networks.get('G_A')!.applications.get(G_A.application)!;
    // Independently: a convolution is output elements × kernel area × input channels, a
    // transposed one input elements × kernel area × output channels, a residual block two 3×3
    // convolutions that keep the shape.
    let expected = 0;
    // thop counts a transposed convolution as output elements × kernel area × input channels.
    let thop = 0;
    for (const layer of graph.networks.find((n) => n.id === 'G_A')!.body.nodes) {
      const shapes = body.nodes.get(layer.id);
      if (!shapes || (layer.kind.kind !== 'Conv' && layer.kind.kind !== 'Residual')) continue;
      const [n, h, w, c] = shapes.inputs.in!;
      const out = shapes.outputs.out!;
      const outElements = out.reduce((a, b) => a * b, 1);
      if (layer.kind.kind === 'Conv') {
        const k = layer.params.kernel as number;
        expected += layer.params.transposed
          ? n! * h! * w! * c! * k * k * out[3]!
          : outElements * k * k * c!;
        thop += outElements * k * k * c!;
      } else {
        expected += 2 * outElements * 9 * c!;
        thop += 2 * outElements * 9 * c!;
      }
    }
    expect(G_A.multiplyAdds).toBe(expected);
    expect(G_A.multiplyAdds / 1e9).toBeCloseTo(49.55, 2);
    // The figure GAN Compression (Li et al., 2020, table 1) gives for this generator, counted
    // with thop: 56.8 G.
    expect(thop / 1e9).toBeCloseTo(56.8, 1);
  });

  it("sums a network's layers to the network's figures", () => {
    for (const network of reference().costs.networks) {
      const total = (key: 'parameters' | 'multiplyAdds' | 'activationBytes') =>
        network.layers.reduce((n, l) => n + l[key], 0);
      expect(total('parameters'), network.id).toBe(network.parameters);
      expect(total('multiplyAdds'), network.id).toBe(network.multiplyAdds);
      expect(total('activationBytes'), network.id).toBe(network.activationBytes);
    }
  });

  it('counts a step over every application: each generator three times, each discriminator three times', () => {
    const { costs } = reference();
    const perNetwork = costs.networks.reduce(
      (n, c) => n + c.multiplyAdds * c.applications.length,
      0,
    );
    expect(costs.multiplyAdds).toBe(perNetwork);
    expect(costs.networks.map((n) => n.applications.length)).toEqual([3, 3, 3, 3]);
  });

  it("is the source of the budget: its parameters are the estimate's", () => {
    const { graph, inference } = reference();
    const estimate = checkGraph(CYCLEGAN).estimate!;
    const costs = stepCosts(graph, inference);
    for (const n of estimate.networks) {
      expect(n.parameters).toBe(costs.networks.find((c) => c.id === n.id)!.parameters);
    }
  });

  it('is plain data that structuredClone copies: a large graph is checked in a worker and its costs sent to the page', () => {
    const { costs } = reference();
    expect(structuredClone(costs)).toEqual(costs);
  });
});
