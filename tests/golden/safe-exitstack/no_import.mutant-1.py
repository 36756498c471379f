#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright: nobody.

import contextlib
CHUNK = 4096


def size(path):
    with contextlib.ExitStack() as stack:
        f = stack.enter_context(open(path, "rb"))
        return len(f.read(CHUNK))
