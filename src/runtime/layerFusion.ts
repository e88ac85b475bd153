/**
 * Layers that one kernel runs together, where the backend has it: an InstanceNorm (without a
 * learned scale and shift) whose output only a ReLU or LeakyReLU Activation reads, as every
 * ResNet and U-Net generator and PatchGAN discriminator writes them. On WebGPU the pair is one
 * program forward and one backward instead of three or four (src/nodes/tensorOps.ts); elsewhere
 * instanceNorm runs the same chain of ops the two layers would, so the numbers do not change.
 */
import { paramsOf } from '../nodes/kind';
import { ActivationNode } from '../nodes/Activation';
import { InstanceNormNode } from '../nodes/InstanceNorm';
import type { NormActivation } from '../nodes/tensorOps';
import type { ProgramLayer, ProgramNetwork } from './program';

export interface FusedNorm {
  /** The InstanceNorm layer, not run on its own. */
  norm: ProgramLayer;
  eps: number;
  activation: NormActivation;
}

/**
 * The activations that run their InstanceNorm with them, by the activation's id. A norm is left
 * alone when anything else reads it: another layer, the network's output, or a tap.
 */
export function fusedNorms(
  net: ProgramNetwork,
  taps: readonly string[],
): ReadonlyMap<string, FusedNorm> {
  const readers = new Map<string, number>();
  const read = (id: string) => readers.set(id, (readers.get(id) ?? 0) + 1);
  for (const layer of net.layers) for (const ref of Object.values(layer.inputs)) read(ref.node);
  read(net.output.node);
  for (const id of taps) read(id);
  const byId = new Map(net.layers.map((l) => [l.id, l]));
  const fused = new Map<string, FusedNorm>();
  for (const layer of net.layers) {
    if (layer.kind !== ActivationNode.kind) continue;
    const norm = byId.get(layer.inputs.in?.node ?? '');
    if (norm?.kind !== InstanceNormNode.kind || readers.get(norm.id) !== 1) continue;
    const { eps, affine } = paramsOf(InstanceNormNode, norm);
    const { fn, alpha } = paramsOf(ActivationNode, layer);
    if (affine || (fn !== 'relu' && fn !== 'leaky_relu')) continue;
    fused.set(layer.id, {
      norm,
      eps,
      activation: fn === 'relu' ? { fn } : { fn, alpha },
    });
  }
  return fused;
}

export interface Fusion {
  /** fusedNorms: the activations that run their norm with them. */
  withNorm: ReadonlyMap<string, FusedNorm>;
  /** The norms they run, which are not run on their own. */
  folded: ReadonlySet<string>;
}

// A program's networks never change: each network's fusion is found once per set of taps, not
// at every application of every step.
const fusions = new WeakMap<ProgramNetwork, Map<string, Fusion>>();

/** The fusion of a network applied with `taps`. */
export function fusionOf(net: ProgramNetwork, taps: readonly string[]): Fusion {
  const byTaps = fusions.get(net) ?? new Map<string, Fusion>();
  fusions.set(net, byTaps);
  const key = taps.join('\n');
  let fusion = byTaps.get(key);
  if (!fusion) {
    const withNorm = fusedNorms(net, taps);
    fusion = { withNorm, folded: new Set([...withNorm.values()].map((f) => f.norm.id)) };
    byTaps.set(key, fusion);
  }
  return fusion;
}
