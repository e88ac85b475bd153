/**
 * What the page is told about a program it loaded: the document and revision it trains, and its
 * loss terms, optimizers, networks and previews under the names the graph gives them.
 */
import { graphRevision } from '../../graph/revision';
import { networkInputShape, type TrainingProgram } from '../program';
import type { LoadRequest, LoadResult } from './protocol';

export type ProgramDescription = Omit<Extract<LoadResult, { ok: true }>, 'ok' | 'step' | 'history'>;

export function describeProgram(
  request: LoadRequest,
  program: TrainingProgram,
): ProgramDescription {
  const doc = request.document;
  const labels: Record<string, string> = {};
  for (const n of doc.nodes) labels[n.id] = n.label ?? n.id;
  const networkLabels = new Map(doc.networks.map((n) => [n.id, n.label ?? n.id]));
  const nodes = new Map(program.nodes.map((n) => [n.id, n]));
  return {
    documentId: doc.id,
    revision: graphRevision(doc, request.overrides ?? {}),
    losses: program.losses,
    previews: program.nodes.filter((n) => n.behavior === 'preview').map((n) => n.id),
    labels,
    optimizers: program.optimizers.map((o) => ({
      id: o.id,
      label: labels[o.id] ?? o.id,
      type: o.type,
      lr: o.lr,
      beta1: o.beta1,
      beta2: o.beta2,
      eps: o.eps,
      losses: o.losses,
      constantSteps: o.constantSteps,
      decaySteps: o.decaySteps,
      updates: o.updates,
    })),
    networks: program.networks.map((net) => ({
      id: net.id,
      role: net.role,
      label: networkLabels.get(net.id) ?? net.id,
      inputShape: [...(networkInputShape(program, net.id) ?? [])],
    })),
    lossTerms: program.losses.map((id) => ({
      id,
      label: labels[id] ?? id,
      type: String(nodes.get(id)?.params.type ?? ''),
      weight: Number(nodes.get(id)?.params.weight ?? 1),
    })),
  };
}
