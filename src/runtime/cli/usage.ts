/**
 * What `ganvas --help` and `ganvas <command> --help` print: one entry per command, its usage
 * lines and the notes that explain them.
 */
export interface CommandUsage {
  /** The synopsis lines, `ganvas <command> ...` first. */
  usage: string;
  /** What it does and what its options mean, shown by `ganvas <command> --help`. */
  notes: string;
}

export const COMMAND_USAGE: Record<string, CommandUsage> = {
  check: {
    usage: `ganvas check <graph.json> [--set name=value]... [--memory-budget 16GiB] [--layers]`,
    notes: `Checks a graph: its shapes, its training wiring, each network's parameters and a training
step's estimated memory, refused over --memory-budget (default 16GiB; a bare number is GiB).
Prints what each network costs (parameters, forward multiply-adds, activation memory);
--layers adds one row per layer.`,
  },
  train: {
    usage: `ganvas train <graph.json> [--set name=value]... [--steps N] [--backend cpu|webgpu]
             [--memory-budget 16GiB]
             [--data builtin:<name>|<folder>|<file.zip>] [--init weights.safetensors]
             [--batch batch.safetensors] [--log file.jsonl] [--save weights.safetensors]
             [--seed N] [--checkpoint file.safetensors] [--checkpoint-every N]
             [--eval-every N]`,
    notes: `A data folder holds trainA/ and trainB/ (testA/ and testB/ optional) of PNG or JPEG images.
With --checkpoint, train resumes from the file when it exists, and writes it every
--checkpoint-every steps (default 100) and at the end. --batch trains on the same tensors every
step; --log writes each step's loss terms as JSON lines. With --eval-every N, train measures
quality on held-out data every N steps (L1 to the true translations of the built-in scenes or of
a folder whose testA/ and testB/ pair by file name, or a digit classifier's figures for MNIST)
and logs it.`,
  },
  eval: {
    usage: `ganvas eval <graph.json> --init <weights.safetensors> --data builtin:<name>|<folder>
            [--set name=value]...`,
    notes: `Scores trained weights on held-out images with true translations (a built-in dataset, or a
folder whose testA/ and testB/ pair by file name): mean L1 to the true translations against the
identity and blank baselines, or, for MNIST generators, a digit
classifier's share of confident samples, the entropy of its classes and a Fréchet distance.`,
  },
  translate: {
    usage: `ganvas translate --checkpoint <file> --net <generator> --in <folder> --out <folder>
ganvas translate <graph.json> --init <weights.safetensors> --net <generator> --in <folder>
                 --out <folder> [--set name=value]...`,
    notes: `Applies a trained generator to every image of a folder, writing PNGs of the same names.
--init takes weights by their state_dict names (ganvas train --save, or an exported PyTorch
project's checkpoints/latest.safetensors).`,
  },
  export: {
    usage: `ganvas export pytorch <graph.json> [--set name=value]... --out <folder>`,
    notes: `Writes the graph as a PyTorch project: model.py (one nn.Module per network, state_dict names
as Ganvas names its weights), train.py (the graph's training step as Ganvas runs it; runs on
the CPU, one GPU, or many under torchrun), data.py, graph.json, a README with the commands,
and the built-in datasets the graph trains on as image folders under data/. A graph using
something PyTorch code cannot reproduce is refused, naming the node and the reason.`,
  },
  diff: {
    usage: `ganvas diff <a.json> <b.json>`,
    notes: `Says in words what differs between two graphs for training (loss types and weights,
variables, network params, nodes added or removed, wires moved); positions and labels do not
count. Exit 0 when they train the same, 1 when they differ.`,
  },
};

/** `ganvas --help`: every command's usage. */
export function overview(): string {
  const commands = Object.values(COMMAND_USAGE)
    .map((c) => `  ${c.usage.replace(/\n/g, '\n  ')}`)
    .join('\n');
  return `ganvas: check, train, use and export GAN graphs

${commands}

  ganvas <command> --help says more about one command.
`;
}

/** `ganvas <command> --help`: its usage and notes. */
export function commandHelp(command: string): string | undefined {
  const entry = Object.hasOwn(COMMAND_USAGE, command) ? COMMAND_USAGE[command] : undefined;
  return entry && `${entry.usage}\n\n${entry.notes}\n`;
}
