/** README.md of an exported project: what it is, and the commands. */
import type { GraphDocument } from '../../../graph/document';
import type { VariableValue } from '../../../graph/expression';
import type { TrainingProgram } from '../../program';
import { builtinFolder } from './builtinData';

export function projectReadme(
  document: GraphDocument,
  program: TrainingProgram,
  overrides: Readonly<Record<string, VariableValue | string>>,
): string {
  const sets = Object.entries(overrides)
    .map(([k, v]) => ` --set ${k}=${v}`)
    .join('');
  const sources = program.nodes.flatMap((n) =>
    typeof n.params.source === 'string' ? [n.params.source] : [],
  );
  const folders = [...new Set(sources)].map((s) => builtinFolder(s) ?? s);
  const dataroot = folders[0] ?? '<folder>';
  const networks = program.networks.map((n) => `\`${n.id}\` (${n.role})`).join(', ');
  return `# ${document.name ?? 'A Ganvas graph'}, in PyTorch

Exported from Ganvas by \`ganvas export pytorch graph.json${sets}\`. The networks (${networks})
are in \`model.py\`, one \`nn.Module\` each; their state_dict names are the names Ganvas gives their
weights (\`${program.networks[0]?.id ?? 'G'}.…\`), so weights move both ways. \`train.py\` holds the
graph's training step as Ganvas runs it: each optimizer over its own networks, in update order,
n_critic, clipping, learning rates and their policy, image pools, every loss term with its
weight, values computed once per step and judged as constants by later updates.

Needs Python 3, PyTorch 1.13 or later, numpy and Pillow (Debian: \`apt-get install python3-torch
python3-numpy python3-pil\`); nothing else.

## Train

    python train.py --dataroot ${dataroot} --steps 1000
    torchrun --nproc_per_node=4 train.py --dataroot ${dataroot} --n_epochs 100 --n_epochs_decay 100

(Debian 12's \`torchrun\`, PyTorch 1.13 on Python 3.11, fails on its own defaults for two
options: add \`--redirects 9:1 --tee 9:1\`, which mean the same, no redirection.)

A data folder holds \`trainA/\` and \`trainB/\` (an Images node reads \`trainA/\`) of PNG or JPEG
images. Without \`--dataroot\` each data node reads ${folders.map((f) => `\`${f}\``).join(', ') || 'its folder'}.
Under \`torchrun\` each process trains on its share of the images (\`--batch_size\` is per process);
gradients are averaged over the processes before every optimizer step, as
DistributedDataParallel does; BatchNorm becomes SyncBatchNorm on GPUs; rank 0 logs and writes
checkpoints. (The averaging is written out rather than wrapped in \`DistributedDataParallel\`:
a GAN step applies a network several times, under several optimizers, and the gradient penalty
differentiates twice, which the wrapper does not support.)

Options: \`--batch_size\`, \`--n_epochs\`, \`--n_epochs_decay\`, \`--lr\`, \`--checkpoints_dir\`,
\`--continue_train\` as the reference CycleGAN names them, and \`--steps N\`, \`--amp\` (bfloat16
autocast on CUDA), \`--seed\`. \`python train.py --help\` lists them all.

## Weights and logs, both ways

Checkpoints are \`checkpoints/latest.safetensors\` (every weight by its Ganvas name, PyTorch
layouts) and \`latest_state.pt\` (optimizers, pools, step, for \`--continue_train\`). Ganvas reads
the weights:

    ganvas translate graph.json${sets} --init checkpoints/latest.safetensors --net ${program.networks[0]?.id ?? 'G'} --in photos --out out

\`--init\` takes weights trained in Ganvas (\`ganvas train --save\` or a Ganvas checkpoint).
\`--log run.jsonl\` writes Ganvas's JSON lines with the same term names: drop the file on the
training dock to plot it.

## Compare with Ganvas on one batch

    ganvas train graph.json${sets} --init w.safetensors --batch b.safetensors --steps 3 --log ganvas.jsonl
    python train.py --init w.safetensors --batch b.safetensors --steps 3 --log torch.jsonl

The two logs agree to float32 rounding. Random numbers that Ganvas draws from its own stream
during a step (image pool choices, the gradient penalty's interpolation weights) are drawn the
same way here (\`ganvas_random.py\`); dropout masks are PyTorch's own.
`;
}
