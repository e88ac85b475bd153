/**
 * The fixed parts of train.py: its imports, the Training class's helpers (applications, updates,
 * data-parallel gradients, BEGAN's balance, the gradient penalty, checkpoints) and the command
 * line. The program's description goes between TRAIN_HEAD_PY and TRAIN_BODY_PY, the generated
 * step in place of STEP_MARKER.
 */
export const STEP_MARKER = '#@step';

export const TRAIN_HEAD_PY = String.raw`import argparse
import json
import os
import time

import torch
import torch.distributed as dist

import losses
from data import DataBatches, FixedBatches
from ganvas_random import GanvasRandom, ImagePool, tfjs_uniform
from model import NETWORKS, init_weights
from safetensors_io import read_safetensors, write_safetensors
`;

export const TRAIN_BODY_PY = String.raw`

def learning_rate(spec, step):
    """Constant for constantSteps steps, then linear decay to zero over decaySteps (Ganvas's
    policy, the reference's per step)."""
    if spec["constantSteps"] is None:
        return spec["lr"]
    decayed = max(0, step - spec["constantSteps"]) / spec["decaySteps"]
    return spec["lr"] * max(0.0, 1 - decayed)


def make_optimizer(spec, params):
    if spec["type"] == "adam":
        return torch.optim.Adam(params, lr=spec["lr"], betas=(spec["beta1"], spec["beta2"]), eps=spec["eps"])
    if spec["type"] == "rmsprop":
        return torch.optim.RMSprop(params, lr=spec["lr"], alpha=spec["alpha"], eps=spec["eps"])
    return torch.optim.SGD(params, lr=spec["lr"])


class Training:
    """The networks, their optimizers, the image pools and the state of training-graph nodes,
    and the step that trains them."""

    def __init__(self, device, source, seed=0, rank=0, world=1, amp=False):
        self.device = device
        self.source = source
        self.rank, self.world = rank, world
        self.amp = amp
        torch.manual_seed(seed)
        self.nets = torch.nn.ModuleDict({name: NETWORKS[name]() for name in PROGRAM["networks"]})
        for net in self.nets.values():
            init_weights(net)
        if world > 1 and device.type == "cuda" and PROGRAM["batchNorm"]:
            self.nets = torch.nn.SyncBatchNorm.convert_sync_batchnorm(self.nets)
        self.nets.to(device).train()
        self.random = GanvasRandom(seed + rank)
        # Ganvas draws a seed for each weight it initialises at random, even when --init then
        # replaces them: the step's draws (pools, gradient penalty) follow those.
        for _ in range(PROGRAM["initDraws"]):
            self.random.int(2 ** 31)
        self.specs = {spec["id"]: spec for spec in PROGRAM["optimizers"]}
        self.trained = {
            spec["id"]: [p for n in spec["networks"] for p in self.nets[n].parameters()]
            for spec in PROGRAM["optimizers"]
        }
        self.optimizers = {
            name: make_optimizer(self.specs[name], params) for name, params in self.trained.items()
        }
        self.pools = {node: ImagePool(size) for node, size in PROGRAM["pools"].items()}
        self.node_state = {
            node: {name: torch.tensor(value, device=device) for name, value in state.items()}
            for node, state in PROGRAM["nodeState"].items()
        }
        self.completed_steps = 0

#@step

    def draw(self, node):
        """A data node's batch (its ports in order), as PyTorch lays it out: N, C, H, W."""
        batch = self.source.next(node)
        return tuple(batch[port].to(self.device) for port in PROGRAM["data"][node]["ports"])

    def apply(self, network, x, taps=(), replaying=None):
        """A network applied to x; with taps, also the outputs of those layers. Replaying a first
        call (the random state it started from) gives the same dropout masks and leaves the
        running statistics as that call left them: Ganvas computes each value once per step and
        only records it again for a later optimizer's gradient."""
        net = self.nets[network]
        tapped = {}
        hooks = [
            net.get_submodule(layer).register_forward_hook(
                lambda module, inputs, output, layer=layer: tapped.__setitem__(layer, output)
            )
            for layer in taps
        ]
        with torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.amp):
            if replaying is None:
                out = net(x)
            else:
                buffers = {name: b.clone() for name, b in net.named_buffers()}
                with torch.random.fork_rng(devices=[self.device] if self.device.type == "cuda" else []):
                    torch.set_rng_state(replaying[0])
                    if replaying[1] is not None:
                        torch.cuda.set_rng_state(replaying[1], self.device)
                    out = net(x)
                # Put back, not copied into: the call's gradient still reads the buffers it saw.
                for name, saved in buffers.items():
                    module, _, leaf = name.rpartition(".")
                    net.get_submodule(module)._buffers[leaf] = saved
        for hook in hooks:
            hook.remove()
        out = out.float()
        return (out, *[tapped[layer].float() for layer in taps]) if taps else out

    def random_state(self):
        cuda = torch.cuda.get_rng_state(self.device) if self.device.type == "cuda" else None
        return torch.get_rng_state(), cuda

    def update(self, name, loss, step):
        """One optimizer step on the gradients of its own networks only. Under torchrun the
        gradients are averaged over the processes first, as DistributedDataParallel does."""
        params = self.trained[name]
        grads = torch.autograd.grad(loss, params, allow_unused=True)
        for p, g in zip(params, grads):
            p.grad = g
        if self.world > 1:
            for p in params:
                if p.grad is not None:
                    dist.all_reduce(p.grad)
                    p.grad /= self.world
        spec = self.specs[name]
        optimizer = self.optimizers[name]
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(spec, step)
        optimizer.step()
        if spec["clip"] is not None:
            with torch.no_grad():
                for p in params:
                    p.clamp_(-spec["clip"], spec["clip"])

    def mean_over_processes(self, value):
        if self.world > 1:
            value = value.clone()
            dist.all_reduce(value)
            value /= self.world
        return value

    def began_balance(self, node, real, fake, gamma, lambda_k):
        """BEGAN's discriminator term L(x) - k*L(G(z)), after moving k by
        lambda_k*(gamma*L(x) - L(G(z))) clipped to [0, 1] (Ganvas moves k first, then reads it)."""
        loss_real, loss_fake = real.mean(), fake.mean()
        balance = self.mean_over_processes((loss_real * gamma - loss_fake).detach())
        k = torch.clamp(self.node_state[node]["k"] + balance * lambda_k, 0, 1)
        self.node_state[node]["k"] = k
        return loss_real - k * loss_fake

    def gradient_penalty(self, network, real, fake):
        """Interpolation weights drawn as Ganvas draws them: a seed from its stream, then tfjs's
        seeded uniform numbers, one per sample."""
        seed = self.random.int(2 ** 31)
        epsilon = tfjs_uniform([real.shape[0]] + [1] * (real.dim() - 1), seed).to(real.device)
        return losses.gradient_penalty(self.nets[network], real, fake, epsilon)

    def train_step(self):
        """One step; every term as Ganvas logs it (weighted; 0 for a term weighted 0)."""
        terms = self.step(self.completed_steps)
        self.completed_steps += 1
        names = list(terms)
        values = torch.stack([torch.as_tensor(terms[n], device=self.device).float() for n in names])
        values = self.mean_over_processes(values).tolist()
        return dict(zip(names, values))

    def weights(self):
        """Every weight and running statistic, by Ganvas's names, in PyTorch layouts."""
        return {k: v for k, v in self.nets.state_dict().items() if v.is_floating_point()}

    def load_weights(self, path):
        """A safetensors file of weights by Ganvas's names (ganvas train --save, or this program's
        checkpoints), or a Ganvas checkpoint (ganvas train --checkpoint: tfjs layouts)."""
        tensors, _ = read_safetensors(path)
        if any(name.startswith("weight/") for name in tensors):
            tensors = {k[len("weight/"):]: from_tfjs(v) for k, v in tensors.items() if k.startswith("weight/")}
        own = self.nets.state_dict()
        missing = [n for n, v in own.items() if v.is_floating_point() and n not in tensors]
        if missing:
            raise SystemExit(f"{path}: no weight {missing[0]} (and {len(missing) - 1} more missing)")
        with torch.no_grad():
            for name, value in tensors.items():
                if name in own:
                    if tuple(own[name].shape) != tuple(value.shape):
                        raise SystemExit(f"{path}: {name} is {list(value.shape)}, expected {list(own[name].shape)}")
                    own[name].copy_(value)

    def save_state(self, path):
        torch.save(
            {
                "step": self.completed_steps,
                "random": self.random.a,
                "optimizers": {n: o.state_dict() for n, o in self.optimizers.items()},
                "pools": {n: p.images for n, p in self.pools.items()},
                "nodeState": self.node_state,
            },
            path,
        )

    def load_state(self, path):
        state = torch.load(path, map_location=self.device)
        self.completed_steps = state["step"]
        self.random.a = state["random"]
        for name, optimizer in self.optimizers.items():
            optimizer.load_state_dict(state["optimizers"][name])
        for name, images in state["pools"].items():
            self.pools[name].images = images
        self.node_state = state["nodeState"]


def from_tfjs(value):
    """A tfjs-layout weight to PyTorch's: convolutions [kh, kw, in, out] -> [out, in, kh, kw]
    (transposed ones alike), dense [in, out] -> [out, in]."""
    if value.dim() == 4:
        return value.permute(3, 2, 0, 1).contiguous()
    if value.dim() == 2:
        return value.t().contiguous()
    return value


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataroot", help="a folder with trainA/ and trainB/ (replaces every data node's source)")
    parser.add_argument("--batch_size", type=int, help="images per process and step (default: the graph's)")
    parser.add_argument("--steps", type=int, help="steps to train (default: from --n_epochs, else 100)")
    parser.add_argument("--n_epochs", type=int, help="epochs at the initial learning rate")
    parser.add_argument("--n_epochs_decay", type=int, default=0, help="epochs of linear decay to zero after")
    parser.add_argument("--lr", type=float, help="every optimizer's initial learning rate")
    parser.add_argument("--checkpoints_dir", default="checkpoints")
    parser.add_argument("--save_every", type=int, default=1000, help="steps between checkpoints")
    parser.add_argument("--continue_train", action="store_true", help="resume from checkpoints_dir")
    parser.add_argument("--init", help="initial weights: safetensors by Ganvas's names, or a Ganvas checkpoint")
    parser.add_argument("--batch", help="train on this safetensors batch every step (as ganvas train --batch)")
    parser.add_argument("--log", help="write each step's terms as JSON lines (Ganvas's format)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--amp", action="store_true", help="bfloat16 autocast on CUDA")
    parser.add_argument("--num_workers", type=int, default=2)
    parser.add_argument("--device", help="cpu or cuda (default: cuda when there is one)")
    return parser.parse_args()


def main():
    args = parse_args()
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    cuda = torch.cuda.is_available() and args.device != "cpu"
    device = torch.device(f"cuda:{local_rank}" if cuda else "cpu")
    if world > 1:
        dist.init_process_group("nccl" if cuda else "gloo")
    if cuda:
        torch.cuda.set_device(device)
    if args.lr is not None:
        for spec in PROGRAM["optimizers"]:
            spec["lr"] = args.lr
    if args.batch:
        source = FixedBatches(args.batch, PROGRAM["data"], rank, world)
    else:
        source = DataBatches(PROGRAM["data"], args.dataroot, args.batch_size, rank, world, args.seed, args.num_workers)
    steps = args.steps if args.steps is not None else 100
    if args.n_epochs is not None:
        per_epoch = source.steps_per_epoch()
        steps = args.steps if args.steps is not None else (args.n_epochs + args.n_epochs_decay) * per_epoch
        for spec in PROGRAM["optimizers"]:
            spec["constantSteps"] = args.n_epochs * per_epoch
            spec["decaySteps"] = max(1, args.n_epochs_decay * per_epoch)
    training = Training(device, source, args.seed, rank, world, args.amp and cuda)
    latest = os.path.join(args.checkpoints_dir, "latest.safetensors")
    if args.continue_train:
        training.load_weights(latest)
        training.load_state(os.path.join(args.checkpoints_dir, "latest_state.pt"))
    elif args.init:
        training.load_weights(args.init)
    if world > 1:
        for value in training.nets.state_dict().values():
            dist.broadcast(value, 0)

    def save():
        if rank == 0:
            os.makedirs(args.checkpoints_dir, exist_ok=True)
            write_safetensors(latest, training.weights(), {"steps": training.completed_steps})
            training.save_state(os.path.join(args.checkpoints_dir, "latest_state.pt"))

    log = open(args.log, "w") if args.log and rank == 0 else None
    for _ in range(steps):
        started = time.perf_counter()
        terms = training.train_step()
        ms = (time.perf_counter() - started) * 1000
        bad = [name for name, value in terms.items() if value != value or abs(value) == float("inf")]
        if rank == 0:
            line = "  ".join(f"{name} {value:.3g}" for name, value in terms.items())
            print(f"step {training.completed_steps}  {ms / 1000:.2f} s/step  {line}", flush=True)
            if log:
                entry = {"step": training.completed_steps, "losses": terms, "stepMs": round(ms, 1)}
                log.write(json.dumps(entry) + "\n")
                log.flush()
        if bad:
            raise SystemExit(f"loss {bad[0]} became {terms[bad[0]]} at step {training.completed_steps}: training stopped")
        if args.save_every > 0 and training.completed_steps % args.save_every == 0:
            save()
    save()
    if world > 1:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
`;
