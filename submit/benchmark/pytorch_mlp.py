#!/usr/bin/python3
"""The PyTorch reference of submit/benchmark.sh: the job's MLP as a user would write it in PyTorch.

It trains what a recipe file (written by org.sparkmnist.benchmark.PytorchReference) describes: the
split's exact training, validation and test examples (raw bytes Java wrote beside the recipe, so that
only Java parses idx files), the same normalisation, dense ReLU layers with
Glorot-uniform weights and zero biases, Adam or RMSprop with the job's hyper-parameters and per-epoch
learning-rate decay, the same minibatch size and number of epochs. Like the job, an epoch is training
plus scoring the validation set, and the training metrics are running means over the epoch.

    /usr/bin/python3 pytorch_mlp.py --recipe RECIPE.json --result RESULT.json [--threads N]

Progress goes to stderr, one line per epoch; RESULT.json gets each epoch's seconds and validation
accuracy, the test accuracy, and what the script found about its maths library (through threadpoolctl,
Debian's python3-threadpoolctl). Exit codes: 2 for a bad recipe or data file, 1 for anything else
(PyTorch or threadpoolctl missing, a reference BLAS).
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time

GEMM_SIZE = 1024


class BadInput(Exception):
    """A recipe or data file that is not what the script expects."""


def log(message):
    print("pytorch: " + message, file=sys.stderr, flush=True)


def read_examples(part, width):
    """One part of the split as Java wrote it beside the recipe: uint8 pixel rows and a label vector (numpy)."""
    import numpy as np

    count = part["count"]
    pixels = read_bytes(part["pixels"], count * width)
    labels = read_bytes(part["labels"], count)
    return np.frombuffer(pixels, dtype=np.uint8).reshape(count, width), np.frombuffer(labels, dtype=np.uint8)


def read_bytes(path, size):
    """The whole of a file Java wrote, which must hold exactly `size` bytes."""
    try:
        with open(path, "rb") as f:
            content = f.read()
    except OSError as e:
        raise BadInput(f"{path}: cannot be read: {e}")
    if len(content) != size:
        raise BadInput(f"{path}: {len(content)} bytes, the recipe declares {size}")
    return content


def load(recipe):
    """Training, validation and test examples, each as uint8 pixel rows and a label vector (numpy)."""
    examples = recipe["examples"]
    width = recipe["rows"] * recipe["cols"]
    return tuple(read_examples(examples[part], width) for part in ("train", "validation", "test"))


def digest(examples):
    """SHA-256 of the pixels then the labels, in order: lets a test prove the split was read as Java wrote it."""
    pixels, labels = examples
    return hashlib.sha256(pixels.tobytes() + labels.tobytes()).hexdigest()


def debian_package(name):
    """The installed version of a Debian package, or None where there is none."""
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", name], capture_output=True, text=True, timeout=30)
    except OSError:
        return None
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else None


def blas_package(libraries):
    """The Debian package of the OpenBLAS build whose directory the loaded libraries are in, with its version."""
    for variant in ("openmp", "pthread", "serial"):
        if any(f"/openblas-{variant}/" in library for library in libraries):
            version = debian_package(f"libopenblas0-{variant}")
            return f"libopenblas0-{variant} {version}" if version else f"OpenBLAS ({variant})"
    return None


def check_maths_library(torch, threadpoolctl, threads):
    """Which BLAS PyTorch runs on and how fast a GEMM is; refuses Debian's reference BLAS."""
    a = torch.rand(GEMM_SIZE, GEMM_SIZE)
    b = torch.rand(GEMM_SIZE, GEMM_SIZE)
    torch.mm(a, b)
    repeats = 10
    start = time.perf_counter()
    for _ in range(repeats):
        torch.mm(a, b)
    gflops = 2 * GEMM_SIZE ** 3 * repeats / (time.perf_counter() - start) / 1e9
    # The BLAS libraries loaded into this process that threadpoolctl knows (OpenBLAS, MKL, BLIS), each with
    # its path, version, threading layer and, for OpenBLAS, the kernels it chose for this CPU.
    pools = [pool for pool in threadpoolctl.threadpool_info() if pool["user_api"] == "blas"]
    config = torch.__config__.show()
    blas_info = next((part.strip() for line in config.splitlines() for part in line.split(",") if "BLAS_INFO" in part), "")
    loaded = ", ".join(f"{p['filepath']} ({p['internal_api']} {p.get('version')}, {p.get('architecture')} kernels)" for p in pools)
    log(f"torch {torch.__version__}, build {blas_info or 'BLAS_INFO not reported'}, loaded {loaded or 'no known BLAS'}, "
        f"{threads} threads, {GEMM_SIZE}^3 sgemm {gflops:.0f} GFLOP/s")
    if not pools:
        # Debian's build calls whatever libblas.so.3 the system provides; threadpoolctl knows every fast one.
        raise RuntimeError(f"PyTorch runs its matrix products on no BLAS that threadpoolctl knows ({gflops:.1f} GFLOP/s), "
                           "so on Debian's reference BLAS, about 50x slower than OpenBLAS; "
                           "install Debian's libopenblas0-openmp (submit/benchmark.sh does when run as root)")
    return pools, blas_info, gflops


