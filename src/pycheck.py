# The compile check of `leakmut generate`: src/pycheck.c runs this with the
# name of a chunk file, embedded in the binary (CMakeLists.txt makes it a C
# string).  The chunk holds records, each a letter, then fields, each on
# its own line, sizes counting bytes:
#
#   F NAME SIZE BYTES        an original file, the chunk's file 0, 1, ...
#   W NAME SIZE BYTES        a source to compile whole
#   M FILE COUNT, then COUNT times START END SIZE BYTES
#                            file FILE with these edits (ordered, apart)
#
# One line is printed for each W and M record, in order: "ok" or
# "err MESSAGE".  Given --where after the chunk's name, a first line says
# where this interpreter is: "exe " and sys.executable.
#
# An M record compiles only the top-level statements its edits touch, when
# the rest of the file cannot change whether they compile: the original
# compiles, nothing at module level declares a name global or nonlocal (in
# the original or the edited statements), and no edit reaches the
# __future__ imports (whose flags the statements get).  The file is cut
# only where one top-level statement ends on a line and the next starts on a
# later one, after a line not ending in a backslash, so the untouched
# statements read as they did and the touched ones are whole.  When those
# fail to compile, the whole file is compiled for the verdict: an error is
# always the whole file's, with its line.
#
# A top-level class is most of many a test module, and each of its
# statements compiles apart from the others but for global and nonlocal
# declarations in its body.  So when a mutant's edits all lie in the body of
# one such class whose body declares neither, only the class's header and
# the body statements the edits touch are compiled, cut as the module is.
# The edited statements must stay in the class, each at the indentation of
# the original body (no line ending in a backslash before one, which would
# set it), and declare nothing global or nonlocal there.
import ast
import bisect
import gc
import io
import re
import sys
import tokenize
import __future__


BLANKS = re.compile(rb"[ \t\f]*")
LINE_ENDS = re.compile(rb"\r\n|\r|\n")  # a CR and LF together end one line


def verdict(source, name, flags=0):
    try:
        compile(source, name, "exec", flags, dont_inherit=True)
        return "ok"
    except Exception as e:
        return "err " + " ".join(str(e).split())


def may_declare(text):
    """
    False when text (str, or bytes in an ASCII-compatible encoding) holds no
    global or nonlocal statement: their keywords are never escaped or
    normalized, so a text without those words needs no walk of its tree.
    """
    if isinstance(text, bytes):
        return b"global" in text or b"nonlocal" in text
    return "global" in text or "nonlocal" in text


