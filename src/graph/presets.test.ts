import { describe, expect, it } from 'vitest';
import { checkDocument } from './check';
import type { GraphDocument } from './document';
import { expandPreset } from './presets';

/** A graph that applies one preset network to a Dataset's images, to read its shapes. */
function applied(name: string, params: Record<string, unknown>, size: number, channels = 3) {
  const role = name === 'patchgan' || name === 'pixel' ? 'discriminator' : 'generator';
  const doc: GraphDocument = {
    format: 'ganvas-graph',
    version: 1,
    name: 'preset',
    variables: {},
    networks: [{ id: 'net', role, preset: { name, params } }],
    nodes: [
      { id: 'data', kind: 'Dataset', params: { size, channels: channels === 1 ? 1 : 3 } },
      {
        id: 'app',
        kind: role === 'generator' ? 'Generator' : 'Discriminator',
        params: { network: 'net' },
      },
    ],
    edges: [{ source: 'data', sourcePort: 'real_A', target: 'app', targetPort: 'in' }],
  };
  const result = checkDocument(doc);
  const shapes = result.inference!.networks.get('net')!;
  return { result, body: shapes.applications.get('app'), parameterCount: shapes.parameterCount };
}

describe('network presets', () => {
  it('U-Net-256 maps 256×256 to 256×256 through a 1×1 bottleneck, with the reference weight count', () => {
    // pix2pix's default generator (unet_256, ngf 64, batch norm): 54.414 M weights in the reference.
    const { body, parameterCount } = applied('unet', { num_downs: 8, norm: 'batch' }, 256);
    expect(body!.output!.join('×')).toBe('1×256×256×3');
    const innermost = 'model.model.1.model.3.model.3.model.3.model.3.model.3.model.3.model.';
    expect(body!.nodes.get(`${innermost}1`)!.outputs.out!.join('×')).toBe('1×1×1×512');
    expect((parameterCount! / 1e6).toFixed(3)).toBe('54.414');
  });

  it('U-Net-128 has 7 down-samplings', () => {
    const { body } = applied('unet', { num_downs: 7 }, 128);
    expect(body!.output!.join('×')).toBe('1×128×128×3');
  });

  it('U-Net skip connections concatenate the encoder activation with the decoder output', () => {
    const { body } = applied('unet', { num_downs: 5, ngf: 8 }, 32);
    // Outermost skip joins 8 encoder channels and 8 decoder channels.
    expect(body!.nodes.get('model.model.1.skip')!.outputs.out!.join('×')).toBe('1×16×16×16');
  });

  it('PatchGAN n_layers sets the depth: 70×70 patches give 30×30 scores at 256', () => {
    expect(applied('patchgan', { n_layers: 3 }, 256).body!.output!.join('×')).toBe('1×30×30×1');
    expect(applied('patchgan', { n_layers: 1 }, 256).body!.output!.join('×')).toBe('1×126×126×1');
  });

  it('the pixel discriminator judges every pixel', () => {
    expect(applied('pixel', {}, 64).body!.output!.join('×')).toBe('1×64×64×1');
  });

  it('ResNet-6 and ResNet-9 differ only in residual blocks', () => {
    const six = applied('resnet', { n_blocks: 6 }, 128);
    const nine = applied('resnet', { n_blocks: 9 }, 128);
    const perBlock = (nine.parameterCount! - six.parameterCount!) / 3;
    expect(perBlock).toBe(2 * (3 * 3 * 256 * 256 + 256));
  });

  it('layer ids are the reference module paths, so weights import by name', () => {
    const result = expandPreset('resnet', { n_blocks: 2 });
    if (!result.ok) throw new Error('preset failed');
    const ids = result.body.nodes.map((n) => n.id);
    expect(ids).toEqual(
      expect.arrayContaining(['model.1', 'model.10', 'model.11', 'model.12', 'model.19']),
    );
    expect(result.body.nodes.find((n) => n.id === 'model.12')!.params).toMatchObject({
      transposed: true,
      outputPadding: 1,
    });
  });

  it('an unknown preset or a bad preset param is reported with its place', () => {
    expect(expandPreset('resnet50', {})).toMatchObject({
      ok: false,
      problems: [{ path: ['name'] }],
    });
    const bad = expandPreset('resnet', { n_blocks: -1, ngf: 8, nope: 1 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems.map((p) => p.path.join('.'))).toEqual(
        expect.arrayContaining(['params.n_blocks', 'params']),
      );
    }
  });
});
