/**
 * `ganvas translate`: a trained generator applied to every image of a folder, each written as a
 * PNG of the same base name. The graph comes from the checkpoint (or a graph file with --init
 * weights); images are resized to the size the generator was trained on.
 */
import { resolve } from 'node:path';
import { encodePng, decodeImageInNode } from '../data/decodeNode';
import {
  imageFileKind,
  readImageEntry,
  unsupportedFormatReason,
  type SkippedFile,
} from '../data/folder';
import { resizeToRgb } from '../data/imageResize';
import { rgbToValues, valuesToRgb } from '../pixels';
import { networkInputShape, type TrainingProgram } from '../program';
import type { Trainer } from '../trainer';
import { UsageError } from './errors';
import { folderEntries, readCheckpointFile, readGraphDocument, writeOutputFile } from './files';
import { openSession, type GraphInput, type SessionOptions } from './session';

export interface TranslateOptions extends SessionOptions {
  checkpoint?: string;
  net?: string;
  in?: string;
  out?: string;
}

/** The image shape [height, width, channels] the network is applied to in the graph. */
function inputImageShape(program: TrainingProgram, net: string): number[] | undefined {
  const shape = networkInputShape(program, net);
  return shape?.length === 4 ? shape.slice(1) : undefined;
}

async function translateImage(
  trainer: Trainer,
  net: string,
  rgb: Uint8Array,
  [height, width, channels]: number[],
): Promise<{ rgb: Uint8Array; width: number; height: number }> {
  const tf = trainer.tf;
  const input = rgbToValues(rgb, channels === 1 ? 1 : 3);
  const output = tf.tidy(() =>
    trainer.runNetwork(net, tf.tensor(input, [1, height!, width!, channels!]), false),
  );
  const values = (await output.data()) as Float32Array;
  const [, outHeight, outWidth, outChannels] = output.shape as number[];
  output.dispose();
  return {
    rgb: valuesToRgb(values, outHeight! * outWidth!, outChannels!),
    width: outWidth!,
    height: outHeight!,
  };
}

export async function runTranslate(
  file: string | undefined,
  sets: Record<string, string>,
  options: TranslateOptions,
): Promise<number> {
  if (!options.in) throw new UsageError('translate: --in <folder of images> is required');
  if (!options.out) throw new UsageError('translate: --out <folder> is required');
  if (resolve(options.in) === resolve(options.out)) {
    throw new UsageError(
      'translate: --out must differ from --in, or the inputs would be overwritten',
    );
  }
  const checkpoint = options.checkpoint ? readCheckpointFile(options.checkpoint) : undefined;
  let graph: GraphInput;
  if (checkpoint) {
    if (file || options.init) {
      throw new UsageError(
        'translate: a checkpoint carries its graph and weights: give --checkpoint, or a graph file with --init, not both',
      );
    }
    graph = { label: options.checkpoint!, document: checkpoint.document };
  } else if (file && options.init) {
    graph = { label: file, document: readGraphDocument(file) };
  } else {
    throw new UsageError(
      'translate: expected --checkpoint <file>, or a graph file with --init <weights.safetensors>',
    );
  }
  const entries = folderEntries(options.in);
  const session = await openSession(graph, { ...checkpoint?.overrides, ...sets }, options, 'run');
  const { trainer, program } = session;
  const generators = program.networks.filter((n) => n.role === 'generator').map((n) => n.id);
  if (!options.net || !generators.includes(options.net)) {
    trainer.dispose();
    const given = options.net
      ? `no generator "${options.net}" in ${graph.label}`
      : '--net is required';
    throw new UsageError(`translate: ${given}; generators: ${generators.join(', ') || 'none'}`);
  }
  const net = options.net;
  const shape = inputImageShape(program, net);
  if (!shape) {
    trainer.dispose();
    throw new UsageError(
      `translate: ${net} is not applied to images in ${graph.label}, so it cannot translate them`,
    );
  }
  if (checkpoint) {
    try {
      trainer.loadState(checkpoint.state);
    } catch (e) {
      trainer.dispose();
      throw new UsageError(`${options.checkpoint}: ${(e as Error).message}`);
    }
  }
  const skipped: SkippedFile[] = [];
  const written = new Map<string, string>();
  let ignored = 0;
  for (const entry of entries) {
    const kind = imageFileKind(entry.path);
    if (kind === 'other') {
      ignored++;
      continue;
    }
    const target = entry.path.replace(/\.[^./]*$/, '') + '.png';
    const earlier = written.get(target);
    if (earlier) {
      skipped.push({
        path: entry.path,
        reason: `${target} is already the translation of ${earlier}`,
      });
      continue;
    }
    const read =
      kind === 'image'
        ? await readImageEntry(entry, decodeImageInNode)
        : { ok: false as const, reason: unsupportedFormatReason(entry.path) };
    if (!read.ok) {
      skipped.push({ path: entry.path, reason: read.reason });
      continue;
    }
    const [height, width] = shape;
    const resized = resizeToRgb(read.image, width!, height!);
    const out = await translateImage(trainer, net, resized, shape);
    writeOutputFile(`${options.out}/${target}`, encodePng(out.rgb, out.width, out.height));
    written.set(target, entry.path);
  }
  trainer.dispose();
  if (written.size === 0 && skipped.length === 0) {
    throw new UsageError(`--in ${options.in}: no PNG or JPEG images in it`);
  }
  const lines = [
    `translated ${written.size} image${written.size === 1 ? '' : 's'} with ${net} (${shape[1]}x${shape[0]}) into ${options.out}`,
    ...skipped.map((s) => `  skipped ${s.path}: ${s.reason}`),
  ];
  if (ignored === 1) lines.push('  ignored 1 file that is not an image');
  if (ignored > 1) lines.push(`  ignored ${ignored} files that are not images`);
  process.stderr.write(lines.join('\n') + '\n');
  return 0;
}
