/**
 * The head of model.py: the layers PyTorch has no module for (Ganvas's NHWC flatten and reshape,
 * the two-input layers, the energy), the reference CycleGAN's ResnetBlock, and Ganvas's weight
 * initialisation.
 */
export const LAYERS_PY = String.raw`import torch
from torch import nn


class OneValueBatchNorm:
    """PyTorch's batch norm, also over one value per channel (batch 1 of a 1x1 image), which
    PyTorch refuses and Ganvas computes: the variance is 0, the output the shift, and the
    running variance moves towards 0."""

    def forward(self, x):
        if not self.training or x.numel() != x.shape[1]:
            return super().forward(x)
        shape = [1, -1] + [1] * (x.dim() - 2)
        mean = x.reshape(1, -1)[0]
        with torch.no_grad():
            self.running_mean.mul_(1 - self.momentum).add_(mean * self.momentum)
            self.running_var.mul_(1 - self.momentum)
        return (x - mean.reshape(shape)) / torch.sqrt(torch.tensor(self.eps)) * self.weight.reshape(shape) + self.bias.reshape(shape)


class BatchNorm2d(OneValueBatchNorm, nn.BatchNorm2d):
    pass


class BatchNorm1d(OneValueBatchNorm, nn.BatchNorm1d):
    pass


def norm_layer(norm, channels):
    if norm == "instance":
        return nn.InstanceNorm2d(channels)
    if norm == "batch":
        return BatchNorm2d(channels)
    return nn.Identity()


class ResnetBlock(nn.Module):
    """The reference CycleGAN's block (models/networks.py): x + conv_block(x), where conv_block is
    pad, 3x3 conv, norm, ReLU, [dropout,] pad, 3x3 conv, norm."""

    def __init__(self, dim, padding_type="reflect", norm="instance", use_dropout=False, use_bias=True):
        super().__init__()
        pads = {"reflect": nn.ReflectionPad2d, "replicate": nn.ReplicationPad2d}
        layers = []
        for second in (False, True):
            if padding_type in pads:
                layers.append(pads[padding_type](1))
            padding = 1 if padding_type == "zero" else 0
            layers += [nn.Conv2d(dim, dim, 3, padding=padding, bias=use_bias), norm_layer(norm, dim)]
            if not second:
                layers.append(nn.ReLU())
                if use_dropout:
                    layers.append(nn.Dropout(0.5))
        self.conv_block = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv_block(x)


def nhwc(x):
    """Ganvas lays images out N, H, W, C (TensorFlow's order): what flattening and reshaping see."""
    return x.permute(0, 2, 3, 1) if x.dim() == 4 else x


class Flatten(nn.Module):
    """Each sample to a vector in Ganvas's H, W, C order: the Dense weights after it expect that
    order (PyTorch's nn.Flatten would give C, H, W)."""

    def forward(self, x):
        return nhwc(x).reshape(x.shape[0], -1)


class Reshape(nn.Module):
    """Each sample to Ganvas's shape: [H, W, C] for an image (filled in H, W, C order, then laid
    out C, H, W as PyTorch's convolutions want) or [D] for a vector."""

    def __init__(self, *shape):
        super().__init__()
        self.shape = shape

    def forward(self, x):
        y = nhwc(x).reshape(x.shape[0], *self.shape)
        return y.permute(0, 3, 1, 2) if y.dim() == 4 else y

    def extra_repr(self):
        return ", ".join(map(str, self.shape))


class Concat(nn.Module):
    """Joins along channels: a's channels first."""

    def forward(self, a, b):
        return torch.cat([a, b], 1)


class Add(nn.Module):
    def forward(self, a, b):
        return a + b


class Energy(nn.Module):
    """An autoencoder discriminator's energy: per sample, the mean of |x - target| (l1) or
    (x - target)^2 (l2), N x 1. Without target_gradient the target is a constant (EBGAN)."""

    def __init__(self, distance="l2", target_gradient=True):
        super().__init__()
        self.distance = distance
        self.target_gradient = target_gradient

    def forward(self, x, target):
        if not self.target_gradient:
            target = target.detach()
        diff = x - target
        values = diff.abs() if self.distance == "l1" else diff ** 2
        return values.reshape(x.shape[0], -1).mean(1, keepdim=True)

    def extra_repr(self):
        return f"distance={self.distance!r}, target_gradient={self.target_gradient}"


def init_weights(net):
    """As Ganvas initialises: convolution and linear weights N(0, 0.02), biases 0, norm scales 1."""
    for module in net.modules():
        if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
            nn.init.normal_(module.weight, 0.0, 0.02)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
        elif isinstance(module, nn.modules.batchnorm._NormBase) and module.affine:
            nn.init.ones_(module.weight)
            nn.init.zeros_(module.bias)
`;
