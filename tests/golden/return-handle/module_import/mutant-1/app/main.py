import app.sub.store
import app.sub.store as st
from app.sub import store
from app.sub.store import fetch_lines as lines_of


def run(p):
    a = app.sub.store.fetch(p).read()
    b = st.fetch(p).read()
    c = store.fetch(p).read()
    return a + b + c, lines_of(p)