def minibatches(torch, examples, batch, pixel_scale):
    """The examples as fixed minibatches of `batch` in split order, like the job's staged minibatch files."""
    import numpy as np

    pixels, labels = examples
    # Each pixel byte times the job's own float32 factor (1/255 or 1), exactly as the job encodes it.
    x = torch.from_numpy(pixels.astype(np.float32) * np.float32(pixel_scale))
    y = torch.from_numpy(labels.astype("int64"))
    return [(x[i:i + batch], y[i:i + batch]) for i in range(0, len(y), batch)]


def build(torch, recipe, inputs):
    """Dense ReLU layers and a linear output (softmax is inside the loss), Keras' default initialisation."""
    torch.manual_seed(recipe["init_seed"])
    layers = []
    width = inputs
    for hidden in recipe["hidden_layers"]:
        layers += [torch.nn.Linear(width, hidden), torch.nn.ReLU()]
        width = hidden
    layers.append(torch.nn.Linear(width, recipe["classes"]))
    model = torch.nn.Sequential(*layers)
    for layer in model:
        if isinstance(layer, torch.nn.Linear):
            torch.nn.init.xavier_uniform_(layer.weight)
            torch.nn.init.zeros_(layer.bias)
    return model


def optimizer(torch, recipe, model):
    u = recipe["updater"]
    if u["name"] == "adam":
        chosen = torch.optim.Adam(model.parameters(), lr=u["learning_rate"], betas=(u["beta1"], u["beta2"]), eps=u["epsilon"])
    elif u["name"] == "rmsprop":
        chosen = torch.optim.RMSprop(model.parameters(), lr=u["learning_rate"], alpha=u["rho"], eps=u["epsilon"])
    else:
        raise BadInput(f"recipe: updater {u['name']} is not one of adam, rmsprop")
    # The job multiplies the rate by the decay after every epoch.
    return chosen, torch.optim.lr_scheduler.ExponentialLR(chosen, gamma=u["learning_rate_decay"])


def score(torch, model, batches):
    """Mean cross-entropy and accuracy over `batches`, without gradients."""
    model.eval()
    loss, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for x, y in batches:
            out = model(x)
            loss += torch.nn.functional.cross_entropy(out, y, reduction="sum").item()
            correct += (out.argmax(1) == y).sum().item()
            count += len(y)
    return loss / count, correct / count


