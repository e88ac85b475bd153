# Copied unchanged from ../shared/reference/cyclegan_ref.py (the project's PyTorch reference);
# bench/gpu/torch_cuda.py runs it on CUDA.
"""Reference CycleGAN in PyTorch, written from the CycleGAN paper's appendix and the
semantics of the reference implementation's defaults (ResNet generator with reflection
padding, 70x70-style PatchGAN, instance norm without affine, LSGAN, L1 cycle/identity,
lambda 10, identity 0.5, D loss halved, Adam(2e-4, 0.5, 0.999), image pool).

Used to (a) write parity fixtures (safetensors) and (b) time a training step on this
machine as the anchor a user would pick instead.
"""
import argparse, json, struct, time
import torch
import torch.nn as nn
import torch.nn.functional as F


def norm(kind, ch):
    if kind == "instance":
        return nn.InstanceNorm2d(ch, affine=False, track_running_stats=False)
    if kind == "batch":
        return nn.BatchNorm2d(ch, affine=True, track_running_stats=True)
    return nn.Identity()


class ResBlock(nn.Module):
    def __init__(self, dim, nk):
        super().__init__()
        self.conv_block = nn.Sequential(
            nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, 3, padding=0, bias=True), norm(nk, dim), nn.ReLU(True),
            nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, 3, padding=0, bias=True), norm(nk, dim))

    def forward(self, x):
        return x + self.conv_block(x)


