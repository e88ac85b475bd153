import { checkGraph } from '../../graph/check';
import { formatBytes, formatCount } from '../../graph/budget';
import { formatMultiplyAdds, type LayerCost, type StepCost } from '../../graph/costs';
import { formatProblem } from '../../graph/problems';
import { edgeKey } from '../../graph/resolve';
import { formatShape } from '../../nodes/shapeRules';
import { estimateLines, memoryLimits } from './budget';
import { readGraphFile } from './files';

/** One row of the costs table: what, its output shape, parameters, multiply-adds, activations. */
function costRow(
  what: string,
  c: Pick<LayerCost, 'parameters' | 'multiplyAdds' | 'activationBytes'>,
  output?: readonly number[],
) {
  return [
    what,
    output ? formatShape(output) : '',
    formatCount(c.parameters),
    formatMultiplyAdds(c.multiplyAdds),
    formatBytes(c.activationBytes),
  ];
}

/**
 * Each network's costs (and with `layers`, each layer's), then a step's: as columns, the
 * conventions of costs.ts.
 */
export function costLines(costs: StepCost, layers: boolean): string[] {
  const rows: string[][] = [['', 'output', 'parameters', 'multiply-adds', 'activations']];
  for (const n of costs.networks) {
    rows.push(costRow(`${n.id} (at ${n.application})`, n));
    if (!layers) continue;
    for (const l of n.layers)
      rows.push(costRow(`  ${l.layer.id} ${l.layer.kind}`, l, l.outputs[0]));
  }
  rows.push(costRow('a step (every application, forward)', costs));
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * Prints every edge's shape (and each network's, for its first application), then each network's
 * costs (each layer's with `layers`) and a step's memory against the budget; or every problem.
 */
export function runCheck(
  file: string,
  sets: Record<string, string>,
  memoryBudget?: string,
  layers = false,
): number {
  const limits = memoryLimits(memoryBudget);
  const result = checkGraph(readGraphFile(file), sets, limits);
  const { graph, inference } = result;
  if (graph && inference && result.valid) {
    const lines: string[] = [];
    const table = (
      edges: { source: string; sourcePort: string; target: string; targetPort: string }[],
      shapes: Map<string, readonly number[]>,
      indent: string,
    ) => {
      for (const e of edges) {
        const shape = shapes.get(edgeKey(e));
        const label = shape ? (shape.length ? formatShape(shape) : 'scalar') : '?';
        lines.push(`${indent}${e.source}.${e.sourcePort} -> ${e.target}.${e.targetPort}  ${label}`);
      }
    };
    table(graph.edges, inference.edges, '');
    for (const net of graph.networks) {
      const shapes = inference.networks.get(net.id);
      const [application, body] = shapes?.applications.entries().next().value ?? [];
      if (!body) continue;
      lines.push(
        '',
        `${net.id} (${shapes!.parameterCount} weights; as applied by ${application}):`,
      );
      table(net.body.edges, body.edges, '  ');
    }
    if (result.estimate) {
      lines.push('', ...costLines(result.estimate.costs, layers));
      lines.push('', ...estimateLines(result.estimate, limits));
    }
    for (const p of result.problems) lines.push(`warning: ${formatProblem(p)}`);
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  }
  process.stderr.write(result.problems.map((p) => `${formatProblem(p)}\n`).join(''));
  process.stderr.write(
    `${file}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}\n`,
  );
  return 1;
}
