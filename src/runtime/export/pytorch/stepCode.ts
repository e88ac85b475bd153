/**
 * The training step of train.py, written out from the compiled program by following what the
 * trainer does with it (src/runtime/schedule.ts, interpreter.ts, applicationCalls.ts): the
 * optimizers in order, each update evaluating the terms it minimizes depth first, a value
 * computed once per step and reused (a constant to every later update), the values that depend
 * on an optimizer's networks computed again for it, n_critic updates on fresh batches, and a
 * recomputed application of an unchanged network replaying its first call. Which values exist
 * at each point is known from the program alone, so the step is straight-line Python.
 */
import { networksNamed } from '../../../graph/networkReferences';
import { findNodeKind } from '../../../nodes';
import type { ProgramNode, ProgramOptimizer, TrainingProgram } from '../../program';
import { ExportRefusal, pythonLiteral, pythonName, uniqueNames } from './pythonText';

/** Names train.py's step uses itself; no value may take them. */
const RESERVED = ['self', 'step', 'terms', 'nets', 'losses', 'torch', 'math', '_'];

interface Simulation {
  /** Node id -> the update that computed its value this step. */
  cached: Map<string, number>;
  update: number;
  /** Updates applied to each network so far. */
  versions: Map<string, number>;
  /** Application node -> its network's version at its first call since the calls were forgotten. */
  applications: Map<string, number>;
  /** Values rebound as constants in the current update. */
  detached: Set<string>;
  /** Application nodes recomputed as a replay somewhere in the step. */
  replayed: Set<string>;
}

class StepWriter {
  readonly lines: string[] = [];
  indent = '        ';
  private readonly nodes: Map<string, ProgramNode>;
  private readonly names: Map<string, string>;

  constructor(
    private readonly program: TrainingProgram,
    readonly sim: Simulation,
    /** From a first pass: the applications whose first call must keep its random state. */
    private readonly replayedLater: ReadonlySet<string>,
  ) {
    this.nodes = new Map(program.nodes.map((n) => [n.id, n]));
    const wanted: [string, string][] = [];
    for (const node of program.nodes) {
      for (const port of Object.keys(node.outputShapes)) {
        const name =
          port === 'out' || port === 'loss'
            ? node.id
            : node.behavior === 'dataset'
              ? port
              : `${node.id}_${port}`;
        wanted.push([`${node.id}:${port}`, pythonName(name)]);
      }
      if (node.behavior === 'network')
        wanted.push([`${node.id}:rng`, `rng_${pythonName(node.id)}`]);
    }
    this.names = uniqueNames(wanted, RESERVED);
  }

  emit(line: string): void {
    this.lines.push(line === '' ? '' : this.indent + line);
  }

  value(id: string, port: string): string {
    const name = this.names.get(`${id}:${port}`);
    if (!name) throw new ExportRefusal(id, `has no output "${port}"`);
    return name;
  }

  /** The variable holding a port's value, computed or rebound as a constant as needed. */
  use(id: string, port: string): string {
    this.evaluate(id);
    const node = this.nodes.get(id)!;
    const constant = node.behavior === 'dataset' || node.behavior === 'noise';
    if (this.sim.cached.get(id) !== this.sim.update && !constant && !this.sim.detached.has(id)) {
      if (this.sim.detached.size === 0) {
        this.emit('# Computed by an earlier update: a constant here, as in Ganvas.');
      }
      this.sim.detached.add(id);
      for (const p of Object.keys(node.outputShapes)) {
        const v = this.value(id, p);
        this.emit(`${v} = ${v}.detach()`);
      }
    }
    return this.value(id, port);
  }

  private input(node: ProgramNode, port: string): string {
    const ref = node.inputs[port]?.[0];
    if (!ref) throw new ExportRefusal(node.id, `input "${port}" is not connected`);
    return this.use(ref.node, ref.port);
  }

