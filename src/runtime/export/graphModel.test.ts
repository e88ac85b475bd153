/**
 * An exported network, loaded by plain TensorFlow.js (`tf.loadGraphModel`, no Ganvas code in the
 * loading or the running), computes what the trainer computes for it at inference
 * (`trainer.runNetwork(id, x, false)`). Tolerance 1e-5 absolute, on outputs of order 1 or less:
 * both sides run tfjs cpu kernels, mostly the very same ops, so what differs is float32 rounding
 * (measured: at most 2.3e-7; the largest difference of each network is logged).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { parseDocument, type GraphDocument } from '../../graph/document';
import { NODE_KINDS, findNodeKind } from '../../nodes';
import { selectBackend } from '../backends/select';
import { compileGraph } from '../compile';
import { DataBatchSource } from '../data/batches';
import { Trainer } from '../trainer';
import { exportGraphModel, type ExportedGraphModel } from './graphModel';

const TOLERANCE = 1e-5;

const parsed = parseDocument(
  readFileSync(new URL('../../../templates/cyclegan.json', import.meta.url), 'utf8'),
);
if (!parsed.ok) throw new Error('template does not parse');
const cyclegan: GraphDocument = parsed.document;
const small = { size: 32, ngf: 8, ndf: 8, n_blocks: 2 };

async function trained(
  document: GraphDocument,
  overrides: Record<string, number | string>,
  steps: number,
): Promise<Trainer> {
  const compiled = compileGraph(document, overrides);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  const trainer = new Trainer(tf, compiled.program, { source: new DataBatchSource(), seed: 3 });
  for (let i = 0; i < steps; i++) await trainer.step();
  return trainer;
}

/** Loads an export the way any TensorFlow.js program would, from memory. */
function loadFromMemory({ modelJson, weights }: ExportedGraphModel): Promise<tf.GraphModel> {
  const { modelTopology, weightsManifest, format, generatedBy, convertedBy, signature } = modelJson;
  return tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology,
      weightSpecs: weightsManifest[0]!.weights,
      weightData: weights.slice().buffer,
      format,
      generatedBy,
      convertedBy,
      signature,
    }),
  );
}

async function maxDifference(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  expect(a.shape).toEqual(b.shape);
  const difference = tf.max(tf.abs(tf.sub(a, b)));
  const [value] = await difference.data();
  difference.dispose();
  return value!;
}

const measured: Record<string, number> = {};

/** The exported model against the trainer on a batch of 2 (trained on 1): the largest difference. */
async function compare(
  trainer: Trainer,
  model: tf.GraphModel,
  networkId: string,
  sampleShape: number[],
): Promise<number> {
  const x = tf.randomUniform([2, ...sampleShape], -1, 1, 'float32', 11);
  const expected = tf.tidy(() => trainer.runNetwork(networkId, x, false));
  const actual = model.predict(x) as tf.Tensor;
  const difference = await maxDifference(actual, expected);
  tf.dispose([x, expected, actual]);
  measured[networkId] = Math.max(measured[networkId] ?? 0, difference);
  return difference;
}

async function exportAndCompare(trainer: Trainer, networkId: string, sampleShape: number[]) {
  const exported = await exportGraphModel(trainer, networkId);
  const model = await loadFromMemory(exported);
  const difference = await compare(trainer, model, networkId, sampleShape);
  model.dispose();
  return { exported, difference };
}

function withNetworks(
  document: GraphDocument,
  change: (n: GraphDocument['networks'][number]) => GraphDocument['networks'][number],
): GraphDocument {
  return { ...document, networks: document.networks.map(change) };
}

beforeAll(async () => {
  await selectBackend(tf, 'cpu');
});

afterAll(() => {
  console.log('graph model export, largest |exported - trainer|:', measured);
});