def declares(node):
    """Whether module scope holds a global or nonlocal statement."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.Global, ast.Nonlocal)):
            return True
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if declares(child):
            return True
    return False


def first_line(node):
    """A statement's first line: its first decorator's, if any."""
    return min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", ())])


def line_starts(data):
    """The offset of each line, lines ending as the tokenizer ends them."""
    return [0] + [m.end() for m in LINE_ENDS.finditer(data)]


class Original:
    def __init__(self, name, data):
        self.name, self.data = name, data
        self.cuts = None  # offsets the file may be cut at, 0 and its size included
        try:
            self.analyse()
        except Exception:
            self.cuts = None

    def analyse(self):
        data = self.data
        tree = compile(data, self.name, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
        compile(tree, self.name, "exec", dont_inherit=True)
        self.encoding = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
        # Walked for declarations unless the words are not in its text.
        self.declaring = self.encoding not in ("utf-8", "utf-8-sig") or may_declare(data)
        if self.declaring and declares(tree):
            return
        starts = line_starts(data)
        body = tree.body
        self.flags, self.header = 0, 0
        for node in body:  # the docstring, then the __future__ imports
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                for alias in node.names:
                    self.flags |= getattr(__future__, alias.name).compiler_flag
                end = node.end_lineno
                self.header = starts[end] if end < len(starts) else len(data)
            elif not isinstance(node, ast.Expr):
                break
        cuts = [0]
        for before, after in zip(body, body[1:]):
            first = first_line(after)
            end = before.end_lineno
            if first <= end or end >= len(starts):
                continue
            line = data[starts[end - 1] : starts[end]].rstrip(b"\r\n")
            if not line.endswith(b"\\"):
                cuts.append(starts[end])
        cuts.append(len(data))
        self.cuts = cuts
        self.classes = {}  # the index of a cut that starts a lone class: its body's cuts
        at = 0
        for k in range(len(cuts) - 1):
            inside = []
            while at < len(body) and starts[first_line(body[at]) - 1] < cuts[k + 1]:
                inside.append(body[at])
                at += 1
            if len(inside) == 1 and isinstance(inside[0], ast.ClassDef):
                info = self.class_cuts(inside[0], starts, cuts[k], cuts[k + 1])
                if info:
                    self.classes[k] = info

    def class_cuts(self, node, starts, lo, hi):
        """A class alone between cuts lo and hi: where its body may be cut."""
        data, body = self.data, node.body
        if len(body) < 2 or (self.declaring and declares(node)):
            return None
        line = first_line(body[0])
        if line <= node.lineno:
            return None
        begin = starts[line - 1]
        indent = BLANKS.match(data, begin).group()
        if not indent:
            return None
        try:  # the header ends before the body's first line
            header = data[lo:begin].decode(self.encoding)
            indent = indent.decode(self.encoding)
            compile(header + indent + "pass\n", self.name, "exec", self.flags, dont_inherit=True)
        except Exception:
            return None
        cuts = [begin]
        for before, after in zip(body, body[1:]):
            end = before.end_lineno
            if first_line(after) <= end or end >= len(starts):
                continue
            if not data[starts[end - 1] : starts[end]].rstrip(b"\r\n").endswith(b"\\"):
                cuts.append(starts[end])
        cuts.append(hi)
        return cuts, indent

    def apply(self, edits, lo, hi):
        """The bytes lo..hi with the edits inside them made."""
        out, at = [], lo
        for start, end, text in edits:
            if start < lo or end > hi:
                continue
            out.append(self.data[at:start])
            out.append(text)
            at = end
        out.append(self.data[at:hi])
        return b"".join(out)

    def check(self, edits):
        whole = lambda: verdict(self.apply(edits, 0, len(self.data)), self.name)
        cuts = self.cuts
        if cuts is None or any(start < self.header for start, _, _ in edits):
            return whole()
        pieces, tree = [], None
        try:  # a str: compile() reads no coding cookie in it
            for a, b, lo, hi in cut_spans(cuts, edits, self.data):
                inside = [e for e in edits if a <= e[0] and e[1] <= b]
                if hi == lo + 1 and lo in self.classes and inside[0][0] >= self.classes[lo][0][0]:
                    text, tree = self.class_piece(inside, a, *self.classes[lo])
                    if text is None:
                        return whole()
                    pieces.append(text)
                else:
                    pieces.append(self.apply(inside, a, b).decode(self.encoding))
        except Exception:
            return whole()
        try:  # the mutant may declare a module-level name global
            if len(pieces) > 1 or tree is None:
                # Without those words, compiled from the text: no tree is
                # built as objects and read back (about half the cost).
                tree = "".join(pieces)
                if may_declare(tree):
                    tree = self.tree(tree)
                    if declares(tree):
                        return whole()
            compile(tree, self.name, "exec", self.flags, dont_inherit=True)
            return "ok"
        except Exception:
            return whole()

    def tree(self, text):
        return compile(text, self.name, "exec", self.flags | ast.PyCF_ONLY_AST, dont_inherit=True)

    def class_piece(self, edits, lo, cuts, indent):
        """
        The text of a lone class (self.classes) with the edits in its body
        made, but only its header and the statements they touch, and its
        tree; (None, None) when that is not for certain how the whole class
        compiles.
        """
        pieces = [self.data[lo : cuts[0]]]
        pieces += [self.apply(edits, a, b) for a, b, _, _ in cut_spans(cuts, edits, self.data)]
        text = b"".join(pieces).decode(self.encoding)
        tree = self.tree(text)
        if len(tree.body) != 1 or not isinstance(tree.body[0], ast.ClassDef):
            return None, None  # the edits took a statement out of the class
        node = tree.body[0]
        if (may_declare(text) and (declares(tree) or declares(node))) or not indented(
            text, node.body, indent
        ):
            return None, None
        return text, tree


def cut_spans(cuts, edits, data):
    """
    The runs between cuts that hold the edits: [start, end, first cut, last
    cut].  A cut follows a line end; an edit ending at a cut that takes that
    line end away (ending neither its text nor, when it has none, the text
    before it with one, or with a backslash before it) may join the next
    line to its own: its run goes on to the next cut.
    """
    spans, done = [], -1
    for start, end, text in edits:
        lo = min(bisect.bisect_right(cuts, start) - 1, len(cuts) - 2)
        hi = max(bisect.bisect_left(cuts, end), lo + 1)
        if start < end == cuts[hi] and hi < len(cuts) - 1:
            # The end of what is left before the cut (unknown when an edit
            # ends where this one starts).
            tail = (text or (data[max(0, start - 3) : start] if done < start else b"?"))[-3:]
            if tail[-1:] not in (b"\n", b"\r", b"") or tail.rstrip(b"\r\n").endswith(b"\\"):
                hi += 1
        done = end
        if spans and cuts[lo] <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], cuts[hi])
            spans[-1][3] = max(spans[-1][3], hi)
        else:
            spans.append([cuts[lo], cuts[hi], lo, hi])
    return spans


def indented(text, body, indent):
    """
    Whether each statement of body that starts a line is indented by indent.
    A line before it ending in a backslash would set its indentation.
    """
    data = text.encode("utf-8", "surrogatepass")
    starts, want, end = line_starts(data), indent.encode("utf-8", "surrogatepass"), 0
    for node in body:
        first = first_line(node)
        if first > end:
            if BLANKS.match(data, starts[first - 1]).group() != want:
                return False
            before = data[starts[first - 2] : starts[first - 1]] if first > 1 else b""
            if before.rstrip(b"\r\n").endswith(b"\\"):
                return False
        end = node.end_lineno
    return True


def main():
    # Syntax trees hold no cycles: reference counting frees them, and the
    # collector's passes over them cost about a tenth of the run.
    gc.disable()
    with open(sys.argv[1], "rb") as fh:
        data = fh.read()
    at = 0

    def field():
        nonlocal at
        end = data.index(b"\n", at)
        value, at = data[at:end], end + 1
        return value

    def blob():
        nonlocal at
        size = int(field())
        value, at = data[at : at + size], at + size
        return value

    files, out = [], []
    if sys.argv[2:] == ["--where"]:
        out.append("exe " + sys.executable.replace("\n", ""))
    while at < len(data):
        kind = field()
        if kind == b"F":
            name = field().decode("utf-8", "replace")
            files.append(Original(name, blob()))
        elif kind == b"W":
            name = field().decode("utf-8", "replace")
            out.append(verdict(blob(), name))
        else:
            original = files[int(field())]
            edits = []
            for _ in range(int(field())):
                start, end = (int(x) for x in field().split())
                edits.append((start, end, blob()))
            out.append(original.check(edits))
    sys.stdout.write("".join(r + "\n" for r in out))


if __name__ == "__main__":
    main()
