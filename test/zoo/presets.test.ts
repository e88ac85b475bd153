/**
 * The zoo's network presets: shapes, layer names and weight counts against their sources. Weight
 * counts are computed by hand from each source's layer list (PyTorch's examples/dcgan,
 * PyTorch-GAN's gan.py, DiscoGAN's model.py), noted beside each.
 */
import { describe, expect, it } from 'vitest';
import { checkDocument } from '../../src/graph/check';
import type { GraphDocument } from '../../src/graph/document';
import { expandPreset } from '../../src/graph/presets';

/** Applies one preset network to noise (nz values) or to images (size, channels). */
function applied(
  name: string,
  params: Record<string, unknown>,
  input: { nz: number } | { size: number; channels: 1 | 3 },
) {
  const result = expandPreset(name, params);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const generator = 'nz' in input || name === 'unet_resnet' || name === 'encoder_decoder';
  const doc: GraphDocument = {
    format: 'ganvas-graph',
    version: 1,
    name: 'preset',
    variables: {},
    networks: [
      { id: 'net', role: generator ? 'generator' : 'discriminator', preset: { name, params } },
    ],
    nodes: [
      'nz' in input
        ? { id: 'data', kind: 'Noise', params: { dim: input.nz, batchSize: 2 } }
        : { id: 'data', kind: 'Images', params: { ...input, batchSize: 2 } },
      { id: 'app', kind: generator ? 'Generator' : 'Discriminator', params: { network: 'net' } },
    ],
    edges: [
      {
        source: 'data',
        sourcePort: 'nz' in input ? 'out' : 'real',
        target: 'app',
        targetPort: 'in',
      },
    ],
  };
  // No optimizer here: only the shapes are wanted.
  const checked = checkDocument(doc);
  const shapes = checked.inference!.networks.get('net')!;
  const output = shapes.applications.get('app')?.output;
  if (!output) throw new Error(JSON.stringify(checked.problems));
  return {
    output: output.join('×'),
    parameterCount: shapes.parameterCount!,
    ids: result.body.nodes.map((n) => n.id),
  };
}

describe('zoo presets', () => {
  // ConvT 100→512 (819,200) + BN (1,024) + ConvT 512→256 (2,097,152) + BN (512) + ConvT
  // 256→128 (524,288) + BN (256) + ConvT 128→64 (131,072) + BN (128) + ConvT 64→3 (3,072).
  it('DCGAN generator: noise to 64×64 with the example netG weight count and names', () => {
    const g = applied('dcgan_generator', { size: 64 }, { nz: 100 });
    expect(g.output).toBe('2×64×64×3');
    expect(g.parameterCount).toBe(3_576_704);
    expect(g.ids).toEqual(expect.arrayContaining(['main.0', 'main.12', 'main.13']));
    expect(applied('dcgan_generator', { size: 32, output_nc: 1 }, { nz: 100 }).output).toBe(
      '2×32×32×1',
    );
  });

  // Conv 3→64 (3,072) + Conv 64→128 (131,072) + BN (256) + Conv 128→256 (524,288) + BN (512) +
  // Conv 256→512 (2,097,152) + BN (1,024) + Conv 512→1 (8,192).
  it('DCGAN discriminator: 64×64 to one score, the example netD weight count', () => {
    const d = applied('dcgan_discriminator', { size: 64 }, { size: 64, channels: 3 });
    expect(d.output).toBe('2×1×1×1');
    expect(d.parameterCount).toBe(2_765_568);
    expect(applied('dcgan_discriminator', { size: 8 }, { size: 8, channels: 1 }).output).toBe(
      '2×1×1×1',
    );
  });

  it('DCGAN sizes are powers of 2, at least 8', () => {
    const result = expandPreset('dcgan_generator', { size: 28 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.message).toContain('power of 2');
  });

  // Linear 100→128 (12,928), 128→256 (33,024) + BN (512), 256→512 (131,584) + BN (1,024),
  // 512→1024 (525,312) + BN (2,048), 1024→784 (803,600).
  it("MLP generator and discriminator: PyTorch-GAN's gan.py", () => {
    const g = applied('mlp_generator', {}, { nz: 100 });
    expect(g.output).toBe('2×28×28×1');
    expect(g.parameterCount).toBe(1_510_032);
    // Linear 784→512 (401,920), 512→256 (131,328), 256→1 (257).
    const d = applied('mlp_discriminator', {}, { size: 28, channels: 1 });
    expect(d.output).toBe('2×1');
    expect(d.parameterCount).toBe(533_505);
  });

  // Encoder: Conv 3→64 (3,072), 64→128 (131,072) + BN (256), 128→256 (524,288) + BN (512),
  // 256→512 (2,097,152) + BN (1,024); decoder: ConvT 512→256 (2,097,152) + BN (512), 256→128
  // (524,288) + BN (256), 128→64 (131,072) + BN (128), 64→3 (3,072).
  it("DiscoGAN encoder-decoder: 64×64 through 4×4 and back, DiscoGAN's weight count", () => {
    const g = applied('encoder_decoder', { size: 64 }, { size: 64, channels: 3 });
    expect(g.output).toBe('2×64×64×3');
    expect(g.parameterCount).toBe(5_513_856);
  });

  it('the autoencoder discriminator outputs one energy per sample', () => {
    const d = applied('autoencoder', { size: 32 }, { size: 32, channels: 1 });
    expect(d.output).toBe('2×1');
    expect(d.ids).toContain('energy');
  });

  it('the U-Net with a residual bottleneck maps 256×256 to 256×256 through 1×1', () => {
    const g = applied('unet_resnet', { num_downs: 8 }, { size: 256, channels: 3 });
    expect(g.output).toBe('2×256×256×3');
    expect(g.ids).toEqual(expect.arrayContaining(['bottleneck.0', 'bottleneck.2', 'up.0.4']));
  });
});
