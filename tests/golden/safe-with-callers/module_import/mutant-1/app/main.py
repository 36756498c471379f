import app.sub.store
import app.sub.store as st
from app.sub import store
from app.sub.store import fetch_lines as lines_of


def run(p):
    with app.sub.store.fetch(p) as fh:
        a = fh.read()
    with st.fetch(p) as fh:
        b = fh.read()
    with store.fetch(p) as fh:
        c = fh.read()
    return a + b + c, lines_of(p)