class ResnetGenerator(nn.Module):
    # module indices follow the reference implementation's nn.Sequential layout,
    # so state_dict names read model.1.weight, model.10.conv_block.1.weight, ...
    def __init__(self, in_nc=3, out_nc=3, ngf=64, n_blocks=9, nk="instance"):
        super().__init__()
        m = [nn.ReflectionPad2d(3), nn.Conv2d(in_nc, ngf, 7, padding=0, bias=True), norm(nk, ngf), nn.ReLU(True)]
        for i in range(2):
            mult = 2 ** i
            m += [nn.Conv2d(ngf * mult, ngf * mult * 2, 3, stride=2, padding=1, bias=True), norm(nk, ngf * mult * 2), nn.ReLU(True)]
        for _ in range(n_blocks):
            m += [ResBlock(ngf * 4, nk)]
        for i in range(2):
            mult = 2 ** (2 - i)
            m += [nn.ConvTranspose2d(ngf * mult, ngf * mult // 2, 3, stride=2, padding=1, output_padding=1, bias=True),
                  norm(nk, ngf * mult // 2), nn.ReLU(True)]
        m += [nn.ReflectionPad2d(3), nn.Conv2d(ngf, out_nc, 7, padding=0), nn.Tanh()]
        self.model = nn.Sequential(*m)

    def forward(self, x):
        return self.model(x)


class NLayerDiscriminator(nn.Module):
    def __init__(self, in_nc=3, ndf=64, n_layers=3, nk="instance"):
        super().__init__()
        s = [nn.Conv2d(in_nc, ndf, 4, stride=2, padding=1), nn.LeakyReLU(0.2, True)]
        mult = 1
        for n in range(1, n_layers):
            prev, mult = mult, min(2 ** n, 8)
            s += [nn.Conv2d(ndf * prev, ndf * mult, 4, stride=2, padding=1, bias=True), norm(nk, ndf * mult), nn.LeakyReLU(0.2, True)]
        prev, mult = mult, min(2 ** n_layers, 8)
        s += [nn.Conv2d(ndf * prev, ndf * mult, 4, stride=1, padding=1, bias=True), norm(nk, ndf * mult), nn.LeakyReLU(0.2, True)]
        s += [nn.Conv2d(ndf * mult, 1, 4, stride=1, padding=1)]
        self.model = nn.Sequential(*s)

    def forward(self, x):
        return self.model(x)


def init_weights(net, gen):
    for m in net.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            with torch.no_grad():
                m.weight.copy_(torch.randn(m.weight.shape, generator=gen) * 0.02)
                if m.bias is not None:
                    m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.02)


def gan_loss(pred, target_real, mode):
    target = torch.ones_like(pred) if target_real else torch.zeros_like(pred)
    if mode == "lsgan":
        return F.mse_loss(pred, target)
    if mode == "vanilla":
        return F.binary_cross_entropy_with_logits(pred, target)
    raise ValueError(mode)


def rec_loss(a, b, kind):
    return F.l1_loss(a, b) if kind == "l1" else F.mse_loss(a, b)


class CycleGAN:
    def __init__(self, cfg, gen):
        c = cfg
        self.c = c
        self.G_A = ResnetGenerator(3, 3, c["ngf"], c["n_blocks"], c["norm"])
        self.G_B = ResnetGenerator(3, 3, c["ngf"], c["n_blocks"], c["norm"])
        self.D_A = NLayerDiscriminator(3, c["ndf"], c["n_layers_D"], c["norm"])
        self.D_B = NLayerDiscriminator(3, c["ndf"], c["n_layers_D"], c["norm"])
        for n in (self.G_A, self.G_B, self.D_A, self.D_B):
            init_weights(n, gen)
        g = list(self.G_A.parameters()) + list(self.G_B.parameters())
        d = list(self.D_A.parameters()) + list(self.D_B.parameters())
        self.opt_G = torch.optim.Adam(g, lr=c["lr"], betas=(c["beta1"], 0.999))
        self.opt_D = torch.optim.Adam(d, lr=c["lr"], betas=(c["beta1"], 0.999))

    def nets(self):
        return {"G_A": self.G_A, "G_B": self.G_B, "D_A": self.D_A, "D_B": self.D_B}

    def step(self, real_A, real_B, record=None):
        c = self.c
        lam_A, lam_B, lam_idt = c["lambda_A"], c["lambda_B"], c["lambda_identity"]
        fake_B = self.G_A(real_A); rec_A = self.G_B(fake_B)
        fake_A = self.G_B(real_B); rec_B = self.G_A(fake_A)
        for d in (self.D_A, self.D_B):
            for p in d.parameters(): p.requires_grad_(False)
        self.opt_G.zero_grad()
        losses = {}
        if lam_idt > 0:
            idt_A = self.G_A(real_B); losses["idt_A"] = rec_loss(idt_A, real_B, "l1") * lam_B * lam_idt
            idt_B = self.G_B(real_A); losses["idt_B"] = rec_loss(idt_B, real_A, "l1") * lam_A * lam_idt
        losses["G_A"] = gan_loss(self.D_A(fake_B), True, c["gan_mode"])
        losses["G_B"] = gan_loss(self.D_B(fake_A), True, c["gan_mode"])
        losses["cycle_A"] = rec_loss(rec_A, real_A, c["cycle"]) * lam_A
        losses["cycle_B"] = rec_loss(rec_B, real_B, c["cycle"]) * lam_B
        loss_G = sum(losses.values())
        loss_G.backward()
        if record is not None:
            record["tensors"].update({"out.fake_B": fake_B, "out.rec_A": rec_A, "out.fake_A": fake_A, "out.rec_B": rec_B})
            for name, net in (("G_A", self.G_A), ("G_B", self.G_B)):
                for k, p in net.named_parameters():
                    record["tensors"]["grad." + name + "." + k] = p.grad.clone()
        self.opt_G.step()
        for d in (self.D_A, self.D_B):
            for p in d.parameters(): p.requires_grad_(True)
        self.opt_D.zero_grad()
        # an empty pool of size >= 1 returns the newest fake as it is, so the first step is deterministic
        fb, fa = fake_B.detach(), fake_A.detach()
        l_real = gan_loss(self.D_A(real_B), True, c["gan_mode"]); l_fake = gan_loss(self.D_A(fb), False, c["gan_mode"])
        losses["D_A"] = (l_real + l_fake) * 0.5
        l_real = gan_loss(self.D_B(real_A), True, c["gan_mode"]); l_fake = gan_loss(self.D_B(fa), False, c["gan_mode"])
        losses["D_B"] = (l_real + l_fake) * 0.5
        (losses["D_A"] + losses["D_B"]).backward()
        if record is not None:
            for name, net in (("D_A", self.D_A), ("D_B", self.D_B)):
                for k, p in net.named_parameters():
                    record["tensors"]["grad." + name + "." + k] = p.grad.clone()
        self.opt_D.step()
        return {k: float(v) for k, v in losses.items()}


def save_safetensors(path, tensors, meta):
    header, blobs, off = {}, [], 0
    for k in sorted(tensors):
        t = tensors[k].detach().to(torch.float32).contiguous().cpu()
        b = t.numpy().tobytes()
        header[k] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b); off += len(b)
    header["__metadata__"] = {k: str(v) for k, v in meta.items()}
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h))); f.write(h)
        for b in blobs: f.write(b)


