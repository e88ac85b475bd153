/** losses.py of an exported project: Ganvas's loss terms, op for op (src/nodes/Loss.ts). */
export const LOSSES_PY = String.raw`"""Ganvas's loss terms, computed as Ganvas computes them (src/nodes/Loss.ts), so that an exported
run reports the same numbers as the browser's. Each returns the unweighted term; train.py
multiplies by the term's weight, as Ganvas does."""
import torch


def l1(input, target):
    return (input - target).abs().mean()


def l2(input, target):
    return ((input - target) ** 2).mean()


def lsgan(scores, target):
    """Mean squared error to 1 (real) or 0 (fake)."""
    return ((scores - 1) ** 2).mean() if target == 1 else (scores ** 2).mean()


def vanilla(scores, target):
    """BCE with logits, in its stable form max(x, 0) - x*z + log(1 + exp(-|x|))."""
    linear = scores.clamp(min=0) - scores if target == 1 else scores.clamp(min=0)
    return (linear + torch.log1p(torch.exp(-scores.abs()))).mean()


def wgan(scores, target):
    return -scores.mean() if target == 1 else scores.mean()


def hinge(scores, target):
    """The discriminator's hinge; a generator's hinge term is wgan(scores, 1) (Lim & Ye, 2017)."""
    return torch.relu(1 - scores).mean() if target == 1 else torch.relu(1 + scores).mean()


def ebgan(energies, target, margin):
    """Zhao et al.: D(x) + [m - D(G(z))]+, on the batch's mean energy."""
    return energies.mean() if target == 1 else torch.relu(margin - energies.mean())


def pull_away(embeddings):
    """EBGAN's pull-away term (Zhao et al., eq. 6): the mean squared cosine similarity between the
    embeddings of different samples."""
    n = embeddings.shape[0]
    flat = embeddings.reshape(n, -1)
    unit = flat / torch.sqrt(torch.clamp((flat ** 2).sum(1, keepdim=True), min=1e-24))
    similarity = unit @ unit.t()
    diagonal = (((unit ** 2).sum(1)) ** 2).sum()
    return ((similarity ** 2).sum() - diagonal) / (n * (n - 1))


def gradient_penalty(critic, real, fake, epsilon):
    """WGAN-GP (Gulrajani et al.): mean over samples of (||grad D(x^)||_2 - 1)^2 at
    x^ = epsilon*real + (1 - epsilon)*fake, differentiable in the critic's weights."""
    mixed = epsilon * real + (1 - epsilon) * fake
    if not mixed.requires_grad:
        mixed.requires_grad_(True)
    (gradient,) = torch.autograd.grad(critic(mixed).sum(), mixed, create_graph=True)
    norms = torch.sqrt((gradient ** 2).reshape(gradient.shape[0], -1).sum(1))
    return ((norms - 1) ** 2).mean()
`;
