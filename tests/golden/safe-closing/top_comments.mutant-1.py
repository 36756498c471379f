
# -*- coding: utf-8 -*-

# Copyright (c) the authors.
# Licensed under the MIT licence.
import contextlib


def read_all(path):
    with contextlib.closing(open(path)) as f:
        return f.read()