def smooth_images(gen, n, size):
    # low-frequency colour fields in [-1, 1]: closer to photos than white noise
    z = torch.randn(n, 3, max(2, size // 8), max(2, size // 8), generator=gen)
    return torch.tanh(F.interpolate(z, size=(size, size), mode="bilinear", align_corners=False))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=32)
    ap.add_argument("--ngf", type=int, default=8)
    ap.add_argument("--ndf", type=int, default=8)
    ap.add_argument("--n_blocks", type=int, default=2)
    ap.add_argument("--n_layers_D", type=int, default=3)
    ap.add_argument("--gan_mode", default="lsgan")
    ap.add_argument("--cycle", default="l1")
    ap.add_argument("--lambda_identity", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--steps", type=int, default=2)
    ap.add_argument("--out", default=None, help="write a parity fixture (.safetensors + .json)")
    ap.add_argument("--bench", type=int, default=0, help="time this many steps after 2 warm-ups")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    cfg = dict(ngf=a.ngf, ndf=a.ndf, n_blocks=a.n_blocks, n_layers_D=a.n_layers_D, norm="instance",
               gan_mode=a.gan_mode, cycle=a.cycle, lambda_A=10.0, lambda_B=10.0,
               lambda_identity=a.lambda_identity, lr=2e-4, beta1=0.5, size=a.size)
    gen = torch.Generator().manual_seed(a.seed)
    model = CycleGAN(cfg, gen)
    real_A = smooth_images(gen, 1, a.size); real_B = smooth_images(gen, 1, a.size)
    if a.out:
        # three files: <out>.init.safetensors (weights, "<net>.<state_dict name>", PyTorch layouts),
        # <out>.batch.safetensors (real_A, real_B as NHWC in [-1, 1]),
        # <out>.expected.safetensors (after step 1: outputs NHWC and gradients; after the last step: weights),
        # and <out>.json (config and every loss term of every step).
        init, expected = {}, {}
        for name, net in model.nets().items():
            for k, v in net.state_dict().items():
                init[name + "." + k] = v.clone()  # state_dict aliases the live parameters
        batch = {"real_A": real_A.permute(0, 2, 3, 1), "real_B": real_B.permute(0, 2, 3, 1)}
        steps = []
        for s in range(a.steps):
            rec = {"tensors": {}} if s == 0 else None
            steps.append(model.step(real_A, real_B, rec))
            if rec:
                for k, v in rec["tensors"].items():
                    expected["step1." + k] = v.permute(0, 2, 3, 1) if k.startswith("out.") else v
        for name, net in model.nets().items():
            for k, v in net.state_dict().items():
                expected["final." + name + "." + k] = v
        meta = {"config": json.dumps(cfg)}
        save_safetensors(a.out + ".init.safetensors", init, meta)
        save_safetensors(a.out + ".batch.safetensors", batch, meta)
        save_safetensors(a.out + ".expected.safetensors", expected, meta)
        with open(a.out + ".json", "w") as f:
            json.dump({"config": cfg, "steps": a.steps, "losses_per_step": steps, "torch": torch.__version__}, f, indent=1)
        print(json.dumps(steps))
    if a.bench:
        xA = smooth_images(gen, 1, a.size); xB = smooth_images(gen, 1, a.size)
        for _ in range(2): model.step(xA, xB)
        t = []
        for _ in range(a.bench):
            t0 = time.perf_counter(); model.step(xA, xB); t.append(time.perf_counter() - t0)
        t.sort()
        print(json.dumps({"median_step_s": t[len(t) // 2], "min_step_s": t[0], "cfg": cfg}))


if __name__ == "__main__":
    main()
