/** data.py of an exported project: the graph's data nodes as PyTorch data. */
export const DATA_PY = String.raw`"""The graph's data nodes as PyTorch data. A Dataset node reads trainA/ and trainB/ of a folder
(paired data keeps image i of A and of B together, cropped and flipped alike), an Images node
reads trainA/; each image is resized to the node's load size, cropped at random to its size and
flipped at random when the node says so, and scaled to [-1, 1]. A Noise node draws fresh normal
(or uniform in [-1, 1]) vectors. Under torchrun each process reads its own share of the images
(a DistributedSampler)."""
import os
import random

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset, RandomSampler
from torch.utils.data.distributed import DistributedSampler

from safetensors_io import read_safetensors

EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".ppm", ".pgm")


def image_files(folder):
    if not os.path.isdir(folder):
        raise SystemExit(f"no folder {folder}: a data folder holds trainA/ (and trainB/) of images")
    files = sorted(f for f in os.listdir(folder) if f.lower().endswith(EXTENSIONS))
    if not files:
        raise SystemExit(f"{folder}: no images in it")
    return [os.path.join(folder, f) for f in files]


class Domains(Dataset):
    """Item i: image i of domain A and, unpaired, an image of domain B drawn at random."""

    def __init__(self, root, spec):
        self.spec = spec
        self.a = image_files(os.path.join(root, "trainA"))
        self.b = image_files(os.path.join(root, "trainB")) if len(spec["ports"]) == 2 else None

    def __len__(self):
        return len(self.a)

    def placement(self):
        load, size = self.spec["loadSize"] or self.spec["size"], self.spec["size"]
        x, y = (random.randint(0, load - size), random.randint(0, load - size)) if load > size else (0, 0)
        return x, y, self.spec["flip"] and random.random() < 0.5

    def load(self, path, placement):
        load, size = self.spec["loadSize"] or self.spec["size"], self.spec["size"]
        image = Image.open(path).convert("RGB").resize((load, load), Image.BICUBIC)
        values = np.asarray(image, dtype=np.float32) / 127.5 - 1
        x, y, flip = placement
        values = values[y : y + size, x : x + size]
        if flip:
            values = values[:, ::-1]
        if self.spec["channels"] == 1:
            values = values.mean(axis=2, keepdims=True)
        return torch.from_numpy(np.ascontiguousarray(values)).permute(2, 0, 1)

    def __getitem__(self, i):
        place_a = self.placement()
        a = self.load(self.a[i], place_a)
        if self.b is None:
            return {self.spec["ports"][0]: a}
        if self.spec["paired"]:
            b = self.load(self.b[i % len(self.b)], place_a)
        else:
            b = self.load(self.b[random.randrange(len(self.b))], self.placement())
        return {"real_A": a, "real_B": b}


class DataBatches:
    """Batches for every data node, drawn afresh each time."""

    def __init__(self, specs, dataroot, batch_size, rank, world, seed, num_workers):
        random.seed(seed + rank)
        self.specs = specs
        self.batch_size = batch_size
        self.loaders = {}
        self.iterators = {}
        self.epochs = {}
        for node, spec in specs.items():
            if spec["kind"] == "Noise":
                continue
            dataset = Domains(dataroot or spec["folder"], spec)
            n = batch_size or spec["batchSize"]
            if world > 1:
                sampler = DistributedSampler(dataset, world, rank, shuffle=True, seed=seed, drop_last=True)
            else:
                sampler = RandomSampler(dataset)
            if len(dataset) // world < n:
                raise SystemExit(f"{node}: {len(dataset)} images cannot fill batches of {n} on {world} process(es)")
            self.loaders[node] = DataLoader(dataset, n, sampler=sampler, num_workers=num_workers, drop_last=True)
            self.epochs[node] = 0

    def steps_per_epoch(self):
        return min(len(loader) for loader in self.loaders.values())

    def next(self, node):
        spec = self.specs[node]
        if spec["kind"] == "Noise":
            shape = (self.batch_size or spec["batchSize"], spec["dim"])
            if spec["distribution"] == "normal":
                return {"out": torch.randn(shape)}
            return {"out": torch.rand(shape) * 2 - 1}
        if node not in self.iterators:
            self.iterators[node] = iter(self.loaders[node])
        try:
            return next(self.iterators[node])
        except StopIteration:
            self.epochs[node] += 1
            sampler = self.loaders[node].sampler
            if isinstance(sampler, DistributedSampler):
                sampler.set_epoch(self.epochs[node])
            self.iterators[node] = iter(self.loaders[node])
            return next(self.iterators[node])


class FixedBatches:
    """The same batch every step (ganvas train --batch): tensors named by port (real_A, real_B,
    real; out for noise), images N, H, W, C as Ganvas writes them. Under torchrun each process
    takes its share of the batch, in rank order."""

    def __init__(self, path, specs, rank, world):
        tensors, _ = read_safetensors(path)
        self.batches = {}
        for node, spec in specs.items():
            batch = {}
            for port in spec["ports"]:
                if port not in tensors:
                    raise SystemExit(f"{path}: no tensor {port} for node {node}; it has {', '.join(tensors)}")
                t = tensors[port].float()
                if t.dim() == 4:
                    t = t.permute(0, 3, 1, 2).contiguous()
                share = t.shape[0] // world
                batch[port] = t[rank * share : (rank + 1) * share]
            self.batches[node] = batch

    def steps_per_epoch(self):
        return 1

    def next(self, node):
        return self.batches[node]
`;
