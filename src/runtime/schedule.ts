/**
 * The update schedule of one training step: the optimizers in order, each as many updates as it
 * asks for (n_critic), each minimizing the sum of its terms over its own networks' weights only.
 */
import type { Scalar } from '@tensorflow/tfjs';
import { networksNamed } from '../graph/networkReferences';
import { findNodeKind } from '../nodes';
import type { TF, Tensor } from '../nodes/kind';
import type { ApplicationCalls } from './applicationCalls';
import { disposeValues, type Interpreter, type Values } from './interpreter';
import type { Optimizer } from './optimizers';
import type { ProgramNode } from './program';

export interface ScheduleParts {
  tf: TF;
  nodes: ReadonlyMap<string, ProgramNode>;
  optimizers: readonly Optimizer[];
  interpreter: Interpreter;
  calls: ApplicationCalls;
  /** The weight a tfjs variable holds, by the variable's (tfjs-wide unique) name. */
  weightNameOf(variableName: string): string;
}

/**
 * Runs every optimizer's updates for the step `trainingStep` (which sets the learning rates),
 * leaving the step's last values in `values` (the caller disposes them). Returns every term
 * reported by an optimizer, in the optimizers' order: its value in the optimizer's last update,
 * or 0 for a term weighted 0, which is never computed. With `gradients`, the gradients of each
 * optimizer's first update are cloned into it by weight name.
 */
export async function runUpdates(
  parts: ScheduleParts,
  values: Values,
  trainingStep: number,
  gradients?: Map<string, Tensor>,
): Promise<Record<string, number>> {
  const { tf, interpreter, calls } = parts;
  const reported = new Map<string, Tensor | 0>();
  calls.forgetCalls();
  try {
    for (const opt of parts.optimizers) {
      // Every term takes its place in the report now; those summed get their value below.
      for (const id of opt.spec.losses) if (!reported.has(id)) reported.set(id, 0);
      // Every term weighted 0: nothing to minimize, so no update.
      if (opt.spec.summed.length === 0) continue;
      const weights = [...opt.weights.values()];
      for (let update = 0; update < opt.spec.updates; update++) {
        // A repeated update (n_critic) judges a fresh batch.
        if (update > 0) {
          disposeValues(values);
          calls.forgetCalls();
        } else forgetValuesOf(parts.nodes, opt.spec.networks, values);
        const { grads, value } = tf.variableGrads(() => {
          const terms = opt.spec.summed.map((id) => interpreter.evaluate(id, values).loss!);
          return tf.addN(terms) as Scalar;
        }, weights);
        value.dispose();
        const named: Record<string, Tensor> = {};
        for (const [variable, g] of Object.entries(grads)) named[parts.weightNameOf(variable)] = g;
        if (gradients && update === 0) {
          for (const [name, g] of Object.entries(named)) gradients.set(name, tf.clone(g));
        }
        opt.apply(named, trainingStep);
        calls.updated(opt.spec.networks);
        for (const g of Object.values(grads)) g.dispose();
        for (const id of opt.spec.summed) {
          const previous = reported.get(id);
          if (previous) previous.dispose();
          reported.set(id, tf.clone(values.get(id)!.loss!));
        }
      }
    }
    return await readTerms(tf, reported);
  } finally {
    for (const t of reported.values()) if (t) t.dispose();
  }
}

/** The terms' values read back in one transfer, in their order. */
async function readTerms(
  tf: TF,
  terms: ReadonlyMap<string, Tensor | 0>,
): Promise<Record<string, number>> {
  const computed = [...terms.values()].filter((t): t is Tensor => t !== 0);
  const numbers = computed.length > 0 ? await readStacked(tf, computed) : [];
  let next = 0;
  return Object.fromEntries([...terms].map(([id, t]) => [id, t === 0 ? 0 : numbers[next++]!]));
}

async function readStacked(tf: TF, tensors: Tensor[]): Promise<Float32Array> {
  const stacked = tf.stack(tensors);
  try {
    return (await stacked.data()) as Float32Array;
  } finally {
    stacked.dispose();
  }
}

/**
 * Drops this step's values that depend on the given networks: computed while another optimizer
 * updated (its gradient tape did not watch these networks), they would hand this optimizer no
 * gradient. Recomputed, they reuse the step's data and noise. Values reached only through an
 * image pool are kept: a pool hands out stored images, constants to every network.
 */
function forgetValuesOf(
  nodes: ReadonlyMap<string, ProgramNode>,
  networks: readonly string[],
  values: Values,
): void {
  const wanted = new Set(networks);
  const memo = new Map<string, boolean>();
  const depends = (id: string): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const node = nodes.get(id)!;
    memo.set(id, false);
    const own = networksNamed(findNodeKind(node.kind), node.params).some((n) => wanted.has(n));
    const result =
      node.behavior !== 'pool' &&
      (own || Object.values(node.inputs).some((refs) => refs.some((r) => depends(r.node))));
    memo.set(id, result);
    return result;
  };
  for (const [id, outputs] of values) {
    if (!depends(id)) continue;
    for (const t of Object.values(outputs)) t.dispose();
    values.delete(id);
  }
}