  evaluate(id: string): void {
    if (this.sim.cached.has(id)) return;
    const node = this.nodes.get(id)!;
    const outs = Object.keys(node.outputShapes).map((p) => this.value(id, p));
    switch (node.behavior) {
      case 'dataset':
      case 'noise':
        this.emit(
          `${outs.join(', ')}${outs.length === 1 ? ',' : ''} = self.draw(${pythonLiteral(id)})`,
        );
        break;
      case 'network':
        this.application(node);
        break;
      case 'pool':
        this.emit(
          `${outs[0]} = self.pools[${pythonLiteral(id)}].query(${this.input(node, 'in')}, self.random)`,
        );
        break;
      case 'layer': {
        if (node.kind !== 'Concat') {
          throw new ExportRefusal(
            id,
            `a ${node.kind} in the training graph has no PyTorch translation`,
          );
        }
        const [a, b] = this.inputsInOrder(node, ['a', 'b']);
        this.emit(`${outs[0]} = torch.cat([${a}, ${b}], 1)`);
        break;
      }
      case 'loss':
        this.emit(`${outs[0]} = ${this.loss(node)}`);
        break;
      default:
        throw new ExportRefusal(id, `a ${node.kind} node computes nothing a loss could use`);
    }
    this.sim.cached.set(id, this.sim.update);
  }

  /** Evaluates the node's inputs in the order the trainer does (the order they were wired). */
  private inputsInOrder(node: ProgramNode, ports: readonly string[]): string[] {
    const values = new Map<string, string>();
    for (const port of Object.keys(node.inputs)) values.set(port, this.input(node, port));
    return ports.map((p) => values.get(p)!);
  }

  private application(node: ProgramNode): void {
    const { network, taps = [] } = node.params as { network: string; taps?: string[] };
    const x = this.input(node, 'in');
    const version = this.sim.versions.get(network) ?? 0;
    const replay = this.sim.applications.get(node.id) === version;
    const rng = this.value(node.id, 'rng');
    if (replay) {
      this.sim.replayed.add(node.id);
    } else {
      this.sim.applications.set(node.id, version);
      if (this.replayedLater.has(node.id)) this.emit(`${rng} = self.random_state()`);
    }
    const args = [pythonLiteral(network), x];
    if (taps.length > 0) args.push(`taps=${pythonLiteral(taps)}`);
    if (replay) args.push(`replaying=${rng}`);
    const outs = ['out', ...taps].map((p) => this.value(node.id, p));
    this.emit(`${outs.join(', ')} = self.apply(${args.join(', ')})`);
  }

  private loss(node: ProgramNode): string {
    const p = node.params as Record<string, unknown>;
    const weighted = (expression: string, weight: unknown) =>
      weight === 1 ? expression : `${weight} * ${expression}`;
    if (node.kind === 'GradientPenalty') {
      const [real, fake] = this.inputsInOrder(node, ['real', 'fake']);
      return weighted(
        `self.gradient_penalty(${pythonLiteral(p.network)}, ${real}, ${fake})`,
        p.weight,
      );
    }
    if (node.kind !== 'Loss') {
      throw new ExportRefusal(node.id, `a ${node.kind} term has no PyTorch translation`);
    }
    const type = p.type as string;
    if (type === 'pullaway') {
      const [embeddings] = this.inputsInOrder(node, ['embeddings']);
      return weighted(`losses.pull_away(${embeddings})`, p.weight);
    }
    if (type === 'l1' || type === 'l2') {
      const [input, target] = this.inputsInOrder(node, ['input', 'target']);
      return weighted(`losses.${type}(${input}, ${target})`, p.weight);
    }
    const ports = Object.keys(node.inputs);
    const values = this.inputsInOrder(node, ['real', 'fake']);
    const [real, fake] = values;
    if (type === 'began') {
      if (p.role === 'generator') return weighted(`${real}.mean()`, p.weight);
      return weighted(
        `self.began_balance(${pythonLiteral(node.id)}, ${real}, ${fake}, gamma=${p.gamma}, lambda_k=${p.lambdaK})`,
        p.weight,
      );
    }
    const criterion = (x: string, target: 0 | 1) => {
      if (type === 'hinge' && p.role === 'generator') return `losses.wgan(${x}, 1)`;
      if (type === 'ebgan') return `losses.ebgan(${x}, ${target}, margin=${p.margin})`;
      return `losses.${type}(${x}, ${target})`;
    };
    const parts = [
      ...(ports.includes('real') ? [criterion(real!, 1)] : []),
      ...(ports.includes('fake') ? [criterion(fake!, 0)] : []),
    ];
    return weighted(parts.length === 1 ? parts[0]! : `(${parts.join(' + ')})`, p.weight);
  }