def train(torch, recipe, model, train_batches, validation_batches):
    import numpy as np

    chosen, schedule = optimizer(torch, recipe, model)
    order = np.random.RandomState(recipe["shuffle_seed"])
    epochs = recipe["epochs"]
    history = []
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        model.train()
        loss_sum, correct, count = 0.0, 0, 0
        for i in order.permutation(len(train_batches)):
            x, y = train_batches[i]
            chosen.zero_grad()
            out = model(x)
            loss = torch.nn.functional.cross_entropy(out, y)
            loss.backward()
            chosen.step()
            loss_sum += loss.item() * len(y)
            correct += (out.argmax(1) == y).sum().item()
            count += len(y)
        val_loss, val_accuracy = score(torch, model, validation_batches)
        seconds = time.perf_counter() - start
        schedule.step()
        history.append({"seconds": seconds, "loss": loss_sum / count, "accuracy": correct / count,
                        "val_loss": val_loss, "val_accuracy": val_accuracy})
        log(f"{recipe['model']} epoch {epoch}/{epochs} - {seconds:.1f}s - loss: {loss_sum / count:.4f} - "
            f"accuracy: {correct / count:.4f} - val_loss: {val_loss:.4f} - val_accuracy: {val_accuracy:.4f}")
    return history


def run(args):
    try:
        with open(args.recipe) as f:
            recipe = json.load(f)
    except (OSError, ValueError) as e:
        raise BadInput(f"{args.recipe}: not a readable recipe: {e}")
    try:
        train_set, validation_set, test_set = load(recipe)
    except KeyError as e:
        raise BadInput(f"{args.recipe}: no {e} in the recipe")
    try:
        import threadpoolctl
        import torch
    except ImportError as e:
        raise RuntimeError(f"PyTorch or threadpoolctl is not installed for {sys.executable} ({e}): install Debian's "
                           "python3-torch, python3-threadpoolctl and libopenblas0-openmp (submit/benchmark.sh does when run as root)")
    torch.set_num_threads(args.threads)
    flush = torch.set_flush_denormal(True)
    pools, blas_info, gflops = check_maths_library(torch, threadpoolctl, args.threads)
    libraries = [pool["filepath"] for pool in pools]

    batch = recipe["batch_size"]
    train_batches = minibatches(torch, train_set, batch, recipe["pixel_scale"])
    validation_batches = minibatches(torch, validation_set, batch, recipe["pixel_scale"])
    model = build(torch, recipe, recipe["rows"] * recipe["cols"])
    log(f"{recipe['model']}: {len(train_set[1])} training and {len(validation_set[1])} validation examples, "
        f"{len(train_batches)} minibatches of {batch}, {recipe['epochs']} epochs")
    history = train(torch, recipe, model, train_batches, validation_batches)
    _, test_accuracy = score(torch, model, minibatches(torch, test_set, 10000, recipe["pixel_scale"]))
    log(f"{recipe['model']}: test accuracy {test_accuracy:.4f}")

    result = {
        "model": recipe["model"],
        "torch_version": torch.__version__,
        "torch_package": debian_package("python3-torch"),
        "blas_package": blas_package(libraries),
        "threads": args.threads,
        "flush_denormal": bool(flush),
        "blas": ", ".join(libraries),
        "blas_version": pools[0].get("version"),
        "blas_kernels": pools[0].get("architecture"),
        "blas_threading": pools[0].get("threading_layer"),
        "blas_build_info": blas_info,
        "gemm_size": GEMM_SIZE,
        "gemm_gflops": gflops,
        "train_examples": len(train_set[1]),
        "validation_examples": len(validation_set[1]),
        "train_digest": digest(train_set),
        "validation_digest": digest(validation_set),
        "epoch_seconds": [h["seconds"] for h in history],
        "val_accuracy": [h["val_accuracy"] for h in history],
        "history": history,
        "test_accuracy": test_accuracy,
    }
    temporary = args.result + ".tmp"
    with open(temporary, "w") as f:
        json.dump(result, f, indent=1)
    os.replace(temporary, args.result)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipe", required=True, help="recipe JSON written by the benchmark")
    parser.add_argument("--result", required=True, help="result JSON to write")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="threads for PyTorch and its BLAS")
    args = parser.parse_args()
    try:
        run(args)
    except BadInput as e:
        log(f"error: {e}")
        sys.exit(2)
    except RuntimeError as e:  # anticipated: PyTorch missing or on the reference BLAS; anything else keeps its traceback
        log(f"error: {e}")
        sys.exit(1)


if __name__ == "__main__":
    main()
