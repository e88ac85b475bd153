"""The reference CycleGAN step (cyclegan_ref.py beside this file) on CUDA: median step time after
two warm-ups, and the peak GPU memory PyTorch allocated. Prints one JSON line.
Run: python3 bench/gpu/torch_cuda.py --size 256 --ngf 64 --ndf 64 --n_blocks 9 --steps 5
"""
import argparse, json, os, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
from cyclegan_ref import CycleGAN, smooth_images  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--ngf", type=int, default=64)
    ap.add_argument("--ndf", type=int, default=64)
    ap.add_argument("--n_blocks", type=int, default=9)
    ap.add_argument("--steps", type=int, default=5)
    a = ap.parse_args()
    if not torch.cuda.is_available():
        print(json.dumps({"error": "torch.cuda.is_available() is False", "torch": torch.__version__}))
        return 1
    cfg = dict(ngf=a.ngf, ndf=a.ndf, n_blocks=a.n_blocks, n_layers_D=3, norm="instance",
               gan_mode="lsgan", cycle="l1", lambda_A=10.0, lambda_B=10.0,
               lambda_identity=0.5, lr=2e-4, beta1=0.5, size=a.size)
    gen = torch.Generator().manual_seed(1)
    model = CycleGAN(cfg, gen)
    # Module.to moves parameters in place, so the optimizers (still without state) follow them.
    for net in model.nets().values():
        net.to("cuda")
    x_a = smooth_images(gen, 1, a.size).cuda()
    x_b = smooth_images(gen, 1, a.size).cuda()
    for _ in range(2):
        model.step(x_a, x_b)
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    times = []
    for _ in range(a.steps):
        # step() reads every loss back (float()), so the GPU work is done when it returns.
        t0 = time.perf_counter()
        model.step(x_a, x_b)
        torch.cuda.synchronize()
        times.append(time.perf_counter() - t0)
    times.sort()
    print(json.dumps({
        "torch": torch.__version__,
        "device": torch.cuda.get_device_name(0),
        "tf32_conv": torch.backends.cudnn.allow_tf32,
        "median_step_ms": 1000 * times[len(times) // 2],
        "min_step_ms": 1000 * times[0],
        "peak_memory_bytes": torch.cuda.max_memory_allocated(),
        "cfg": cfg,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
