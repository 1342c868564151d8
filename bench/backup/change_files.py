"""Changes PERCENT % of the benchmark tree's files, as a small release does: every hundredth file
(shifted by RUN so each run changes others) gets a few KiB rewritten in the middle."""
import os
import random
import sys

root, percent, run = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
paths = sorted(os.path.join(d, f) for d, _, names in os.walk(root) for f in names
               if f != ".complete")
step = max(1, round(100 / percent))
rng = random.Random(run)
for path in paths[run % step::step]:
    size = os.path.getsize(path)
    with open(path, "r+b") as file:
        file.seek(size // 2)
        file.write(rng.randbytes(min(4096, max(1, size // 4))))
