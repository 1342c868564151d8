#!/usr/bin/env python3
"""Writes a git fast-import stream of N Conventional Commits on one file per commit.

Usage: make_repo.py COMMITS TAG_EVERY [OLD_TAGS] > stream
TAG_EVERY 0: only v1.0.0 on the first commit. OLD_TAGS: that many older v0.0.N tags on the first
commit, so reading thousands of tags is part of what is measured.
Deterministic: the same arguments give the same repository, so runs are comparable.
"""
import sys

commits = int(sys.argv[1])
tag_every = int(sys.argv[2])
old_tags = int(sys.argv[3]) if len(sys.argv) > 3 else 0
types = ["feat", "fix", "perf", "docs", "chore", "refactor", "fix", "test", "feat", "fix"]
scopes = ["", "api", "db", "ui", "auth", "", "cli", "probe"]
out = sys.stdout.buffer
version = [1, 0, 0]
tags = []
for i in range(1, commits + 1):
    kind = types[i % len(types)]
    scope = scopes[i % len(scopes)]
    head = f"{kind}({scope})" if scope else kind
    breaking = i % 2500 == 0 and i != commits
    subject = f"{head}{'!' if breaking else ''}: change number {i} to the {scope or 'core'} module"
    body = f"\n\nLonger explanation of change {i}.\n" + ("\nBREAKING CHANGE: renamed a setting\n" if breaking else "")
    message = (subject + body).encode()
    content = f"line {i}\n".encode()
    timestamp = 1700000000 + i * 60
    out.write(b"blob\nmark :%d\ndata %d\n%s\n" % (2 * i, len(content), content))
    out.write(b"commit refs/heads/main\nmark :%d\n" % (2 * i + 1))
    out.write(b"author Bench <bench@example.invalid> %d +0000\n" % timestamp)
    out.write(b"committer Bench <bench@example.invalid> %d +0000\n" % timestamp)
    out.write(b"data %d\n%s\n" % (len(message), message))
    if i > 1:
        out.write(b"from :%d\n" % (2 * i - 1))
    out.write(b"M 100644 :%d src/file%d.txt\n\n" % (2 * i, i % 50))
    if i == 1:
        tags.append(("v1.0.0", 2 * i + 1))
        tags.extend((f"v0.0.{n}", 2 * i + 1) for n in range(1, old_tags + 1))
    elif tag_every and i % tag_every == 0 and i != commits:
        version[1] += 1
        tags.append((f"v{version[0]}.{version[1]}.{version[2]}", 2 * i + 1))
for name, mark in tags:
    out.write(b"reset refs/tags/%s\nfrom :%d\n\n" % (name.encode(), mark))
