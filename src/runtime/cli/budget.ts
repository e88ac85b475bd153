/** What a graph will ask of the device, as the command line shows it, and the budget it takes. */
import {
  DEFAULT_DEVICE_LIMITS,
  describeStepMemory,
  formatBytes,
  formatCount,
  type DeviceLimits,
  type StepEstimate,
} from '../../graph/budget';
import { UsageError } from './errors';

const UNITS: Record<string, number> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };
const CLI_LIMITS: DeviceLimits = {
  ...DEFAULT_DEVICE_LIMITS,
  raise: 'raise it with --memory-budget',
};

/**
 * The device limits with `--memory-budget` as the step's budget: `32GiB`, `512MiB`, `1.5TiB`
 * (a bare number is GiB). The per-tensor limits stay WebGPU's defaults: the graph is the
 * browser's too.
 */
export function memoryLimits(text: string | undefined): DeviceLimits {
  if (text === undefined) return CLI_LIMITS;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmgt])i?b?)?\s*$/i.exec(text);
  const bytes = match ? Number(match[1]) * UNITS[(match[2] ?? 'g').toLowerCase()]! : NaN;
  if (!(bytes > 0) || !Number.isFinite(bytes)) {
    throw new UsageError(
      `--memory-budget: expected a size such as 32GiB or 512MiB, received "${text}"`,
    );
  }
  return { ...CLI_LIMITS, memoryBytes: bytes };
}

/** One line per network (its parameters), then the step's memory against the budget. */
export function estimateLines(estimate: StepEstimate, limits: DeviceLimits): string[] {
  const width = Math.max(0, ...estimate.networks.map((n) => n.id.length));
  return [
    ...estimate.networks.map(
      (n) => `${n.id.padEnd(width)}  ${formatCount(n.parameters)} parameters`,
    ),
    `${describeStepMemory(estimate, limits)} (weights ${formatBytes(estimate.weights)}, optimizer slots ${formatBytes(estimate.optimizerSlots)}, activations ${formatBytes(estimate.activations)}, gradients ${formatBytes(estimate.gradients)}, pools and batch ${formatBytes(estimate.pools + estimate.batch)})`,
  ];
}
