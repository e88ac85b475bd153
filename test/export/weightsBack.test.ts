/**
 * Weights come back: a CycleGAN trained 2 steps by its exported program is read by Ganvas from
 * the program's checkpoint. Ganvas's G_A (the engine `ganvas translate` runs) then computes what
 * PyTorch's computes on the same images, within 1e-5 (measured: about 1e-6); `ganvas translate`
 * itself, which writes 8-bit PNGs, gives PyTorch's output rounded the same way, within one level.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/runtime/cli/main';
import { compileGraph } from '../../src/runtime/compile';
import { selectBackend } from '../../src/runtime/backends/select';
import { encodePng } from '../../src/runtime/data/decodeNode';
import { createRandom } from '../../src/runtime/data/random';
import { readSafeTensors } from '../../src/runtime/safetensors';
import { Trainer } from '../../src/runtime/trainer';
import { importTorchWeights } from '../../src/runtime/weights';
import {
  exportTo,
  readTemplate,
  runPython,
  runTrainPy,
  temporaryFolder,
  writeRandomBatch,
} from './exportedRun';

const SETS = { size: 32, ngf: 4, ndf: 4, n_blocks: 1 };
const IMAGES = ['a', 'b'];

/** G_A of the checkpoint applied by PyTorch to in/*.png: inputs and outputs, N×H×W×C. */
const TORCH_G_A = `
import numpy as np, torch
from PIL import Image
from model import NETWORKS
from safetensors_io import read_safetensors, write_safetensors
weights, _ = read_safetensors("checkpoints/latest.safetensors")
net = NETWORKS["G_A"]()
net.load_state_dict({k[len("G_A."):]: v for k, v in weights.items() if k.startswith("G_A.")})
net.eval()
images = [np.asarray(Image.open(f"in/{n}.png").convert("RGB"), np.float32) / 127.5 - 1 for n in ${JSON.stringify(IMAGES)}]
x = torch.tensor(np.stack(images))
with torch.no_grad():
    y = net(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1).contiguous()
write_safetensors("torch_g_a.safetensors", {"x": x, "y": y})
`;

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe('weights trained by an exported program', () => {
  it('give Ganvas the G_A that PyTorch trained', async () => {
    const folder = temporaryFolder('weights');
    const document = readTemplate('cyclegan');
    exportTo(folder, document, SETS);
    const batch = join(folder, 'batch.safetensors');
    writeRandomBatch(batch, document, SETS, 11);
    await runTrainPy(folder, ['--batch', batch, '--steps', '2', '--seed', '4']);
    const random = createRandom(9);
    mkdirSync(join(folder, 'in'));
    for (const name of IMAGES) {
      const rgb = Uint8Array.from({ length: 32 * 32 * 3 }, () => random.int(256));
      writeFileSync(join(folder, 'in', `${name}.png`), encodePng(rgb, 32, 32));
    }
    runPython(folder, TORCH_G_A);
    const torch = readSafeTensors(readFileSync(join(folder, 'torch_g_a.safetensors')));
    const x = torch.tensors.get('x')!;
    const y = torch.tensors.get('y')!;
    const checkpoint = join(folder, 'checkpoints', 'latest.safetensors');

    await selectBackend(tf, 'cpu');
    const compiled = compileGraph(document, SETS);
    if (!compiled.ok) throw new Error(compiled.problems.map((p) => p.message).join('\n'));
    const trainer = new Trainer(tf, compiled.program, { source: { next: () => ({}) } });
    try {
      const imported = importTorchWeights(trainer, readSafeTensors(readFileSync(checkpoint)));
      expect(imported.missing).toEqual([]);
      expect(imported.problems).toEqual([]);
      const output = tf.tidy(() => trainer.runNetwork('G_A', tf.tensor(x.data!, x.shape), false));
      expect(maxDifference(await output.data(), y.data!)).toBeLessThan(1e-5);
      output.dispose();
    } finally {
      trainer.dispose();
    }

    const graph = join(folder, 'graph.json');
    const sets = Object.entries(SETS).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
    const out = join(folder, 'out');
    const args = ['--init', checkpoint, '--net', 'G_A', '--in', join(folder, 'in'), '--out', out];
    expect(await main(['translate', graph, ...sets, ...args])).toBe(0);
    expect(readdirSync(out).sort()).toEqual(IMAGES.map((n) => `${n}.png`));
    IMAGES.forEach((name, i) => {
      const png = PNG.sync.read(readFileSync(join(out, `${name}.png`)));
      const pixels = 32 * 32;
      const translated = Array.from(
        { length: pixels * 3 },
        (_, k) => png.data[((k - (k % 3)) / 3) * 4 + (k % 3)]!,
      );
      const expected = Array.from(y.data!.subarray(i * pixels * 3, (i + 1) * pixels * 3), (v) =>
        Math.min(255, Math.max(0, Math.round((v + 1) * 127.5))),
      );
      expect(maxDifference(translated, expected)).toBeLessThanOrEqual(1);
    });
  });
});
