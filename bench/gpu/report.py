"""Runs the GPU benchmark's two halves at one configuration and prints one table:
tfjs on webgpu in Node (Dawn on the machine's Vulkan adapter; bench/gpu/tfjsStep.ts, bundled)
and the PyTorch reference on CUDA (bench/gpu/torch_cuda.py). Started by bench/gpu/run.sh.

Environment: GANVAS_NODE (a node >= 20 binary; default: node on PATH), GANVAS_BENCH_BUNDLE
(tfjsStep.mjs from bench/gpu/bundle.sh; default bench-results/gpu/tfjsStep.mjs), and what the
bundle reads: GANVAS_DAWN_NODE (default: dawn.node beside the bundle), GANVAS_VULKAN_LOADER.
"""
import argparse, json, os, shutil, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def last_json(cmd, timeout, env=None):
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout} s"}
    except OSError as e:
        return {"error": str(e)}
    lines = [l for l in done.stdout.splitlines() if l.startswith("{")]
    if lines:
        return json.loads(lines[-1])
    tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return {"error": f"exit {done.returncode}: {tail}"}


def ms(v):
    return "-" if v is None else (f"{v / 1000:.2f} s" if v >= 1000 else f"{v:.1f} ms")


def mib(v):
    return "-" if v is None else f"{v / 2**20:.0f} MiB"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--ngf", type=int, default=64)
    ap.add_argument("--ndf", type=int, default=64)
    ap.add_argument("--blocks", type=int, default=9)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--timeout", type=int, default=1200, help="seconds per half")
    a = ap.parse_args()
    config = ["--size", str(a.size), "--ngf", str(a.ngf), "--ndf", str(a.ndf)]

    node = os.environ.get("GANVAS_NODE") or shutil.which("node") or "node"
    bundle = os.environ.get("GANVAS_BENCH_BUNDLE") or os.path.join(ROOT, "bench-results", "gpu", "tfjsStep.mjs")
    def run_tfjs(*extra):
        if not os.path.exists(bundle):
            return {"error": f"no bundle at {bundle}: run bench/gpu/bundle.sh, set GANVAS_BENCH_BUNDLE"}
        return last_json([node, bundle, *config, "--blocks", str(a.blocks), "--steps", str(a.steps),
                          *extra], a.timeout)

    tfjs = run_tfjs()
    unfused = run_tfjs("--unfused")
    torch = last_json([sys.executable, os.path.join(HERE, "torch_cuda.py"), *config,
                       "--n_blocks", str(a.blocks), "--steps", str(a.steps)], a.timeout)

    def cell(result, value):
        return result["error"][:70] if "error" in result else value(result)

    def tfjs_cells(value):
        return cell(tfjs, value), cell(unfused, value)

    rows = [
        ("device", *tfjs_cells(lambda r: r.get("adapter", "-")),
         cell(torch, lambda r: f"{r['device']} (torch {r['torch']})")),
        (f"step, median of {a.steps}", *tfjs_cells(lambda r: ms(r["medianMs"])),
         cell(torch, lambda r: ms(r["median_step_ms"]))),
        ("step, fastest", *tfjs_cells(lambda r: ms(min(r["stepMs"]))),
         cell(torch, lambda r: ms(r["min_step_ms"]))),
        ("GPU dispatches per step", *tfjs_cells(lambda r: str(r["dispatches"])), "-"),
        ("tfjs kernels per step", *tfjs_cells(lambda r: str(r["kernels"])), "-"),
        ("buffer copies per step", *tfjs_cells(lambda r: str(r["copies"])), "-"),
        ("host reads per step", *tfjs_cells(lambda r: str(r["hostReads"])), "-"),
        ("GPU memory", *tfjs_cells(lambda r: mib(r.get("gpuBytesAllocated")) + " allocated by tfjs"),
         cell(torch, lambda r: mib(r["peak_memory_bytes"]) + " peak allocated")),
    ]
    header = ("measure", "tfjs webgpu, Node + Dawn", "same, unfused ops", "PyTorch CUDA (reference)")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
    print(f"CycleGAN step, {a.size}x{a.size}, ngf {a.ngf}, ndf {a.ndf}, {a.blocks} blocks, batch 1")
    print(line(header))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))
    print("Chromium: not available on this machine, so WebGPU in a browser was not measured.")
    print(json.dumps({"tfjs": tfjs, "tfjs_unfused": unfused, "torch": torch}))
    return 0 if all("error" not in r for r in (tfjs, unfused, torch)) else 1


if __name__ == "__main__":
    sys.exit(main())
