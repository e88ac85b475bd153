import { checkGraph } from '../../graph/check';
import { formatProblem } from '../../graph/problems';
import { edgeKey } from '../../graph/resolve';
import { formatShape } from '../../nodes/shapeRules';
import { estimateLines, memoryLimits } from './budget';
import { readGraphFile } from './files';

/**
 * Prints every edge's shape (and each network's, for its first application), then each network's
 * parameters and a step's memory against the budget; or every problem.
 */
export function runCheck(
  file: string,
  sets: Record<string, string>,
  memoryBudget?: string,
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
    if (result.estimate) lines.push('', ...estimateLines(result.estimate, limits));
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
