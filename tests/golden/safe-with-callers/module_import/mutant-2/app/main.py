import app.sub.store
import app.sub.store as st
from app.sub import store
from app.sub.store import fetch_lines as lines_of


def run(p):
    a = app.sub.store.fetch(p)
    b = st.fetch(p)
    c = store.fetch(p)
    with lines_of(p) as fh:
        return a + b + c, fh.readlines()
