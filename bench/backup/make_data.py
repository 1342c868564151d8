"""Writes the benchmark tree: FILES files totalling about TOTAL_MB, in 100 directories; half the files
random bytes (incompressible: media, keys), half text built from a small vocabulary (configs, logs),
so compression has real work on one half and must not waste time on the other."""
import os
import random
import sys

root, files, total_mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
size = total_mb * 1024 * 1024 // files
rng = random.Random(2026)
words = [w.encode() for w in (
    "release rollback upgrade canary health ready live error latency p95 backlog outbox "
    "config feature flag redemption paused resumed version 2026-11-25T18:19:50Z ok warn info "
    "debug node agent operator proxy database migration schema 200 503 true false null").split()]
for index in range(files):
    directory = os.path.join(root, f"dir-{index % 100:03d}")
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"file-{index:05d}.{'bin' if index % 2 else 'log'}")
    if index % 2:
        data = os.urandom(size)
    else:
        line = b" ".join(rng.choices(words, k=12)) + b"\n"
        lines = [b" ".join(rng.choices(words, k=12)) + b"\n" for _ in range(64)]
        data = (b"".join(rng.choices(lines, k=size // len(line) + 64)))[:size]
    with open(path, "wb") as out:
        out.write(data)
