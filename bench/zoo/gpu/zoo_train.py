"""Trains one MNIST family of the zoo from its exported PyTorch project and scores it as Ganvas's
training dock does (src/runtime/quality/): every --every steps, 512 digits generated from fixed
noise (the batch's batch-norm statistics, as bench/zooMnist.ts samples) are read by the digit
classifier (scripts/train-digit-classifier.py): the share read as one digit with probability
above 0.9, the entropy in bits of the digits read, and the Frechet distance to the real test
digits in the classifier's 64 features. Writes curve.json and 8x8 grids of the first 64 (every
--grid_every steps and the last).

    python3 zoo_train.py --project lsgan --steps 5000 --every 500 --out results/lsgan

The project's own train.py runs the step (Training.step: Ganvas's step, which the export's
parity tests hold equal to `ganvas train`); only the data comes from here: mnist.safetensors.gz
(bench/zoo/gpu/stage.ts), every digit on the device, batches drawn epoch by epoch as
PyTorch's RandomSampler does.
"""
import argparse
import gzip
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = 512
NOT_A_DIGIT = 10
CONFIDENT = 0.9


def read_safetensors(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    body = data[8 + length :]
    dtypes = {"F32": np.float32, "U8": np.uint8}
    return {
        name: np.frombuffer(body[info["data_offsets"][0] : info["data_offsets"][1]], dtypes[info["dtype"]]).reshape(
            info["shape"]
        )
        for name, info in header.items()
        if name != "__metadata__"
    }


def digits_at(size, split, device):
    """N x 1 x size x size in [-1, 1], as Ganvas's createMnistDataset gives them."""
    raw = read_safetensors(os.path.join(HERE, "mnist.safetensors.gz"))[f"{split}{size}"]
    return torch.from_numpy(raw.astype(np.float32) / 127.5 - 1).unsqueeze(1).to(device)


class MnistBatches:
    """The graph's data nodes: Images nodes draw from every training digit without replacement
    within an epoch; Noise nodes draw fresh normal (or uniform in [-1, 1]) vectors."""

    def __init__(self, specs, device):
        self.specs, self.device = specs, device
        sizes = {spec["size"] for spec in specs.values() if spec["kind"] != "Noise"}
        self.digits = {size: digits_at(size, "train", device) for size in sizes}
        self.order, self.at = {}, {}

    def next(self, node):
        spec = self.specs[node]
        n = spec["batchSize"]
        if spec["kind"] == "Noise":
            shape = (n, spec["dim"])
            out = torch.randn(shape, device=self.device) if spec["distribution"] == "normal" else torch.rand(shape, device=self.device) * 2 - 1
            return {"out": out}
        digits = self.digits[spec["size"]]
        if node not in self.order or self.at[node] + n > len(digits):
            self.order[node] = torch.randperm(len(digits), device=self.device)
            self.at[node] = 0
        picked = self.order[node][self.at[node] : self.at[node] + n]
        self.at[node] += n
        return {spec["ports"][0]: digits[picked]}


class DigitClassifier(torch.nn.Module):
    """scripts/train-digit-classifier.py's network, from its tfjs-layout weights."""

    def __init__(self, path):
        super().__init__()
        w = {k: torch.from_numpy(v.copy()) for k, v in read_safetensors(path).items()}
        self.convs = [(w[f"conv{i}.kernel"].permute(3, 2, 0, 1).contiguous(), w[f"conv{i}.bias"]) for i in (1, 2, 3)]
        self.features = (w["features.kernel"], w["features.bias"])
        self.logits = (w["logits.kernel"], w["logits.bias"])

    def to(self, device):
        move = lambda pair: tuple(t.to(device) for t in pair)
        self.convs = [move(c) for c in self.convs]
        self.features, self.logits = move(self.features), move(self.logits)
        return self

    @torch.no_grad()
    def read(self, images):
        """(probabilities N x 11, features N x 64) of N x 1 x H x W images in [-1, 1], resized to
        28 x 28 as tfjs's resizeBilinear with half-pixel centres does (no antialiasing)."""
        x = images.float()
        if x.shape[-1] != 28:
            x = F.interpolate(x, size=(28, 28), mode="bilinear", align_corners=False)
        for kernel, bias in self.convs:
            x = F.max_pool2d(F.relu(F.conv2d(x, kernel, bias, padding=1)), 2)
        x = x.permute(0, 2, 3, 1).flatten(1)
        features = F.relu(x @ self.features[0] + self.features[1])
        return torch.softmax(features @ self.logits[0] + self.logits[1], 1), features


def statistics(features):
    f = features.double().cpu().numpy()
    return f.mean(0), np.cov(f, rowvar=False)


def frechet(a, b):
    (mu1, s1), (mu2, s2) = a, b
    values, vectors = np.linalg.eigh(s1)
    root = (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T
    inner = root @ s2 @ root
    trace_root = np.sqrt(np.clip(np.linalg.eigvalsh((inner + inner.T) / 2), 0, None)).sum()
    return max(0.0, float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * trace_root))


def figures(probabilities, features, real):
    p, classes = probabilities.max(1)
    digits = classes[classes != NOT_A_DIGIT]
    confident = ((classes != NOT_A_DIGIT) & (p > CONFIDENT)).float().mean().item()
    counts = torch.bincount(digits, minlength=10).double()
    share = counts[counts > 0] / max(1, len(digits))
    entropy = float(-(share * torch.log2(share)).sum()) if len(digits) else 0.0
    return {"confidentShare": confident, "classEntropy": entropy, "frechetDistance": frechet(statistics(features), real)}


def grid(images, path, side=8):
    x = ((images[: side * side, 0].float().cpu().clamp(-1, 1) + 1) * 127.5).round().byte().numpy()
    n, h, w = x.shape
    tiles = x.reshape(side, side, h, w).transpose(0, 2, 1, 3).reshape(side * h, side * w)
    Image.fromarray(tiles, "L").save(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--project", required=True, help="an exported project's folder")
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--every", type=int, required=True, help="steps between evaluations")
    parser.add_argument("--grid_every", type=int, default=1000, help="steps between kept sample grids (and the last)")
    parser.add_argument("--seconds", type=float, default=1e9, help="stop early (with a last evaluation) after this long")
    parser.add_argument("--out", required=True)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    started = time.perf_counter()
    torch.set_num_threads(int(os.environ.get("ZOO_THREADS", "2")))
    torch.backends.cudnn.benchmark = True
    sys.path.insert(0, os.path.abspath(args.project))
    from train import PROGRAM, Training

    device = torch.device(args.device)
    os.makedirs(args.out, exist_ok=True)
    source = MnistBatches(PROGRAM["data"], device)
    training = Training(device, source, args.seed)
    images = next(s for s in PROGRAM["data"].values() if s["kind"] == "Images")
    noise = next(s for s in PROGRAM["data"].values() if s["kind"] == "Noise")
    generator = torch.Generator().manual_seed(args.seed + 1000)
    fixed = torch.randn((SAMPLES, noise["dim"]), generator=generator).to(device)
    classifier = DigitClassifier(os.path.join(HERE, "digit-classifier.safetensors")).to(device)
    test = digits_at(images["size"], "test", device)
    p, f = classifier.read(test)
    real = statistics(f)
    halves = figures(p[0::2], f[0::2], statistics(f[1::2]))
    net = training.nets["G"]

    def evaluate(step, losses, seconds, last=False):
        # Generated as training runs G (batch statistics), without moving its running statistics.
        saved = {k: v.clone() for k, v in net.named_buffers()}
        with torch.no_grad():
            made = torch.cat([net(fixed[i : i + images["batchSize"]]) for i in range(0, SAMPLES, images["batchSize"])])
        net.load_state_dict({**net.state_dict(), **saved})
        made = made.float()
        if made.dim() == 2:
            made = made.view(SAMPLES, 1, images["size"], images["size"])
        point = {"step": step, "seconds": round(seconds, 1), **figures(*classifier.read(made), real), "losses": losses}
        if last or step % args.grid_every == 0:
            grid(made, os.path.join(args.out, f"samples-step{step:06d}.png"))
        return point

    curve = [evaluate(0, {}, 0.0)]
    sums, count, step = {}, 0, 0
    train_started = time.perf_counter()
    while step < args.steps:
        terms = training.train_step()
        step += 1
        count += 1
        for k, v in terms.items():
            sums[k] = sums.get(k, 0.0) + v
        bad = [k for k, v in terms.items() if v != v or abs(v) == float("inf")]
        late = time.perf_counter() - started > args.seconds
        if step % args.every == 0 or step == args.steps or bad or late:
            means = {k: v / count for k, v in sums.items()}
            last = step == args.steps or bool(bad) or late
            curve.append(evaluate(step, means, time.perf_counter() - train_started, last))
            print(json.dumps(curve[-1]), flush=True)
            sums, count = {}, 0
            summary = {
                "project": os.path.basename(os.path.abspath(args.project)),
                "device": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
                "size": images["size"],
                "batch": images["batchSize"],
                "msPerStep": round((time.perf_counter() - train_started) * 1000 / step, 2),
                "real": halves,
                "curve": curve,
                "stopped": f"loss {bad[0]} became {terms[bad[0]]}" if bad else "time" if late else None,
            }
            with open(os.path.join(args.out, "curve.json"), "w") as out:
                json.dump(summary, out, indent=1)
            if bad or late:
                break


if __name__ == "__main__":
    main()