  /** One update of an optimizer: its terms, then the update. */
  updateBody(opt: ProgramOptimizer): void {
    const terms = opt.summed.map((id) => this.use(id, 'loss'));
    this.emit(`self.update(${pythonLiteral(opt.id)}, ${terms.join(' + ')}, step)`);
    for (const id of opt.summed) {
      this.emit(`terms[${pythonLiteral(id)}] = ${this.value(id, 'loss')}.detach()`);
    }
  }
}

/**
 * Forgets the values that depend on the networks (schedule.ts's forgetValuesOf): computed in
 * another update, they would give these networks no gradient. A pool's output stays.
 */
function forgetValuesOf(program: TrainingProgram, networks: readonly string[], sim: Simulation) {
  const nodes = new Map(program.nodes.map((n) => [n.id, n]));
  const wanted = new Set(networks);
  const memo = new Map<string, boolean>();
  const depends = (id: string): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    memo.set(id, false);
    const node = nodes.get(id)!;
    const own = networksNamed(findNodeKind(node.kind), node.params).some((n) => wanted.has(n));
    const result =
      node.behavior !== 'pool' &&
      (own || Object.values(node.inputs).some((refs) => refs.some((r) => depends(r.node))));
    memo.set(id, result);
    return result;
  };
  for (const id of [...sim.cached.keys()]) if (depends(id)) sim.cached.delete(id);
}

function writeStep(program: TrainingProgram, replayedLater: ReadonlySet<string>) {
  const sim: Simulation = {
    cached: new Map(),
    update: 0,
    versions: new Map(),
    applications: new Map(),
    detached: new Set(),
    replayed: new Set(),
  };
  const writer = new StepWriter(program, sim, replayedLater);
  const reported = [...new Set(program.optimizers.flatMap((o) => o.losses))];
  writer.emit(`terms = {${reported.map((id) => `${pythonLiteral(id)}: 0.0`).join(', ')}}`);
  const finishUpdate = (opt: ProgramOptimizer) => {
    for (const n of opt.networks) sim.versions.set(n, (sim.versions.get(n) ?? 0) + 1);
    sim.update++;
    sim.detached.clear();
  };
  for (const opt of program.optimizers) {
    const sum = opt.summed.join(' + ') || 'nothing: every term is weighted 0';
    writer.emit('');
    writer.emit(
      `# ${opt.id} updates ${opt.networks.join(', ')}${opt.updates > 1 ? ` ${opt.updates} times (n_critic), each on a fresh batch,` : ''} minimizing ${sum}.`,
    );
    if (opt.summed.length === 0) continue;
    forgetValuesOf(program, opt.networks, sim);
    const fresh = sim.cached.size === 0 && sim.applications.size === 0;
    if (opt.updates === 1) {
      writer.updateBody(opt);
      finishUpdate(opt);
      continue;
    }
    if (!fresh) {
      writer.updateBody(opt);
      finishUpdate(opt);
    }
    writer.emit(`for _ in range(${fresh ? opt.updates : opt.updates - 1}):`);
    writer.indent += '    ';
    sim.cached.clear();
    sim.applications.clear();
    writer.updateBody(opt);
    writer.indent = writer.indent.slice(4);
    for (let i = 0; i < (fresh ? opt.updates : opt.updates - 1); i++) finishUpdate(opt);
  }
  writer.emit('return terms');
  return { lines: writer.lines, replayed: sim.replayed };
}

/** The body of `Training.step(self, step)`. */
export function stepPy(program: TrainingProgram): string {
  const first = writeStep(program, new Set());
  return writeStep(program, first.replayed).lines.join('\n');
}
