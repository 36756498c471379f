"""
Random edits against the compile check's shortcuts (src/pycheck.py):

    python3 tests/pycheck_edits.py SEED COUNT ROOT...

Each edit goes into a class body of a .py file under ROOT (where the check
compiles the class's touched statements only), with sometimes a second
edit elsewhere in the file: dedented and indented lines, global and
nonlocal, backslashes, brackets, quotes; edits ending where a line starts
(which may be where the file is cut) take the line end before it.  The
check's verdict, message included, must be the one compiling the whole
edited file gives.  Fails on the first difference, or when too few edits
went through the shortcut for the run to mean anything.  FIXED cases run
first.
"""
import glob
import importlib.util
import os
import random
import re
import sys
import warnings

here = os.path.dirname(os.path.abspath(__file__))
script = os.path.join(here, "..", "src", "pycheck.py")
spec = importlib.util.spec_from_file_location("pycheck", script)
pycheck = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pycheck)

PIECES = [b"x = 1", b"global x", b"nonlocal x", b"return 1", b"yield", b"pass", b"\\", b"(",
          b")", b"'''", b"#", b"await x", b"break", b"import *", b"x: int", b"@dec", b"else:",
          b":", b"def q():", b"class Q:", b"from __future__ import annotations"]
ELSEWHERE = [b"import io\n", b"global q\n", b"  x = 1\n", b"x = (\n", b"class Z:\n    pass\n"]


# Edits the random ones seldom make, each once: a statement's line end taken
# where the file or a class body is cut, joining the next statement to it.
FIXED = [
    (b"x = 1\ny = 2\n", [(0, 6, b"x = 1")]),
    (b"class A:\n    a = 1\n    b = 2\n", [(9, 19, b"    a = 1")]),
    (b"class A:\n    a = 1\n    b = 2\n", [(9, 14, b"    a"), (14, 19, b"")]),
    (b"class A:\n    def f(self):\n        return 1\n    def g(self):\n        pass\n",
     [(26, 43, b"        pass")]),
]


def check(o, edits):
    got = o.check(edits)
    want = pycheck.verdict(o.apply(edits, 0, len(o.data)), o.name)
    if got != want:
        print("pycheck_edits: %s, edits %r:\n  by parts: %s\n  whole:    %s"
              % (o.name, edits, got, want))
        sys.exit(1)
    return got


def main():
    warnings.simplefilter("ignore")
    for data, edits in FIXED:
        o = pycheck.Original("fixed.py", data)
        if o.cuts is None or (len(o.cuts) < 3 and not o.classes) or check(o, edits) == "ok":
            sys.exit("pycheck_edits: a fixed case no longer tests a cut: %r" % data)
    seed, count, roots = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    rng = random.Random(seed)
    originals = []
    for root in roots:
        for path in sorted(glob.glob(os.path.join(root, "**", "*.py"), recursive=True)):
            with open(path, "rb") as fh:
                o = pycheck.Original(path, fh.read())
            if o.cuts is not None and o.classes:
                originals.append(o)
    if not originals:
        sys.exit("pycheck_edits: no file with a class to cut under " + " ".join(roots))
    pieces = [0]
    made = pycheck.Original.class_piece

    def counted(self, *args):
        text, tree = made(self, *args)
        pieces[0] += text is not None
        return text, tree

    pycheck.Original.class_piece = counted
    ok = 0
    for n in range(count):
        o = rng.choice(originals)
        data = o.data
        names = re.findall(rb"\bdef (\w+)", data)
        cuts, indent = o.classes[rng.choice(sorted(o.classes))]
        edits = []
        for _ in range(rng.choice([1, 1, 1, 2])):
            a = rng.randrange(cuts[0], cuts[-1])
            if rng.random() < 0.6:
                a = data.rfind(b"\n", 0, a) + 1
            b = min(cuts[-1], a + rng.randrange(0, 80)) if rng.random() < 0.5 else a
            if rng.random() < 0.1:  # to the start of a line: it may be a cut
                b = max(a, min(cuts[-1], data.find(b"\n", a) + 1))
            text = b""
            for _ in range(rng.randrange(0, 3)):
                lead = rng.choice([b"", b"\n", b"\n" + indent.encode(), b"\n" + indent.encode() * 2,
                                   b"\n\t", b"\n  "])
                piece = rng.choice(PIECES)
                if names and rng.random() < 0.2:  # a name the class binds elsewhere
                    piece = rng.choice([b"global ", b"nonlocal "]) + rng.choice(names)
                text += lead + piece
            edits.append((a, b, text + (b"\n" if rng.random() < 0.3 else b"")))
        if rng.random() < 0.4 and o.header < len(data):
            a = data.rfind(b"\n", 0, rng.randrange(o.header, len(data))) + 1
            edits.append((a, a, rng.choice(ELSEWHERE)))
        edits.sort()
        if any(x[1] > y[0] for x, y in zip(edits, edits[1:])):
            continue
        ok += check(o, edits) == "ok"
    print("pycheck_edits: %d edits in %d files, %d compile, %d by a class's touched statements; "
          "every verdict the whole file's" % (count, len(originals), ok, pieces[0]))
    if pieces[0] < count // 10 or ok < count // 20:
        sys.exit("pycheck_edits: too few edits took the shortcut to mean anything")


main()
