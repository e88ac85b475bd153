/**
 * Applying one of the program's networks to a tensor: its layers in order, each with its own
 * weights, giving the network's output and, for an application's tap ports, the outputs of the
 * layers asked for. An InstanceNorm that only feeds a ReLU runs with it (layerFusion.ts).
 */
import { findNodeKind } from '../nodes';
import type { ApplyContext, TF, Tensor, Variable } from '../nodes/kind';
import { tappableLayers } from '../nodes/networkApplication';
import { instanceNorm } from '../nodes/tensorOps';
import { fusionOf } from './layerFusion';
import { weightName, type ProgramLayer, type ProgramNetwork } from './program';

/** What applying a network gives: its output, and the outputs of the layers it was asked for. */
export interface NetworkOutputs {
  out: Tensor;
  /** Layer id -> its output. */
  taps: Record<string, Tensor>;
}

/** How one application of a network draws its random numbers, and whether it updates state. */
export interface NetworkCall {
  seed(): number;
  updatesState: boolean;
}

/** Intermediate tensors are the caller's to tidy. */
export function applyNetwork(
  tf: TF,
  net: ProgramNetwork,
  weights: ReadonlyMap<string, Variable>,
  input: Tensor,
  training: boolean,
  taps: readonly string[],
  call: NetworkCall,
): NetworkOutputs {
  if (taps.length > 0) {
    const tappable = tappableLayers(net.layers);
    const unknown = taps.find((layer) => !tappable.includes(layer));
    if (unknown) throw new Error(`network "${net.id}" has no layer "${unknown}" to tap`);
  }
  const outputs = new Map<string, Record<string, Tensor>>();
  const { withNorm, folded } = fusionOf(net, taps);
  const inputsOf = (layer: ProgramLayer) => {
    const inputs: Record<string, Tensor> = {};
    for (const [port, ref] of Object.entries(layer.inputs)) {
      inputs[port] = outputs.get(ref.node)![ref.port]!;
    }
    return inputs;
  };
  for (const layer of net.layers) {
    if (layer.id === net.input) {
      outputs.set(layer.id, { out: input });
      continue;
    }
    if (folded.has(layer.id)) continue;
    const fused = withNorm.get(layer.id);
    if (fused) {
      const { norm, eps, activation } = fused;
      outputs.set(layer.id, { out: instanceNorm(tf, inputsOf(norm).in!, eps, activation) });
      continue;
    }
    const kind = findNodeKind(layer.kind)!;
    if (!kind.apply) continue;
    const inputs = inputsOf(layer);
    const own: Record<string, Tensor> = {};
    for (const v of layer.weights) own[v.name] = weights.get(weightName(net.id, layer.id, v.name))!;
    const context: ApplyContext = {
      training,
      seed: call.seed,
      updateState: (name, value) => {
        if (call.updatesState) weights.get(weightName(net.id, layer.id, name))!.assign(value);
      },
    };
    outputs.set(layer.id, kind.apply(tf, inputs, own, layer.params, context));
  }
  const tapped = Object.fromEntries(taps.map((layer) => [layer, outputs.get(layer)!.out!]));
  return { out: outputs.get(net.output.node)![net.output.port]!, taps: tapped };
}
