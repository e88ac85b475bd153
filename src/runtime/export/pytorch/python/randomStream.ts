/**
 * ganvas_random.py of an exported project: Ganvas's random stream (src/runtime/data/random.ts)
 * and the draws Ganvas makes from it during a step (image pool choices, the gradient penalty's
 * interpolation weights, which tfjs's randomUniform makes with seedrandom's alea), so that a run
 * with the same seed draws the same numbers as `ganvas train`.
 */
export const RANDOM_PY = String.raw`"""The random stream Ganvas trains with, reproduced: mulberry32 (src/runtime/data/random.ts),
tfjs's seeded uniform numbers (seedrandom's alea) and the reference's image pool, which draws
from the stream. With the same --seed, a run draws the same numbers as ganvas train."""
import math

import torch

UINT32 = 4294967296


class GanvasRandom:
    """mulberry32: the whole state is one uint32."""

    def __init__(self, seed):
        self.a = int(seed) % UINT32

    def next(self):
        """Uniform in [0, 1)."""
        self.a = (self.a + 0x6D2B79F5) % UINT32
        t = self.a
        t = _imul(t ^ (t >> 15), t | 1)
        t ^= (t + _imul(t ^ (t >> 7), t | 61)) % UINT32
        return ((t ^ (t >> 14)) % UINT32) / UINT32

    def int(self, n):
        return math.floor(self.next() * n)

    def normal(self):
        u1 = 1 - self.next()
        u2 = self.next()
        return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)


def _imul(a, b):
    return (a * b) % UINT32


def _mash():
    n = 0xEFC8249D

    def mash(data):
        nonlocal n
        for ch in str(data):
            n += ord(ch)
            h = 0.02519603282416938 * n
            n = int(h) % UINT32
            h -= n
            h *= n
            n = int(h) % UINT32
            h -= n
            n += h * UINT32
        return (int(n) % UINT32) * 2.3283064365386963e-10

    return mash


def alea(seed):
    """seedrandom's alea, as tfjs's seeded random ops use it: a function giving uniforms in [0, 1)."""
    mash = _mash()
    s = [mash(" "), mash(" "), mash(" ")]
    for i in range(3):
        s[i] -= mash(seed)
        if s[i] < 0:
            s[i] += 1
    c = 1

    def next_value():
        nonlocal c
        t = 2091639 * s[0] + c * 2.3283064365386963e-10
        s[0], s[1] = s[1], s[2]
        c = int(t)
        s[2] = t - c
        return s[2]

    return next_value


def tfjs_uniform(shape, seed):
    """tf.randomUniform(shape, 0, 1, 'float32', seed): values drawn in row-major order."""
    uniform = alea(str(seed))
    count = math.prod(shape)
    return torch.tensor([uniform() for _ in range(count)], dtype=torch.float32).reshape(shape)


class ImagePool:
    """The reference's history of generated images (size 0 passes through). Per image: while not
    full, store it and return it; when full, with probability 0.5 return a stored image and
    store the new one in its place, else return the new image."""

    def __init__(self, size):
        self.size = size
        self.images = []

    def query(self, batch, random):
        if self.size == 0:
            return batch
        out = []
        for i in range(batch.shape[0]):
            image = batch[i : i + 1]
            if len(self.images) < self.size:
                self.images.append(image.detach().clone())
                out.append(image)
            elif random.next() > 0.5:
                slot = random.int(self.size)
                out.append(self.images[slot])
                self.images[slot] = image.detach().clone()
            else:
                out.append(image)
        return torch.cat(out, 0)
`;
