#!/usr/bin/env python3
"""The house: gdchaos's packages, their sizes and the arrows between them (issue 23's figures).

    python3 tools/house.py [CLASSES_DIR] [--dot OUT.dot]

Reads the package dependencies of the compiled classes with jdeps (JDK), counts the source files of
each package under src/main/java, and prints: every package with its file count and the packages it
imports, packages over 20 files, and every cycle (a strongly connected set of two or more packages:
a package that imports one that imports it back, directly or around a loop). Exits 1 if there is a
cycle. With --dot it also writes a Graphviz file (render: dot -Tpng OUT.dot -o OUT.png).
"""
import os, re, subprocess, sys
from collections import defaultdict

args = [a for a in sys.argv[1:] if not a.startswith("--")]
classes = args[0] if args else "target/classes"
dot_out = sys.argv[sys.argv.index("--dot") + 1] if "--dot" in sys.argv else None
if dot_out in args: args.remove(dot_out)
root = "org.gdchaos"

out = subprocess.run(["jdeps", "-verbose:package", "-filter:none", "-e", r"org\.gdchaos.*", classes],
                     capture_output=True, text=True, check=True).stdout
edges = defaultdict(set)
for line in out.splitlines():
    m = re.match(r"\s+(org\.gdchaos[\w.]*)\s+->\s+(org\.gdchaos[\w.]*)\s", line)
    if m and m.group(1) != m.group(2):
        edges[m.group(1)].add(m.group(2))
src = os.path.join(os.path.dirname(os.path.abspath(classes)), "..", "src", "main", "java")
files = {}
for d, _, fs in os.walk(src):
    n = sum(1 for f in fs if f.endswith(".java") and f != "package-info.java")
    if n:
        files[os.path.relpath(d, src).replace(os.sep, ".")] = n
pkgs = sorted(set(files) | set(edges) | {t for ts in edges.values() for t in ts})

# Tarjan's strongly connected components
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]
def visit(v):
    index[v] = low[v] = counter[0]; counter[0] += 1; stack.append(v); on.add(v)
    for w in edges.get(v, ()):
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v: break
        sccs.append(sorted(comp))
sys.setrecursionlimit(10000)
for p in pkgs:
    if p not in index: visit(p)
cycles = [c for c in sccs if len(c) > 1]
short = lambda p: p[len(root) + 1:] if p.startswith(root + ".") else ("(root)" if p == root else p)

print(f"{'package':32} files  imports")
for p in pkgs:
    print(f"{short(p):32} {files.get(p, 0):5}  {', '.join(short(t) for t in sorted(edges.get(p, ())))}")
big = [p for p in pkgs if files.get(p, 0) > 20]
print(f"\npackages: {len(pkgs)}; arrows: {sum(len(v) for v in edges.values())}; "
      f"largest: {max(files.values())} files; over 20 files: {', '.join(short(p) + ' (' + str(files[p]) + ')' for p in big) or 'none'}")
print("cycles: " + ("none" if not cycles else "; ".join(" <-> ".join(short(p) for p in c) for c in cycles)))
if dot_out:
    with open(dot_out, "w") as f:
        f.write('digraph house {\n  rankdir=BT; node [shape=box, fontname="Helvetica", fontsize=10];\n')
        incycle = {p for c in cycles for p in c}
        for p in pkgs:
            color = ', color=red, fontcolor=red' if p in incycle else (', color=orange' if files.get(p, 0) > 20 else '')
            f.write(f'  "{short(p)}" [label="{short(p)}\\n{files.get(p, 0)} files"{color}];\n')
        for p in pkgs:
            for t in sorted(edges.get(p, ())):
                red = ', color=red' if any(p in c and t in c for c in cycles) else ''
                f.write(f'  "{short(p)}" -> "{short(t)}" [arrowsize=0.5{red}];\n')
        f.write("}\n")
sys.exit(1 if cycles else 0)
