"""A with 252 columns deep, its body on its line: in its safe twin the body
would be indented 256 columns, past what tree-sitter-python keeps (one
byte); found by tests/fuzz.
"""


def load(path):
    if path:
																															    with open(path) as f: return f.read()