describe('a CycleGAN network exported as a graph model', () => {
  let trainer: Trainer;
  beforeAll(async () => {
    trainer = await trained(cyclegan, small, 1);
  });
  afterAll(() => trainer.dispose());

  it('is a graph model with a free batch size and the weights under their Ganvas names', async () => {
    const { modelJson, weights, files } = await exportGraphModel(trainer, 'G_A');
    expect(modelJson.format).toBe('graph-model');
    const input = modelJson.modelTopology.node.find((n) => n.op === 'Placeholder')!;
    expect(input.attr.shape).toEqual({
      shape: { dim: ['-1', '32', '32', '3'].map((size) => ({ size })) },
    });
    const specs = modelJson.weightsManifest[0]!.weights;
    expect(specs.find((w) => w.name === 'G_A.model.1.weight')).toEqual({
      name: 'G_A.model.1.weight',
      shape: [7, 7, 3, 8],
      dtype: 'float32',
    });
    const bytes = specs.reduce((sum, w) => sum + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
    expect(weights.byteLength).toBe(bytes);
    expect(JSON.parse(files['model.json'])).toEqual(modelJson);
  });

  it('G_A (ResNet: reflection pads, instance norm, residual blocks, transposed convs) computes what the trainer computes', async () => {
    const { difference } = await exportAndCompare(trainer, 'G_A', [32, 32, 3]);
    expect(difference).toBeLessThanOrEqual(TOLERANCE);
  });

  it('D_A (PatchGAN: LeakyReLU, stride-2 convs) computes what the trainer computes', async () => {
    const { difference } = await exportAndCompare(trainer, 'D_A', [32, 32, 3]);
    expect(difference).toBeLessThanOrEqual(TOLERANCE);
  });

  it('loads from model.json and weights.bin served over HTTP, as a web page would load them', async () => {
    const { files } = await exportGraphModel(trainer, 'G_A');
    const folder = mkdtempSync(join(tmpdir(), 'ganvas-export-'));
    writeFileSync(join(folder, 'model.json'), files['model.json']);
    writeFileSync(join(folder, 'weights.bin'), files['weights.bin']);
    const server: Server = createServer((request, response) => {
      const file = (request.url ?? '/').slice(1);
      if (file !== 'model.json' && file !== 'weights.bin') {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200).end(readFileSync(join(folder, file)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const model = await tf.loadGraphModel(`http://127.0.0.1:${port}/model.json`);
      expect(await compare(trainer, model, 'G_A', [32, 32, 3])).toBeLessThanOrEqual(TOLERANCE);
      model.dispose();
    } finally {
      await new Promise((resolve) => server.close(resolve));
      rmSync(folder, { recursive: true });
    }
  });
});

describe('other networks exported as graph models', () => {
  it('a U-Net generator (skip connections by concat) computes what the trainer computes', async () => {
    const unet = withNetworks(cyclegan, (n) =>
      n.role === 'generator'
        ? { ...n, preset: { name: 'unet', params: { num_downs: 5, ngf: 8 } } }
        : n,
    );
    const trainer = await trained(unet, small, 1);
    const { difference } = await exportAndCompare(trainer, 'G_A', [32, 32, 3]);
    expect(difference).toBeLessThanOrEqual(TOLERANCE);
    trainer.dispose();
  });

  it('batch norm uses the running statistics', async () => {
    const trainer = await trained(cyclegan, { ...small, norm: 'batch' }, 3);
    const runningMean = await trainer.weights.get('G_A.model.2.running_mean')!.data();
    expect(Math.max(...runningMean.map(Math.abs))).toBeGreaterThan(1e-4);
    for (const id of ['G_A', 'D_A']) {
      const { exported, difference } = await exportAndCompare(trainer, id, [32, 32, 3]);
      expect(difference).toBeLessThanOrEqual(TOLERANCE);
      // With the statistics of this batch instead, the output would differ.
      const model = await loadFromMemory(exported);
      const x = tf.randomUniform([2, 32, 32, 3], -1, 1, 'float32', 11);
      const exportedOut = model.predict(x) as tf.Tensor;
      const trainingOut = tf.tidy(() => trainer.runNetwork(id, x, true));
      expect(await maxDifference(exportedOut, trainingOut)).toBeGreaterThan(1e-3);
      tf.dispose([x, exportedOut, trainingOut]);
      model.dispose();
    }
    trainer.dispose();
  });

  it('a generator from noise (Dense, Reshape, Upsample, Residual variants, Add, Dropout) and a critic ending in Flatten, Dense compute what the trainer computes', async () => {
    const trainer = await trained(noiseGan, {}, 2);
    const generator = await exportAndCompare(trainer, 'G', [16]);
    expect(generator.difference).toBeLessThanOrEqual(TOLERANCE);
    const critic = await exportAndCompare(trainer, 'D', [48, 48, 3]);
    expect(critic.difference).toBeLessThanOrEqual(TOLERANCE);
    trainer.dispose();
  });
});

describe('what cannot be exported', () => {
  it('every layer kind has a graph export', () => {
    const missing = NODE_KINDS.filter((k) => k.behavior === 'layer' && !k.exportGraph).map(
      (k) => k.kind,
    );
    expect(missing).toEqual([]);
  });

  it('a layer whose kind has no graph export is named, with its kind', async () => {
    const trainer = await trained(cyclegan, small, 0);
    const activation = findNodeKind('Activation')!;
    const exportGraph = activation.exportGraph;
    delete activation.exportGraph;
    try {
      await expect(exportGraphModel(trainer, 'G_A')).rejects.toThrow(
        'G_A.model.3: a layer of kind "Activation" cannot be exported to a TensorFlow.js graph model',
      );
    } finally {
      activation.exportGraph = exportGraph;
      trainer.dispose();
    }
  });

  it('an unknown network is named, with the ones there are', async () => {
    const trainer = await trained(cyclegan, small, 0);
    await expect(exportGraphModel(trainer, 'G_C')).rejects.toThrow(
      'no network "G_C" in this program (it has "G_A", "G_B", "D_A", "D_B")',
    );
    trainer.dispose();
  });
});

const edge = (source: string, target: string, targetPort = 'in', sourcePort = 'out') => ({
  source,
  sourcePort,
  target,
  targetPort,
});

/** Builds a body as a chain; `from` names another source than the previous layer. */
function chain(layers: [string, string, Record<string, unknown>?, string[]?][]) {
  const nodes = [{ id: 'input', kind: 'Input' }];
  const edges = [];
  let last = 'input';
  for (const [id, kind, params, from] of layers) {
    nodes.push({ id, kind, ...(params ? { params } : {}) } as { id: string; kind: string });
    const sources = from ?? [last];
    const ports = sources.length === 2 ? ['a', 'b'] : ['in'];
    sources.forEach((source, i) => edges.push(edge(source, id, ports[i])));
    last = id;
  }
  nodes.push({ id: 'output', kind: 'Output' });
  edges.push(edge(last, 'output'));
  return { nodes, edges };
}

/** A small GAN from noise: a generator that exercises the remaining layer kinds, and a critic. */
const noiseGan: GraphDocument = {
  format: 'ganvas-graph',
  version: cyclegan.version,
  name: 'noise GAN',
  variables: {},
  networks: [
    {
      id: 'G',
      role: 'generator',
      body: chain([
        ['fc', 'Dense', { units: 128 }],
        ['grid', 'Reshape', { shape: [4, 4, 8] }],
        ['up_nearest', 'Upsample', { scale: 3, mode: 'nearest' }],
        [
          'block_replicate',
          'Residual',
          { padding: 'replicate', norm: 'batch', dropout: true, bias: false },
        ],
        ['block_zero', 'Residual', { padding: 'zero', norm: 'none' }],
        ['deconv', 'Conv', { filters: 8, kernel: 4, stride: 2, padding: 'same', transposed: true }],
        ['inorm', 'InstanceNorm', { affine: true }],
        ['bnorm', 'BatchNorm'],
        ['act', 'Activation', { fn: 'leaky_relu', alpha: 0.1 }],
        ['up_bilinear', 'Upsample', { scale: 2, mode: 'bilinear' }],
        ['pad', 'ReflectionPad', { padding: 1 }],
        ['conv', 'Conv', { filters: 8, kernel: 3 }],
        ['sum', 'Add', {}, ['conv', 'up_bilinear']],
        ['drop', 'Dropout', { rate: 0.3 }],
        ['to_rgb', 'Conv', { filters: 3, kernel: 3, padding: 1 }],
        ['tanh', 'Activation', { fn: 'tanh' }],
      ]),
    },
    {
      id: 'D',
      role: 'discriminator',
      body: chain([
        ['conv1', 'Conv', { filters: 8, kernel: 4, stride: 2, padding: 1 }],
        ['act1', 'Activation', { fn: 'leaky_relu', alpha: 0.2 }],
        ['conv2', 'Conv', { filters: 8, kernel: 3, stride: 2, padding: 'valid' }],
        ['act2', 'Activation', { fn: 'sigmoid' }],
        ['flat', 'Flatten'],
        ['score', 'Dense', { units: 1 }],
      ]),
    },
  ],
  nodes: [
    { id: 'z', kind: 'Noise', params: { dim: 16, batchSize: 2 } },
    { id: 'data', kind: 'Dataset', params: { size: 48, batchSize: 2 } },
    { id: 'fake', kind: 'Generator', params: { network: 'G' } },
    { id: 'judge_fake', kind: 'Discriminator', params: { network: 'D' } },
    { id: 'judge_real', kind: 'Discriminator', params: { network: 'D' } },
    { id: 'loss_G', kind: 'Loss', params: { type: 'lsgan' } },
    { id: 'loss_D', kind: 'Loss', params: { type: 'lsgan', weight: 0.5 } },
    { id: 'opt_G', kind: 'Optimizer', params: { networks: ['G'], order: 0 } },
    { id: 'opt_D', kind: 'Optimizer', params: { networks: ['D'], order: 1 } },
  ],
  edges: [
    edge('z', 'fake'),
    edge('fake', 'judge_fake'),
    edge('data', 'judge_real', 'in', 'real_B'),
    edge('judge_fake', 'loss_G', 'real'),
    edge('judge_real', 'loss_D', 'real'),
    edge('judge_fake', 'loss_D', 'fake'),
    edge('loss_G', 'opt_G', 'loss', 'loss'),
    edge('loss_D', 'opt_D', 'loss', 'loss'),
  ],
};
